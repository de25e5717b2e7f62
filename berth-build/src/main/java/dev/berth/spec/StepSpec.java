package dev.berth.spec;

import java.util.List;
import java.util.Map;

/** One build step as a spec states it, before files are read or commands run. */
public sealed interface StepSpec {
  /** {@code apt: [...]}: packages installed with apt-get, lists and caches removed in the same step. */
  record Apt(List<String> packages) implements StepSpec {
    public Apt {
      packages = List.copyOf(packages);
    }
  }

  /** {@code pip: [...]}: packages installed with {@code python3 -m pip}. */
  record Pip(List<String> packages) implements StepSpec {
    public Pip {
      packages = List.copyOf(packages);
    }
  }

  /** {@code requirements: FILE}: a pip requirements file of the image folder. */
  record Requirements(String file) implements StepSpec {}

  /** {@code run:} one command. */
  record Run(Command command) implements StepSpec {}

  /** {@code layers:} a directory or .zip merged under {@code dest} (default /opt), one layer each. */
  record Layer(String src, String dest) implements StepSpec {}

  /** {@code copy:} files of the image folder into the image. */
  record Copy(String src, String dest, String owner, String mode) implements StepSpec {}

  /** {@code env:} inside {@code steps:}, visible to the steps after it and in the image. */
  record Env(Map<String, String> variables) implements StepSpec {
    public Env {
      variables = Map.copyOf(variables);
    }
  }

  /** {@code workdir:} inside {@code steps:}. */
  record Workdir(String path) implements StepSpec {}

  /** {@code user:} inside {@code steps:}. */
  record User(String user) implements StepSpec {}
}
