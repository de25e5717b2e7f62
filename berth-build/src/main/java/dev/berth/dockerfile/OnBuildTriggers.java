package dev.berth.dockerfile;

import dev.berth.spec.SpecException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * ONBUILD: an instruction stored in the image's config as written, and run (as if it came right
 * after FROM) when an image is built on it. Triggers are not passed on to that image.
 */
final class OnBuildTriggers {
  private static final Set<String> NOT_TRIGGERS = Set.of("FROM", "MAINTAINER");

  private OnBuildTriggers() {}

  /** The trigger of {@code ONBUILD INSTRUCTION}, checked as Docker checks it. */
  static String validated(Instruction instruction, DockerfileParser.Parsed parsed) {
    String trigger = instruction.text().strip();
    String keyword = trigger.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
    if (keyword.equals("ONBUILD")) {
      throw new IllegalArgumentException("chaining ONBUILD via 'ONBUILD ONBUILD' isn't allowed");
    }
    if (NOT_TRIGGERS.contains(keyword)) {
      throw new IllegalArgumentException(keyword + " isn't allowed as an ONBUILD trigger");
    }
    StringBuilder stored = new StringBuilder(trigger);
    for (Heredoc heredoc : instruction.heredocs()) {
      stored.append('\n').append(heredoc.content()).append(heredoc.name());
    }
    parse(stored.toString(), parsed);
    return stored.toString();
  }

  /** Runs a base's triggers in {@code stage}, before its own instructions. */
  static void run(DockerfileStage stage, List<String> triggers, DockerfileParser.Parsed parsed) {
    for (String trigger : triggers) {
      stage.apply(parse(trigger, parsed));
    }
  }

  private static Instruction parse(String trigger, DockerfileParser.Parsed parsed) {
    try {
      List<Instruction> instructions = DockerfileParser.parse(parsed.file(), trigger, parsed.escape()).instructions();
      if (instructions.size() != 1) {  // heredoc lines belong to the one instruction
        throw new IllegalArgumentException("ONBUILD needs one instruction, not '" + trigger + "'");
      }
      return instructions.get(0);
    } catch (SpecException e) {
      throw new IllegalArgumentException("ONBUILD trigger '" + trigger + "': " + e.reason());
    }
  }
}
