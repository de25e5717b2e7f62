package dev.berth.spec;

import java.util.List;

/** A command of a run step or a check: a shell string, or an exec-form argument list. */
public sealed interface Command {
  /** The argv that runs it in an image whose shell is {@code shell}. */
  List<String> argv(List<String> shell);

  /** How a content key records it: the script, or the exec form's arguments. */
  Object keyForm();

  /** How it reads in a spec and in image history. */
  String display();

  record Shell(String script) implements Command {
    public Shell {
      if (script == null || script.isBlank()) {
        throw new IllegalArgumentException("empty shell command");
      }
    }

    @Override
    public Object keyForm() {
      return script;
    }

    @Override
    public List<String> argv(List<String> shell) {
      return java.util.stream.Stream.concat(shell.stream(), java.util.stream.Stream.of(script)).toList();
    }

    @Override
    public String display() {
      return script;
    }
  }

  record Exec(List<String> args) implements Command {
    public Exec {
      if (args == null || args.isEmpty()) {
        throw new IllegalArgumentException("empty exec command");
      }
      args = List.copyOf(args);
    }

    @Override
    public Object keyForm() {
      return args;
    }

    @Override
    public List<String> argv(List<String> shell) {
      return args;
    }

    @Override
    public String display() {
      return String.join(" ", args);
    }
  }

  List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");
}
