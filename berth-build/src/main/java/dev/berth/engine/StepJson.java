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
    Map<String, Object> out = new TreeMap<>();
    if (step instanceof StepSpec.Apt apt) {
      out.put("apt", apt.packages());
    } else if (step instanceof StepSpec.Pip pip) {
      out.put("pip", pip.packages());
    } else if (step instanceof StepSpec.Requirements requirements) {
      out.put("requirements", requirements.file());
    } else if (step instanceof StepSpec.Run run) {
      out.put("run", command(run.command()));
      if (run.network() != null) {
        out.put("runNetwork", run.network().name());
      }
      if (!run.mounts().isEmpty()) {  // what a bind shows is keyed as the step's input files
        out.put("runMounts", run.mounts().stream().map(StepJson::mount).toList());
      }
    } else if (step instanceof StepSpec.Layer layer) {
      out.put("layers", Map.of("src", layer.src(), "dest", layer.dest()));
    } else if (step instanceof StepSpec.Copy copy) {
      Map<String, Object> fields = copyFields(copy.src(), copy.dest(), copy.owner(), copy.mode());
      if (!copy.excludes().isEmpty()) {
        fields.put("excludes", copy.excludes());
      }
      out.put("copy", fields);
    } else if (step instanceof StepSpec.Env env) {
      out.put("env", new TreeMap<>(env.variables()));
    } else if (step instanceof StepSpec.DefaultEnv defaults) {
      out.put("defaultEnv", new TreeMap<>(defaults.variables()));
    } else if (step instanceof StepSpec.Workdir workdir) {
      out.put("workdir", workdir.path());
    } else if (step instanceof StepSpec.User user) {
      out.put("user", user.user());
    } else if (step instanceof StepSpec.CopyFrom copy) {
      Map<String, Object> fields = copyFields(copy.src(), copy.dest(), copy.owner(), copy.mode());
      fields.put("image", copy.image());
      if (!copy.excludes().isEmpty()) {
        fields.put("excludes", copy.excludes());
      }
      if (copy.parents()) {
        fields.put("parents", true);
      }
      out.put("copyFrom", fields);
    } else if (step instanceof StepSpec.AddArchive archive) {
      Map<String, Object> fields = new TreeMap<>(Map.of("src", archive.src(), "dest", archive.dest()));
      if (archive.owner() != null) {
        fields.put("owner", archive.owner());
      }
      out.put("addArchive", fields);
    } else if (step instanceof StepSpec.CopyContent copy) {
      Map<String, Object> fields = copyFields(null, copy.dest(), copy.owner(), copy.mode());
      fields.remove("src");
      if (copy.content() instanceof StepSpec.Content.Text text) {
        fields.put("heredoc", text.name());  // the text itself is keyed as the input file's digest
      } else if (copy.content() instanceof StepSpec.Content.Url url) {
        fields.put("url", url.url());
        if (url.checksum() != null) {
          fields.put("checksum", url.checksum());
        }
      } else if (copy.content() instanceof StepSpec.Content.Git git) {  // the commit is keyed by the files it has
        fields.put("git", git.url());
        fields.put("ref", git.ref() == null ? "HEAD" : git.ref());
        fields.put("subdir", git.subdir() == null ? "" : git.subdir());
      }
      out.put("copyContent", fields);
    } else if (step instanceof StepSpec.Shell shell) {
      out.put("shell", shell.shell());
    } else if (step instanceof StepSpec.BuildArgs args) {
      out.put("buildArgs", new TreeMap<>(args.variables()));
    }
    return out;
  }

  private static Map<String, Object> copyFields(String src, String dest, String owner, String mode) {
    Map<String, Object> fields = new TreeMap<>();
    fields.put("src", src);
    fields.put("dest", dest);
    if (owner != null) {
      fields.put("owner", owner);
    }
    if (mode != null) {
      fields.put("mode", mode);
    }
    return fields;
  }

  static Object command(Command command) {
    return command instanceof Command.Exec exec ? exec.args() : ((Command.Shell) command).script();
  }

  /** Everything of a spec that shapes the image, defaults filled; secrets by id only, never content. */
  static Map<String, Object> spec(ImageSpec spec) {
    Map<String, Object> out = new TreeMap<>();
    out.put("name", spec.name());
    out.put("base", spec.base());
    out.put("platform", spec.platform().toString());
    out.put("steps", spec.steps().stream().map(StepJson::step).toList());
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

  /** A RUN mount as keyed: a bind from an image is keyed by the image's digest besides (see ImageBuilder). */
  private static Map<String, Object> mount(StepSpec.Mount mount) {
    if (mount instanceof StepSpec.Mount.Bind bind) {
      return Map.of("bind", bind.source(), "target", bind.target(), "rw", bind.readWrite());
    }
    if (mount instanceof StepSpec.Mount.ImageBind bind) {
      return Map.of("bindFrom", bind.image(), "source", bind.source(), "target", bind.target(), "rw", bind.readWrite());
    }
    if (mount instanceof StepSpec.Mount.Ssh ssh) {  // the host's socket is no input: only which agent, where
      return Map.of("ssh", ssh.id(), "target", ssh.target());
    }
    StepSpec.Mount.Tmpfs tmpfs = (StepSpec.Mount.Tmpfs) mount;
    return Map.of("tmpfs", tmpfs.target(), "size", tmpfs.size());
  }
}
