package dev.berth.cli;

/** berth's exit statuses, documented in {@code berth --help}. */
public final class ExitCodes {
  public static final int OK = 0;
  /** Something the user asked for failed: a build, a check, a push, corrupt content. */
  public static final int FAILED = 1;
  /** The command line itself was wrong (picocli's usage error status). */
  public static final int USAGE = 2;

  private ExitCodes() {}
}
