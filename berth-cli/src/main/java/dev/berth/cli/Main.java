package dev.berth.cli;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code berth} command: every subcommand is registered here; {@link Launcher} starts it. */
@Command(
    name = "berth",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Builds fleets of container images without a daemon.")
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * Every subcommand, in the order help lists them. Building picocli's model of all of them costs
   * about 150 ms, a large share of a no-op build, so a run registers only the one it invokes.
   */
  private static final Map<String, Supplier<Object>> COMMANDS = commands();

  private static Map<String, Supplier<Object>> commands() {
    Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
    commands.put("help", CommandLine.HelpCommand::new);
    commands.put("build", BuildCommand::new);
    commands.put("builders", BuildersCommand::new);
    commands.put("doctor", DoctorCommand::new);
    commands.put("plan", PlanCommand::new);
    commands.put("render", RenderCommand::new);
    commands.put("verify", VerifyCommand::new);
    commands.put("publish", PublishCommand::new);
    commands.put("status", StatusCommand::new);
    commands.put("workers", WorkersCommand::new);
    commands.put("graph", GraphCommand::new);
    commands.put("report", ReportCommand::new);
    commands.put("update", UpdateCommand::new);
    commands.put("docker-pkg", DockerPkgCommand::new);
    commands.put("prune", PruneCommand::new);
    commands.put("layered", LayeredCommand::new);
    commands.put("import", ImportCommand::new);
    commands.put("store", StoreCommand::new);
    commands.put("pull", PullCommand::new);
    commands.put("push", PushCommand::new);
    commands.put("copy", CopyCommand::new);
    commands.put("inspect", InspectCommand::new);
    commands.put("sbom", SbomCommand::new);
    commands.put("provenance", ProvenanceCommand::new);
    commands.put("affected", AffectedCommand::new);
    commands.put("explain", ExplainCommand::new);
    commands.put("diff", DiffCommand::new);
    return Collections.unmodifiableMap(commands);
  }

  /** berth's whole command line, every subcommand registered: for shell completion and manual pages. */
  public static CommandLine withAllCommands() {
    CommandLine cli = new CommandLine(new Main());
    COMMANDS.forEach((name, command) -> cli.addSubcommand(name, command.get()));
    return cli;
  }

  /** Runs berth with {@code args} and returns the exit status, without exiting the JVM. */
  public static int run(String... args) {
    return execute(commandLine(args), args);
  }

  /** berth's command line, with the subcommand {@code args} invoke (or, when unclear, all) registered. */
  static CommandLine commandLine(String... args) {
    CommandLine cli = new CommandLine(new Main());
    String invoked = Arrays.stream(args).filter(arg -> !arg.startsWith("-")).findFirst().orElse(null);
    boolean versionOnly = args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    if (invoked != null && COMMANDS.containsKey(invoked) && !invoked.equals("help")) {
      cli.addSubcommand(invoked, COMMANDS.get(invoked).get());
    } else if (!versionOnly) {
      COMMANDS.forEach((name, command) -> cli.addSubcommand(name, command.get()));
    }
    ErrorReporter reporter = new ErrorReporter();
    cli.setExecutionExceptionHandler(reporter);
    cli.setParameterExceptionHandler(reporter);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.registerConverter(Integer.class, new WholeNumber());
    cli.registerConverter(int.class, new WholeNumber());
    return cli;
  }

  static int execute(CommandLine cli, String... args) {
    try {
      return cli.execute(args);
    } finally {
      for (CommandLine.ParseResult ran = cli.getParseResult(); ran != null; ran = ran.subcommand()) {
        closeMixins(ran.commandSpec());
      }
    }
  }

  /**
   * An option's number, refused in words rather than as "not an int". A class, not a lambda: JDK 17
   * crashes while archiving a lambda whose interface (picocli's Java-5 class files) CDS cannot
   * archive, and the launcher's class-data archive would then never be made.
   */
  static final class WholeNumber implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String text) {
      try {
        return Integer.valueOf(text.strip());
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("'" + text + "' is not a whole number");
      }
    }
  }

  /** Closes what a command's mixins (and theirs) hold open, such as registry connections. */
  private static void closeMixins(CommandLine.Model.CommandSpec command) {
    for (CommandLine.Model.CommandSpec mixin : command.mixins().values()) {
      closeMixins(mixin);
      if (mixin.userObject() instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          // The command has finished; what is left open ends with the process.
        }
      }
    }
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** The version Maven wrote into the jar and the git commit it was built from (see berth-cli's pom). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws java.io.IOException {
      java.util.Properties pom = new java.util.Properties();
      try (var in = Main.class.getResourceAsStream("/META-INF/maven/dev.berth/berth-cli/pom.properties")) {
        if (in != null) {
          pom.load(in);
        }
      }
      String commit;
      try (var in = Main.class.getResourceAsStream("/dev/berth/cli/commit.txt")) {
        commit = in == null ? "" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
      }
      return new String[] {"berth " + pom.getProperty("version", "dev")
          + " (commit " + (commit.isEmpty() ? "unknown" : commit) + ")"};
    }
  }
}
