package dev.berth.cli;

import dev.berth.graph.ImageGraph;
import dev.berth.graph.TreeScanner;
import dev.berth.oci.ImageReference;
import dev.berth.spec.Changelog;
import dev.berth.spec.ImageSpec;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth update NAME --reason TEXT}: a new changelog entry for NAME and everything built on it. */
@Command(name = "update", description = {
    "Add a changelog entry to an image and, with an automatic version bump, to every image built on it."})
final class UpdateCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Parameters(index = "0", paramLabel = "NAME", description = "The image (exact name).")
  String name;

  @Parameters(index = "1", arity = "0..1", defaultValue = ".", paramLabel = "TREE", description = "The tree (default: .).")
  Path tree;

  @Option(names = "--reason", required = true, description = "What changed; the entry's text.")
  String reason;

  @Option(names = "--version", paramLabel = "V", description = "The image's new version (default: bump the last number).")
  String version;

  @Option(names = "--maintainer", description = "Name <email> of the entry (default: $DEBFULLNAME <$DEBEMAIL>).")
  String maintainer;

  @Override
  public Integer call() throws Exception {
    ImageGraph graph = TreeScanner.scan(tree, TreeScanner.Options.DEFAULT).graph();
    graph.spec(name);
    String who = maintainer != null ? maintainer : defaultMaintainer();
    ZonedDateTime now = ZonedDateTime.now();
    record Entry(ImageSpec spec, String packageName, String version, String text) {}
    java.util.List<Entry> entries = new java.util.ArrayList<>();
    for (String image : graph.withDependents(name)) {
      ImageSpec spec = graph.spec(image);
      Optional<Changelog> current = Changelog.read(spec.folder());
      String next;
      if (image.equals(name) && version != null) {
        next = version;
      } else if (current.isPresent()) {
        next = Changelog.bump(current.get().version());
      } else if (image.equals(name)) {
        throw new IllegalArgumentException(name + " has no changelog; give --version to start one");
      } else {
        System.err.println(image + ": no changelog, not versioned (its key changes with " + name + ")");
        continue;
      }
      if (!ImageReference.isValidTag(next)) {
        throw new IllegalArgumentException("version '" + next + "' of " + image + " is not a valid tag");
      }
      String text = image.equals(name) ? reason : "Rebuild for " + name + ": " + reason;
      entries.add(new Entry(spec, current.map(Changelog::packageName).orElse(image.replace('/', '-')), next, text));
    }
    for (Entry entry : entries) {
      Changelog.prepend(entry.spec().folder(), entry.packageName(), entry.version(), entry.text(), who, now);
      System.out.println(entry.spec().name() + " " + entry.version());
    }
    return ExitCodes.OK;
  }

  private static String defaultMaintainer() {
    String fullName = System.getenv().getOrDefault("DEBFULLNAME", "berth");
    String email = System.getenv().getOrDefault("DEBEMAIL", "berth@localhost");
    return fullName + " <" + email + ">";
  }
}
