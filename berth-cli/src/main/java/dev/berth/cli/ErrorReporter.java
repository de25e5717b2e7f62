package dev.berth.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Turns an exception escaping a command into one line on stderr and a non-zero status; the stack
 * trace only with {@code --debug}.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    err.println("berth: error: " + describe(e));
    if (GlobalOptions.debugRequested(parsed)) {
      e.printStackTrace(err);
    }
    err.flush();
    return ExitCodes.FAILED;
  }

  static String describe(Throwable e) {
    Throwable cause = e;
    while ((cause.getMessage() == null || cause.getMessage().isBlank()) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    if (message == null || message.isBlank()) {
      message = cause.getClass().getSimpleName();
    } else if (cause instanceof java.nio.file.NoSuchFileException) {
      message = "no such file: " + message;
    } else if (cause instanceof java.nio.file.AccessDeniedException) {
      message = "permission denied: " + message;
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
