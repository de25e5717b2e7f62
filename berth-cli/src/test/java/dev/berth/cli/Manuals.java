package dev.berth.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes berth's shell completion and the AsciiDoc of its manual pages from the command classes, so
 * they never drift from the options. Run by berth-cli's package phase (it needs picocli-codegen, a
 * test dependency, so it is never shipped); {@code scripts/install} turns the AsciiDoc into man pages
 * with asciidoctor. Writes under DIR:
 * {@code completion/berth.bash}, {@code completion/_berth} (zsh) and {@code adoc/berth*.adoc}.
 */
public final class Manuals {
  private Manuals() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: Manuals DIR");
    }
    write(Path.of(args[0]));
  }

  static void write(Path directory) throws IOException {
    CommandLine berth = Main.withAllCommands();
    Path completion = Files.createDirectories(directory.resolve("completion"));
    String bash = AutoComplete.bash("berth", berth);
    Files.writeString(completion.resolve("berth.bash"), bash, StandardCharsets.UTF_8);
    // zsh runs picocli's bash completion through bashcompinit; as an autoloaded #compdef function it
    // registers the completion on first use and then completes the word it was called for.
    Files.writeString(completion.resolve("_berth"), "#compdef berth\n"
        + "autoload -U +X bashcompinit && bashcompinit\n"
        + bash
        + "\nif [[ -n ${compstate-} ]]; then _bash_complete -F _complete_berth; fi\n", StandardCharsets.UTF_8);
    Path adoc = Files.createDirectories(directory.resolve("adoc"));
    int status = ManPageGenerator.generateManPage(adoc.toFile(), (File) null, new boolean[0], true, berth.getCommandSpec());
    if (status != 0) {
      throw new IOException("picocli's ManPageGenerator failed with status " + status);
    }
  }
}
