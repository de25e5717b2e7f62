package dev.berth.engine;

import dev.berth.spec.Command;
import dev.berth.spec.ImageSpec;
import dev.berth.spec.StepSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The canonical description of specs and steps that content keys and step keys hash. */
final class StepJson {
  private StepJson() {}

  static Map<String, Object> step(StepSpec step) {
    return step.keyDocument();
  }

  static Object command(Command command) {
    return command.keyForm();
  }

  /** Everything of a spec that shapes the image, defaults filled; secrets by id only, never content. */
  static Map<String, Object> spec(ImageSpec spec) {
    Map<String, Object> out = new TreeMap<>();
    out.put("name", spec.name());
    out.put("base", spec.base());
    out.put("platform", spec.platform().toString());
    out.put("steps", spec.steps().stream().map(StepJson::step).toList());
    if (spec.gitignore()) {  // left out when off, so that images without it keep their keys
      out.put("gitignore", true);
    }
    ImageSpec.RuntimeConfig config = spec.config();
    Map<String, Object> runtime = new TreeMap<>();
    runtime.put("env", new TreeMap<>(config.env()));
    runtime.put("workdir", config.workdir());
    runtime.put("user", config.user());
    runtime.put("entrypoint", config.entrypoint());
    runtime.put("cmd", config.cmd());
    runtime.put("expose", config.expose().stream().sorted().toList());
    runtime.put("labels", new TreeMap<>(config.labels()));
    runtime.put("volumes", config.volumes().stream().sorted().toList());
    runtime.put("stopSignal", config.stopSignal());
    // Left out when unset, so that images without them keep their keys.
    if (config.healthcheck() != null) {
      runtime.put("healthcheck", config.healthcheck());
    }
    if (!config.onBuild().isEmpty()) {
      runtime.put("onBuild", config.onBuild());
    }
    if (config.shell() != null) {
      runtime.put("shell", config.shell());
    }
    if (config.author() != null) {
      runtime.put("author", config.author());
    }
    out.put("config", runtime);
    out.put("network", spec.network().name());
    out.put("cache", spec.caches());
    out.put("secrets", spec.secrets().stream().map(ImageSpec.Secret::id).sorted().toList());
    Map<String, Object> verify = new LinkedHashMap<>();
    verify.put("commands", spec.verify().stream().map(StepJson::command).toList());
    out.put("verify", verify);
    out.put("tags", List.copyOf(spec.tags()));
    return out;
  }
}
