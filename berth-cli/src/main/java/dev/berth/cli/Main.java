package dev.berth.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code berth} command: every subcommand is registered here. */
@Command(
    name = "berth",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Builds fleets of container images without a daemon.",
    subcommands = {
        CommandLine.HelpCommand.class,
        BuildCommand.class,
        PlanCommand.class,
        VerifyCommand.class,
        PublishCommand.class,
        StatusCommand.class,
        GraphCommand.class,
        UpdateCommand.class,
        PruneCommand.class,
        LayeredCommand.class,
        ImportCommand.class,
        StoreCommand.class,
        PullCommand.class,
        PushCommand.class,
        CopyCommand.class,
        InspectCommand.class,
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs berth with {@code args} and returns the exit status, without exiting the JVM. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(new ErrorReporter());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    try {
      return cli.execute(args);
    } finally {
      for (CommandLine.ParseResult ran = cli.getParseResult(); ran != null; ran = ran.subcommand()) {
        closeMixins(ran.commandSpec());
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

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"berth " + (version == null ? "dev" : version)};
    }
  }
}
