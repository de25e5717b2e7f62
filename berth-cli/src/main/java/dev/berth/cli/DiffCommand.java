package dev.berth.cli;

import dev.berth.oci.Json;
import dev.berth.sbom.ImageDiff;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth diff IMAGE@KEY1 IMAGE@KEY2}: what differs between two builds of an image in the store. */
@Command(name = "diff", description = "Show the key inputs, files and packages that differ between two builds of an image.")
final class DiffCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Parameters(index = "0", paramLabel = "IMAGE@KEY1")
  String from;

  @Parameters(index = "1", paramLabel = "IMAGE@KEY2")
  String to;

  @Option(names = "--output", defaultValue = "text", paramLabel = "text|json", description = "text or json (default: ${DEFAULT-VALUE}).")
  String output;

  @Override
  public Integer call() throws Exception {
    String[] a = split(from);
    String[] b = split(to);
    if (!a[0].equals(b[0])) {
      throw new UsageException("berth diff compares two builds of one image, not " + a[0] + " and " + b[0]);
    }
    ImageDiff diff = ImageDiff.compare(global.openStore(), a[0], a[1], b[1]);
    if (output.equals("json")) {
      System.out.println(new String(Json.pretty(diff), StandardCharsets.UTF_8));
      return ExitCodes.OK;
    }
    print("input", diff.inputs());
    print("file", diff.files());
    print("package", diff.packages());
    return ExitCodes.OK;
  }

  private static String[] split(String text) {
    int at = text.lastIndexOf('@');
    if (at <= 0 || at == text.length() - 1) {
      throw new UsageException("expected IMAGE@KEY, not '" + text + "'");
    }
    return new String[] {text.substring(0, at), text.substring(at + 1)};
  }

  private static void print(String kind, List<ImageDiff.Change> changes) {
    for (ImageDiff.Change change : changes) {
      String sign = change.before() == null ? "+" : change.after() == null ? "-" : "~";
      System.out.printf("%s %-8s %-40s %s%n", sign, kind, change.name(),
          change.before() == null ? change.after() : change.after() == null ? change.before()
              : change.before() + " -> " + change.after());
    }
  }
}
