package dev.berth.cli.daemon;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The resident process's client in the jar (the launcher script has its own, see {@link ShellDoor}),
 * switched on with {@code BERTH_DAEMON=on}. For the commands that
 * start no containers and mount nothing, and only when neither standard output nor standard error
 * is a terminal (a command there would see no terminal), it hands the command line to the process
 * of its setting and prints what comes back. When there is none it starts one and runs the command
 * itself; when that one is busy or of another setting, it runs the command itself too. Nothing
 * depends on the process: with {@code BERTH_DAEMON} unset every command runs in its own JVM, and
 * prints and does the same. Like the replay package, the client's path uses no lambdas or streams:
 * each costs a cold JVM milliseconds.
 */
public final class DaemonClient {
  /** The commands a resident process runs: they read, plan and move content, and start no containers. */
  static final Set<String> COMMANDS = Set.of("plan", "copy", "push", "pull", "inspect", "status", "graph");
  private static final String SERVER_CLASS = "dev.berth.cli.Resident";

  private final DaemonAddress address;
  private final Path jar;

  private DaemonClient(DaemonAddress address, Path jar) {
    this.address = address;
    this.jar = jar;
  }

  /** The client for this command line, when the resident process is switched on and may run it. */
  public static Optional<DaemonClient> forCommand(String[] args, Map<String, String> environment, Path jar,
      boolean outputIsTerminal) {
    String on = environment.getOrDefault("BERTH_DAEMON", "off");
    if (jar == null || outputIsTerminal || !(on.equals("on") || on.equals("1") || on.equals("true"))) {
      return Optional.empty();
    }
    if (!residentMayRun(args)) {
      return Optional.empty();
    }
    try {
      Optional<DaemonAddress> address = DaemonAddress.of(jar, Path.of("").toAbsolutePath(), environment,
          DaemonAddress.ownUmask());
      return address.isPresent() ? Optional.of(new DaemonClient(address.get(), jar)) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code args} name one of {@link #COMMANDS} (the first argument that is not an option). */
  static boolean residentMayRun(String[] args) {
    for (String arg : args) {
      if (!arg.startsWith("-")) {
        return COMMANDS.contains(arg);
      }
    }
    return false;
  }

  /**
   * The exit status of {@code args} as the resident process ran them, its output printed here; empty
   * when this process must run them itself (no process yet, which is then started, or a busy one, or a
   * socket folder that is not this user's alone).
   */
  public OptionalInt run(String[] args) {
    Path folder = address.socket().getParent();
    if (Files.exists(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !privateFolder(folder)) {
      return OptionalInt.empty();  // a socket there could be anyone's: never talk to it, never start one
    }
    SocketChannel channel;
    try {
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(address.socket()));
    } catch (IOException | RuntimeException absent) {
      start();
      return OptionalInt.empty();
    }
    try (channel) {
      DataOutputStream out = new DataOutputStream(SocketStreams.output(channel));
      Frames.writeRequest(out, address.identity(), args);
      return relay(new DataInputStream(new BufferedInputStream(SocketStreams.input(channel), 1 << 16)));
    } catch (IOException e) {
      return OptionalInt.empty();
    }
  }

  /** Whether {@code folder} is a real folder of this process's user that no one else may enter (0700). */
  static boolean privateFolder(Path folder) {
    try {
      Object owner = Files.getAttribute(folder, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
      Object self = Files.getAttribute(Path.of("/proc/self"), "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
      int mode = (Integer) Files.getAttribute(folder, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
      return owner.equals(self) && Files.isDirectory(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)
          && (mode & 0777) == 0700;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Prints the frames until the exit status; empty when refused before the command began. */
  private static OptionalInt relay(DataInputStream in) throws IOException {
    boolean began = false;
    try {
      while (true) {
        byte kind = in.readByte();
        if (kind == Frames.BUSY || kind == Frames.STRANGER) {
          return OptionalInt.empty();
        }
        if (kind == Frames.EXIT) {
          return OptionalInt.of(in.readInt());
        }
        began = true;
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        PrintStream stream = kind == Frames.ERR ? System.err : System.out;
        stream.write(bytes, 0, bytes.length);
        stream.flush();
      }
    } catch (EOFException ended) {
      if (!began) {
        return OptionalInt.empty();  // it went away before the command began: run it here
      }
      System.err.println("berth: the resident process ended before the command did (see BERTH_DAEMON)");
      return OptionalInt.of(1);
    }
  }

  /**
   * Starts the resident process for this setting in a session of its own (so that a terminal's
   * Ctrl-C does not reach it), with this JVM, jar, directory and environment; never waits for it.
   */
  private void start() {
    Path setsid = Files.isExecutable(Path.of("/usr/bin/setsid")) ? Path.of("/usr/bin/setsid") : Path.of("/bin/setsid");
    if (!Files.isExecutable(setsid)) {
      return;
    }
    List<String> command = new ArrayList<>(List.of(setsid.toString(), "-f",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC", "-Xlog:disable",
        "-Xlog:all=off",
        "-XX:ErrorFile=".concat(System.getProperty("java.io.tmpdir")).concat("/berth-jvm-crash-%p.log"),
        "-cp", jar.toString(), SERVER_CLASS));
    try {
      new ProcessBuilder(command).redirectInput(new File("/dev/null")).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException | RuntimeException e) {
      // no resident process: every command runs in its own JVM, as without BERTH_DAEMON
    }
  }
}
