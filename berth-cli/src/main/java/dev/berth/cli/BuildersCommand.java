package dev.berth.cli;

import dev.berth.api.build.Builders;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code berth builders}: which builders this machine offers, and why each is or is not available. */
@Command(name = "builders", description = {
    "List the builders, highest priority first, with why each is or is not available here.",
    "berth build uses the first available one unless --builder names another."})
final class BuildersCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Override
  public Integer call() {
    var builders = Builders.all(System.getenv());
    System.out.printf("%-8s %-8s %-9s %s%n", "NAME", "PRIORITY", "AVAILABLE", "DETAIL");
    for (Builders.Availability builder : builders) {
      System.out.printf("%-8s %-8d %-9s %s%n", builder.name(), builder.priority(), builder.available() ? "yes" : "no",
          builder.detail());
    }
    String chosen = builders.stream().filter(Builders.Availability::available).map(Builders.Availability::name)
        .findFirst().orElse(builders.get(0).name());
    System.out.println("default: " + chosen);
    return ExitCodes.OK;
  }
}
