package dev.berth.cli.daemon;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The resident process: a JVM that stays up between commands so that a command finds its classes
 * loaded and its code compiled. It listens on a Unix socket in a folder only its user may enter, runs
 * one command at a time for clients of its own setting ({@link DaemonAddress}), sends what the command
 * prints and its exit status, and interrupts the command when the client goes away (Ctrl-C). It exits
 * after {@code idle} without a command, once its jar is rebuilt or its socket file replaced, and leaves
 * at once when another process already answers there.
 */
public final class DaemonServer {
  /** Runs one command in this JVM and returns its exit status. */
  @FunctionalInterface
  public interface Command {
    int run(String[] args);
  }

  /**
   * Where a command's output and status go: to the jar's client ({@link Frames})
   * or the launcher's ({@link ShellFrames}).
   */
  interface Reply {
    OutputStream out();

    OutputStream err();

    void exit(int status) throws IOException;
  }

  /** How often an idle process checks that its jar is still the one it was started from. */
  private static final Duration CHECK = Duration.ofSeconds(5);
  /** Launcher clients may be mid-handshake at once; more are closed on (anyone may connect to a port). */
  private static final int HANDSHAKES = 16;

  private final DaemonAddress address;
  private final Path jar;
  private final BasicFileAttributes jarAsStarted;
  private final Command command;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile long lastActive = System.nanoTime();
  private final java.util.concurrent.Semaphore handshakes = new java.util.concurrent.Semaphore(HANDSHAKES);

  private DaemonServer(DaemonAddress address, Path jar, Command command) throws IOException {
    this.address = address;
    this.jar = jar;
    this.jarAsStarted = Files.readAttributes(jar, BasicFileAttributes.class);
    this.command = command;
  }

  /** Serves {@code command} at the address of this JVM's setting until idle for {@code idle}. */
  public static void serve(Path jar, Command command, Duration idle) throws IOException {
    DaemonAddress address = DaemonAddress.of(jar, Path.of("").toAbsolutePath(), System.getenv(),
        DaemonAddress.ownUmask())
        .orElseThrow(() -> new IOException("no folder for the resident process: HOME is not set"));
    serve(address, jar, command, idle);
  }

  /** Serves {@code command} at {@code address} until idle for {@code idle} or {@code jar} changes. */
  static void serve(DaemonAddress address, Path jar, Command command, Duration idle) throws IOException {
    new DaemonServer(address, jar, command).listen(idle);
  }

  private void listen(Duration idle) throws IOException {
    Path folder = address.socket().getParent();
    Files.createDirectories(folder);
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
    try (ServerSocketChannel server = bind(); Selector selector = Selector.open()) {
      if (server == null) {
        return;  // another resident process answers for this setting
      }
      Object owned = Files.readAttributes(address.socket(), BasicFileAttributes.class).fileKey();
      ShellDoor door = openDoor(folder);
      try {
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT, (Admission) this::admitJarClient);
        if (door != null) {
          door.channel().configureBlocking(false);
          door.channel().register(selector, SelectionKey.OP_ACCEPT,
              (Admission) client -> admitLauncherClient(door, client));
        }
        while (true) {
          if (selector.select(Math.min(idle.toMillis(), CHECK.toMillis())) == 0) {
            if (running.get()) {
              continue;
            }
            if (System.nanoTime() - lastActive > idle.toNanos() || !jarUnchanged() || !stillOurs(owned)) {
              return;
            }
            continue;
          }
          for (SelectionKey ready : selector.selectedKeys()) {
            accept(ready);
          }
          selector.selectedKeys().clear();
        }
      } finally {
        removeIfOurs(owned);
        if (door != null) {
          door.close();
        }
      }
    }
  }

  /** The door for the launcher's clients, or null when there can be none (they then start a JVM). */
  private static ShellDoor openDoor(Path folder) {
    try {
      return ShellDoor.open(folder, Path.of("").toAbsolutePath()).orElse(null);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** What a listening socket does with a client it accepted; each one's is attached to its selection key. */
  @FunctionalInterface
  private interface Admission {
    void admit(SocketChannel client) throws IOException;
  }

  private void accept(SelectionKey ready) throws IOException {
    SocketChannel client = ((ServerSocketChannel) ready.channel()).accept();
    if (client != null) {
      client.configureBlocking(true);
      ((Admission) ready.attachment()).admit(client);
    }
  }

  private void admitJarClient(SocketChannel client) {
    start(() -> handle(client));
  }

  private void admitLauncherClient(ShellDoor door, SocketChannel client) throws IOException {
    if (!handshakes.tryAcquire()) {
      client.close();
      return;
    }
    start(() -> handleLauncher(door, client));
  }

  private static void start(Runnable handler) {
    Thread thread = new Thread(handler, "berth-resident-client");
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether the jar is still the one this process runs (a rebuilt one has a process of its own). */
  private boolean jarUnchanged() {
    try {
      BasicFileAttributes now = Files.readAttributes(jar, BasicFileAttributes.class);
      return now.size() == jarAsStarted.size() && now.lastModifiedTime().equals(jarAsStarted.lastModifiedTime());
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The bound server, or null when a live process already listens there (a dead one's socket is replaced). */
  private ServerSocketChannel bind() throws IOException {
    UnixDomainSocketAddress socket = UnixDomainSocketAddress.of(address.socket());
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(socket);
      return server;
    } catch (java.net.BindException taken) {
      try (SocketChannel probe = SocketChannel.open(socket)) {
        server.close();
        return null;
      } catch (IOException dead) {
        Files.deleteIfExists(address.socket());
        server.bind(socket);
        return server;
      }
    }
  }

  /** Whether the socket file is still this process's (two processes starting at once may replace one). */
  private boolean stillOurs(Object owned) {
    try {
      return owned != null
          && owned.equals(Files.readAttributes(address.socket(), BasicFileAttributes.class).fileKey());
    } catch (IOException gone) {
      return false;
    }
  }

  private void removeIfOurs(Object owned) {
    if (stillOurs(owned)) {
      try {
        Files.deleteIfExists(address.socket());
      } catch (IOException gone) {
        // removed meanwhile
      }
    }
  }

  private void handle(SocketChannel client) {
    try (client) {
      DataInputStream in = new DataInputStream(SocketStreams.input(client));
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(SocketStreams.output(client), 1 << 16));
      String identity = Frames.readIdentity(in);
      String[] args = Frames.readArguments(in);
      if (!identity.equals(address.identity()) || !DaemonClient.residentMayRun(args)) {
        Frames.writeRefusal(out, Frames.STRANGER);
      } else if (!running.compareAndSet(false, true)) {
        Frames.writeRefusal(out, Frames.BUSY);
      } else {
        runOwned(args, in, Frames.reply(out));
      }
    } catch (IOException | RuntimeException e) {
      // the client went away or sent something else: nothing of its command is left running
    }
  }

  /** A client of the launcher ({@link ShellDoor}): its command runs only in this process's own setting. */
  private void handleLauncher(ShellDoor door, SocketChannel client) {
    try (client) {
      java.io.InputStream in;
      OutputStream out;
      Optional<ShellDoor.Request> request;
      try {
        in = ShellDoor.input(client);
        out = new BufferedOutputStream(SocketStreams.output(client), 1 << 16);
        request = door.handshake(client, in, out);
      } finally {
        handshakes.release();
      }
      if (request.isEmpty()) {
        return;
      }
      if (!DaemonClient.residentMayRun(request.get().args().toArray(new String[0])) || !ownSetting(request.get())) {
        ShellFrames.refuse(out, "stranger");
      } else if (!running.compareAndSet(false, true)) {
        ShellFrames.refuse(out, "busy");
      } else {
        runOwned(request.get().args().toArray(new String[0]), in, new ShellFrames(out));
      }
    } catch (IOException | RuntimeException e) {
      // the client went away or sent something else: nothing of its command is left running
    }
  }

  /** Whether a launcher's command would run with this process's jar, JVM, directory and environment. */
  private boolean ownSetting(ShellDoor.Request request) {
    try {
      Path ownJava = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
      Optional<DaemonAddress> theirs = DaemonAddress.of(request.jar(), request.workingDirectory(),
          request.environment(), request.umask());
      return request.java().toRealPath().equals(ownJava) && theirs.isPresent()
          && theirs.get().identity().equals(address.identity());
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Runs a command once {@link #running} is set, and clears it after. */
  private void runOwned(String[] args, java.io.InputStream in, Reply reply) throws IOException {
    try {
      run(args, in, reply);
    } finally {
      lastActive = System.nanoTime();
      running.set(false);
    }
  }

  private void run(String[] args, java.io.InputStream in, Reply reply) throws IOException {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    PrintStream commandOut = new PrintStream(reply.out(), true);
    PrintStream commandErr = new PrintStream(reply.err(), true);
    int[] status = {1};
    Thread worker = new Thread(() -> status[0] = command.run(args), "berth-resident-command");
    System.setOut(commandOut);
    System.setErr(commandErr);
    try {
      worker.start();
      Thread hangUp = new Thread(() -> interruptWhenClosed(in, worker), "berth-resident-hang-up");
      hangUp.setDaemon(true);
      hangUp.start();
      worker.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      worker.interrupt();
    } finally {
      commandOut.flush();
      commandErr.flush();
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    reply.exit(status[0]);
  }

  /** The client sends nothing after its request: the stream ends when it hangs up, and so does its command. */
  private static void interruptWhenClosed(java.io.InputStream in, Thread worker) {
    try {
      while (in.read() >= 0) {
        // nothing is expected; read on until the client closes
      }
    } catch (IOException closed) {
      // closed by either side
    }
    worker.interrupt();
  }
}
