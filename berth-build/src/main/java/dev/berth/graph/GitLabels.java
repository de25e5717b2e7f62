package dev.berth.graph;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The labels buildx sets with {@code BUILDX_GIT_LABELS}: {@code org.opencontainers.image.revision},
 * the commit of the tree's git checkout ({@code -dirty} when it has changes), and
 * {@code org.opencontainers.image.source}, the URL of its {@code origin} remote without credentials
 * (left out when there is none).
 */
public final class GitLabels {
  public static final String REVISION = "org.opencontainers.image.revision";
  public static final String SOURCE = "org.opencontainers.image.source";

  private GitLabels() {}

  public static Map<String, String> of(Path tree) throws IOException {
    Optional<String> commit = git(tree, "rev-parse", "HEAD");
    if (commit.isEmpty()) {
      throw new GraphException("--label-git: " + tree + " is not in a git checkout with a commit");
    }
    boolean dirty = git(tree, "status", "--porcelain", "--ignored=no").map(status -> !status.isEmpty()).orElse(false);
    Map<String, String> labels = new TreeMap<>();
    labels.put(REVISION, commit.get() + (dirty ? "-dirty" : ""));
    git(tree, "remote", "get-url", "origin").map(GitLabels::withoutCredentials).ifPresent(url -> labels.put(SOURCE, url));
    return labels;
  }

  /** {@code https://user:token@host/repo.git} as {@code https://host/repo.git}; scp-like URLs stay as they are. */
  static String withoutCredentials(String url) {
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      return url;
    }
    int hostStart = scheme + 3;
    int slash = url.indexOf('/', hostStart);
    int at = url.lastIndexOf('@', slash < 0 ? url.length() : slash);
    return at < hostStart ? url : url.substring(0, hostStart) + url.substring(at + 1);
  }

  private static Optional<String> git(Path tree, String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of("git", "-C", tree.toString()));
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new GraphException("--label-git needs git, which is not installed (apt-get install git)");
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("git " + String.join(" ", args) + " did not finish in " + tree);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while running git in " + tree);
    }
    return process.exitValue() == 0 ? Optional.of(out) : Optional.empty();
  }
}
