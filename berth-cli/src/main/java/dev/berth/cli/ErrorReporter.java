package dev.berth.cli;

import java.io.PrintWriter;
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
    line = line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
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

  /** {@code e} as one line for people (see {@link dev.berth.text.ErrorText}). */
  static String describe(Throwable e) {
    return dev.berth.text.ErrorText.of(e);
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}
