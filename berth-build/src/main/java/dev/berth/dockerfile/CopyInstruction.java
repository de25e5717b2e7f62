package dev.berth.dockerfile;

import dev.berth.spec.StepContent;
import dev.berth.spec.StepSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** COPY and ADD of one stage: sources from the context or another image, into the stage's steps. */
final class CopyInstruction {
  private static final Pattern MODE = Pattern.compile("[0-7]{1,4}");
  private static final Pattern CHECKSUM = Pattern.compile("sha256:[0-9a-f]{64}");

  private final DockerfileStage stage;

  private CopyInstruction(DockerfileStage stage) {
    this.stage = stage;
  }

  static void apply(DockerfileStage stage, Instruction instruction) {
    new CopyInstruction(stage).copy(instruction);
  }

  private void copy(Instruction instruction) {
    String keyword = instruction.keyword();
    if (instruction.flags().containsKey("keep-git-dir")) {
      throw new IllegalArgumentException(keyword + " --keep-git-dir is not supported (a .git folder is not"
          + " reproducible); berth adds the commit's files");
    }
    // --link: berth's COPY layers hold the copied files only, as --link's do; the result is the same.
    ShellWords words = stage.words();
    List<String> parts = instruction.execForm()
        ? instruction.arguments().stream().map(words::word).toList()
        : words.words(instruction.text());
    if (parts.size() < 2) {
      throw new IllegalArgumentException(keyword + " needs a source and a destination");
    }
    List<String> sources = parts.subList(0, parts.size() - 1);
    String dest = parts.get(parts.size() - 1);
    if (heredoc(instruction, dest) != null) {
      throw new IllegalArgumentException(keyword + " cannot take a here-document as its destination");
    }
    String owner = flag(instruction, "chown", words);
    String mode = flag(instruction, "chmod", words);
    if (mode != null && !MODE.matcher(mode).matches()) {
      throw new IllegalArgumentException("invalid --chmod '" + mode + "': an octal mode such as 0755");
    }
    String checksum = flag(instruction, "checksum", words);
    if (checksum != null) {
      if (!CHECKSUM.matcher(checksum).matches()) {
        throw new IllegalArgumentException("invalid --checksum '" + checksum + "': sha256: and 64 lower-case hex"
            + " digits");
      }
      if (sources.size() != 1 || !isHttpUrl(sources.get(0)) || isGitSource(sources.get(0))) {
        throw new IllegalArgumentException("checksum can't be specified for non-HTTP(S) sources");
      }
    }
    boolean parents = flag(instruction, "parents", words) != null;
    if (parents && !List.of("", "true").contains(flag(instruction, "parents", words))) {
      throw new IllegalArgumentException("--parents takes no value");
    }
    List<String> excludes = excludes(instruction, words);
    String from = flag(instruction, "from", words);
    if (from != null) {
      // a wildcard may match one path: as Docker, that is checked when the copy runs
      copyFrom(from, sources, destination(parents && !dest.endsWith("/") ? dest + "/" : dest, sources.size() > 1,
          keyword), owner, mode, excludes, parents);
      return;
    }
    List<String> expanded = new ArrayList<>();
    List<StepContent> contents = new ArrayList<>();
    java.util.Map<String, String> kept = new java.util.HashMap<>();  // --parents: the part of each path kept
    for (String source : sources) {
      Heredoc heredoc = heredoc(instruction, source);
      if (heredoc != null) {  // BuildKit's rules: a quoted word keeps the text as written
        contents.add(new StepContent.Text(heredoc.name(),
            heredoc.expand() ? words.literalQuotes().word(heredoc.data()) : heredoc.data()));
      } else if (isGitSource(source)) {
        if (!keyword.equals("ADD")) {
          throw new IllegalArgumentException("source can't be a URL for COPY ('" + source + "'); use ADD");
        }
        contents.add(gitSource(source));
      } else if (source.matches("(?i)[a-z][a-z0-9+.-]*://.*")) {
        if (!keyword.equals("ADD") || !isHttpUrl(source)) {
          throw new IllegalArgumentException(keyword.equals("ADD") ? "ADD of '" + source + "': only http(s) URLs"
              + " are fetched" : "source can't be a URL for COPY ('" + source + "'); use ADD");
        }
        contents.add(new StepContent.Url(source, checksum));
      } else {
        for (String path : stage.conversion.context.expand(source, sources.size() > 1)) {
          expanded.add(path);
          kept.put(path, parents ? ParentPaths.kept(source, path) : null);
        }
      }
    }
    if (expanded.isEmpty() && contents.isEmpty()) {
      throw new IllegalArgumentException("no file of the build context matches " + sources);
    }
    String resolvedDest = destination(parents && !dest.endsWith("/") ? dest + "/" : dest,
        expanded.size() + contents.size() > 1, keyword);
    for (String source : expanded) {
      String into = parents ? ParentPaths.destination(directory(resolvedDest), kept.get(source),
          stage.conversion.context.isDirectory(source)) : resolvedDest;
      if (keyword.equals("ADD") && stage.conversion.context.isArchive(source)) {
        if (!excludes.isEmpty() && dev.berth.layer.IgnoreRules.parse(excludes)
            .isExcluded(source.substring(source.lastIndexOf('/') + 1))) {
          continue;  // an archive --exclude names is left out, not extracted
        }
        stage.steps.add(new StepSpec.AddArchive(source, directory(into), owner));
        // --chown: for the directories ADD makes, entries keep their own (BuildKit 20.10); --chmod: not for archives
      } else {
        stage.steps.add(new StepSpec.Copy(source, into, owner, mode, excludes));
      }
    }
    for (StepContent content : contents) {
      stage.steps.add(new StepSpec.CopyContent(content, resolvedDest, owner, mode));
    }
  }

  private void copyFrom(String from, List<String> sources, String dest, String owner, String mode,
      List<String> excludes, boolean parents) {
    String image = sourceImage(stage, from, "COPY --from");
    for (String path : sources) {
      String absolute = ImagePaths.normalize("/" + path);
      int pivot = ("/" + path).indexOf("/./");
      if (parents && pivot >= 0) {  // --parents: the /./ pivot is kept for the copy to see
        String before = ImagePaths.normalize("/" + path.substring(0, Math.max(pivot - 1, 0)));
        absolute = (before.equals("/") ? "" : before) + "/." + ImagePaths.normalize("/" + path.substring(pivot + 1));
      }
      stage.steps.add(new StepSpec.CopyFrom(image, absolute, dest, owner, mode, excludes, parents));
    }
  }

  /**
   * The image {@code from} names for {@code flag} ({@code COPY --from}, {@code RUN --mount=from}): an
   * earlier stage (then a dependency of {@code stage}), an image of the tree, or a reference.
   */
  static String sourceImage(DockerfileStage stage, String from, String flag) {
    DockerfileStage source = stage.conversion.stageForCopy(from);
    if (source != null) {
      stage.stageDependencies.add(source.index);
      return source.imageName();
    }
    if (from.isEmpty()) {
      throw new IllegalArgumentException(flag + " names no stage or image");
    }
    String image = stage.conversion.bases.treeImage(from).orElse(from);
    try {
      dev.berth.oci.ImageReference.parseDocker(image);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + "=" + from + " names no stage, and " + e.getMessage());
    }
    return image;
  }

  /** {@code --exclude} patterns (the flag may be given several times); a pattern that is blank is refused. */
  private List<String> excludes(Instruction instruction, ShellWords words) {
    String value = instruction.flags().get("exclude");
    if (value == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String pattern : value.split("\n")) {
      String expanded = words.word(pattern);
      if (expanded.isBlank()) {
        throw new IllegalArgumentException("--exclude needs a pattern");
      }
      out.add(expanded);
    }
    return out;
  }

  /** The here-document {@code word} opens ({@code <<EOF}, {@code <<-EOF}, quotes already removed), or null. */
  private static Heredoc heredoc(Instruction instruction, String word) {
    Heredoc.Opening opening = Heredoc.opening(word);
    if (opening == null) {
      return null;
    }
    return instruction.heredocs().stream().filter(h -> h.name().equals(opening.name())).findFirst().orElse(null);
  }

  /** BuildKit's git source: {@code URL#REF:SUBDIR}, both after {@code #} optional. */
  private static StepContent.Git gitSource(String source) {
    int hash = source.indexOf('#');
    String url = hash < 0 ? source : source.substring(0, hash);
    String fragment = hash < 0 ? "" : source.substring(hash + 1);
    int colon = fragment.indexOf(':');
    String ref = colon < 0 ? fragment : fragment.substring(0, colon);
    String subdir = colon < 0 ? "" : fragment.substring(colon + 1);
    if (ImagePaths.normalize("/" + subdir).contains("..")) {
      throw new IllegalArgumentException("the folder '" + subdir + "' of " + url + " leads outside the repository");
    }
    return new StepContent.Git(url, ref.isEmpty() ? null : ref,
        subdir.isEmpty() ? null : ImagePaths.normalize("/" + subdir).substring(1));
  }

  private static boolean isHttpUrl(String source) {
    return source.regionMatches(true, 0, "http://", 0, 7) || source.regionMatches(true, 0, "https://", 0, 8);
  }

  /** As BuildKit tells a git source: {@code git@}, {@code git://}, {@code ssh://}, or a URL of a {@code .git} path. */
  private static boolean isGitSource(String source) {
    String withoutFragment = source.contains("#") ? source.substring(0, source.indexOf('#')) : source;
    return source.startsWith("git@") || source.regionMatches(true, 0, "git://", 0, 6)
        || source.regionMatches(true, 0, "ssh://", 0, 6)
        || isHttpUrl(source) && withoutFragment.endsWith(".git");
  }

  private String flag(Instruction instruction, String flag, ShellWords words) {
    String value = instruction.flags().get(flag);
    return value == null ? null : words.word(value);
  }

  /** The destination, made absolute against a known WORKDIR; a directory keeps its trailing slash. */
  private String destination(String dest, boolean severalSources, String keyword) {
    if (dest.isEmpty()) {
      dest = ".";  // an empty destination (a variable that expands to nothing) is the working directory
    }
    boolean directory = dest.endsWith("/") || dest.equals(".") || dest.endsWith("/.") || dest.equals("..")
        || dest.endsWith("/..");
    if (severalSources && !directory) {
      throw new IllegalArgumentException(keyword + " of several sources needs a directory destination ending"
          + " with '/', not '" + dest + "'");
    }
    String absolute = dest.startsWith("/") ? dest : stage.workdir != null ? stage.workdir + "/" + dest : null;
    if (absolute == null) {
      return directory && !dest.endsWith("/") ? dest + "/" : dest;
    }
    String normalized = ImagePaths.normalize(absolute);
    return directory && !normalized.equals("/") ? normalized + "/" : normalized;
  }

  private String directory(String dest) {
    return dest.endsWith("/") || dest.equals("/") ? dest : dest + "/";
  }
}
