package dev.berth.engine;

import dev.berth.oci.Digest;
import dev.berth.spec.StepContent;
import dev.berth.spec.StepSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Git sources of ADD, with the {@code git} command: the ref is resolved to a commit on every plan
 * ({@code git ls-remote}, so a moved branch is a new input), each commit is cloned and checked out
 * once under {@code STORE/berth-git/COMMIT}, without {@code .git}, and its files are the step's
 * inputs (keyed by content, so the key follows the commit's tree).
 */
final class GitCheckouts {
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
  private static final long TIMEOUT_MINUTES = 10;

  private final Path root;

  GitCheckouts(Path root) {
    this.root = root;
  }

  List<InputFile> files(StepContent.Git git) throws IOException {
    String commit = commit(git);
    Path tree = root.resolve(commit);
    if (!Files.isDirectory(tree)) {
      checkout(git, commit, tree);
    }
    Path top = git.subdir() == null || git.subdir().isEmpty() ? tree : tree.resolve(git.subdir()).normalize();
    if (!top.startsWith(tree) || !Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
      throw new BuildException("ADD " + ContentInputs.shown(git.url()) + ": commit " + commit + " has no folder '"
          + git.subdir() + "'");
    }
    List<InputFile> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(top)) {
      for (Path path : walk.sorted().toList()) {
        out.add(input(top.relativize(path).toString(), path));
      }
    }
    return out;
  }

  /** The commit {@code git.ref()} names: itself when it is one, else as the remote resolves it now. */
  private String commit(StepContent.Git git) throws IOException {
    String ref = git.ref() == null || git.ref().isEmpty() ? "HEAD" : git.ref();
    if (COMMIT.matcher(ref).matches()) {
      return ref;
    }
    java.util.Map<String, String> refs = new java.util.HashMap<>();
    for (String line : git(null, git.url(), "ls-remote", git.url()).split("\n")) {
      String[] fields = line.split("\t");
      if (fields.length == 2 && COMMIT.matcher(fields[0]).matches()) {
        refs.put(fields[1], fields[0]);
      }
    }
    // an annotated tag's commit first, then the tag, a branch, or a full ref name as written
    String found = null;
    for (String name : List.of("refs/tags/" + ref + "^{}", "refs/tags/" + ref, "refs/heads/" + ref, ref)) {
      if (found == null) {
        found = refs.get(name);
      }
    }
    if (found == null) {
      throw new BuildException("ADD " + ContentInputs.shown(git.url()) + ": the repository has no ref '" + ref + "'");
    }
    return found;
  }

  private void checkout(StepContent.Git git, String commit, Path tree) throws IOException {
    Files.createDirectories(root);
    Path partial = root.resolve(dev.berth.store.ContentStore.tempName("checkout"));
    try {
      git(null, git.url(), "clone", "--quiet", "--no-checkout", git.url(), partial.toString());
      git(partial, git.url(), "-c", "advice.detachedHead=false", "checkout", "--quiet", commit);
      deleteTree(partial.resolve(".git"));
      try {
        Files.move(partial, tree, StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
        // another build checked the same commit out first: theirs is the same
      }
    } finally {
      if (Files.exists(partial, LinkOption.NOFOLLOW_LINKS)) {
        deleteTree(partial);
      }
    }
  }

  private static InputFile input(String path, Path file) throws IOException {
    int mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    if (Files.isSymbolicLink(file)) {
      return new InputFile(path, InputFile.Kind.SYMLINK, mode, null, Files.readSymbolicLink(file).toString(), file);
    }
    if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
      return new InputFile(path, InputFile.Kind.DIRECTORY, mode, null, null, file);
    }
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[65536];
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        sha256.update(buffer, 0, read);
      }
    }
    return new InputFile(path, InputFile.Kind.FILE, mode, Digest.fromHash("sha256", sha256.digest()), null, file);
  }

  /** Runs git without prompting; its output, or a BuildException with its last line (the URL shown without credentials). */
  private static String git(Path directory, String url, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    builder.environment().put("GIT_TERMINAL_PROMPT", "0");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new BuildException("ADD " + ContentInputs.shown(url) + ": git is not installed (apt-get install git)");
    }
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new BuildException("ADD " + ContentInputs.shown(url) + ": git " + args[0] + " took over "
            + TIMEOUT_MINUTES + " minutes");
      }
      if (process.exitValue() != 0) {
        String last = output.strip().lines().reduce((a, b) -> b).orElse("exit status " + process.exitValue());
        throw new BuildException("ADD " + ContentInputs.shown(url) + ": git " + args[0] + " failed: "
            + last.replace(url, ContentInputs.shown(url)));
      }
      return output;
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("git " + args[0] + " interrupted");
    }
  }

  private static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path each : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(each);
      }
    }
  }
}
