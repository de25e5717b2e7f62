package dev.berth.cli;

import dev.berth.doctor.Check;
import dev.berth.doctor.Doctor;
import dev.berth.oci.Json;
import dev.berth.store.ContentStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth doctor}: what this machine offers berth's builders and features, and what to install. */
@Command(name = "doctor", description = {
    "Check this machine for what berth needs (root, runc, overlayfs, attr, a Docker engine, qemu, disk)",
    "and say what to install. Exit status 1 when something the native builder needs is missing."})
final class DoctorCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Option(names = "--output", defaultValue = "text", paramLabel = "text|json", description = "text or json (default: ${DEFAULT-VALUE}).")
  Output output;

  enum Output { text, json }

  @Override
  public Integer call() {
    Path store = global.store != null ? global.store : ContentStore.defaultLocation(System.getenv());
    Doctor.Report report = new Doctor(System.getenv(), Path.of("/"), store).examine();
    if (output == Output.json) {
      System.out.println(new String(Json.pretty(report), StandardCharsets.UTF_8));
    } else {
      for (Check check : report.checks()) {
        System.out.printf("%-8s %-12s %s%s%n", check.ok() ? "ok" : "missing", check.name(), check.detail(),
            check.required() || check.ok() ? "" : " (optional: " + check.neededFor() + ")");
        if (!check.ok()) {
          System.out.printf("%-8s %-12s fix: %s%n", "", "", check.fix());
        }
      }
    }
    return report.ok() ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
