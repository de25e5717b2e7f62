package dev.berth.cli;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;

/**
 * The one place where an error leaves berth: one line on stderr ({@code berth: error: WHERE: WHAT}),
 * exit status 1, or 2 for a usage error (then with a hint to the command's {@code --help}, never the
 * whole usage). The stack trace only with {@code --debug}.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
  /** What is printed for an error, and the status berth exits with. */
  record Report(String line, int exitCode) {}

  @Override
  public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    if (e instanceof UsageException) {
      return print(cli, usage(e.getMessage(), cli), e, GlobalOptions.debugRequested(parsed));
    }
    return print(cli, new Report("berth: error: " + describe(e), ExitCodes.FAILED), e,
        GlobalOptions.debugRequested(parsed));
  }

  @Override
  public int handleParseException(CommandLine.ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    return print(cli, usage(e.getMessage(), cli), e, java.util.Arrays.asList(args).contains("--debug"));
  }

  /** A usage error: the problem on one line, and where to read how the command is used. */
  static Report usage(String message, CommandLine cli) {
    String line = firstLine(message);
    line = line.isEmpty() ? line : Character.toLowerCase(line.charAt(0)) + line.substring(1);
    return new Report("berth: error: " + line + "; see `" + cli.getCommandSpec().qualifiedName() + " --help`",
        ExitCodes.USAGE);
  }

  private static int print(CommandLine cli, Report report, Throwable e, boolean debug) {
    PrintWriter err = cli.getErr();
    err.println(report.line());
    if (debug) {
      e.printStackTrace(err);
    }
    err.flush();
    return report.exitCode();
  }

  /**
   * The message of {@code e} (or of its first cause that has one). File-system errors, whose JDK
   * message is just a path, get what went wrong said in words.
   */
  static String describe(Throwable e) {
    Throwable cause = e;
    while ((cause.getMessage() == null || cause.getMessage().isBlank()) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof FileSystemException files) {
      return firstLine(describe(files));
    }
    String message = cause.getMessage();
    if (message == null || message.isBlank()) {
      return "internal error (" + words(cause.getClass().getSimpleName()) + "); run again with --debug for details";
    }
    return firstLine(message);
  }

  private static String describe(FileSystemException e) {
    String what = e.getReason() != null ? e.getReason().toLowerCase(java.util.Locale.ROOT)
        : e instanceof NoSuchFileException ? "no such file or directory"
        : e instanceof AccessDeniedException ? "permission denied"
        : e instanceof FileAlreadyExistsException ? "already exists"
        : e instanceof DirectoryNotEmptyException ? "directory not empty"
        : e instanceof NotDirectoryException ? "not a directory"
        : "cannot be used";
    String where = e.getFile() == null ? "" : e.getFile()
        + (e.getOtherFile() == null ? "" : " -> " + e.getOtherFile());
    return where.isEmpty() ? what : where + ": " + what;
  }

  /** {@code NullPointerException} as "null pointer": a bug is named without Java's class names. */
  private static String words(String className) {
    return className.replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT).strip();
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}
