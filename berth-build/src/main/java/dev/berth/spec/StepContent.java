package dev.berth.spec;

import java.util.Map;

/** What a {@link StepSpec.CopyContent} writes. */
public sealed interface StepContent {
  /** Adds what the content's key records to {@code fields}. */
  void keyFields(Map<String, Object> fields);

  /**
   * Whether the content is fetched from the network on every plan (a download, a git ref), so that
   * nothing on this machine tells whether it changed.
   */
  default boolean fetched() {
    return false;
  }

  /** What {@code visitor} does with this kind of content. */
  <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X;

  /** What to do with each kind of content, one method per kind; {@code X}: what the methods may throw. */
  interface Visitor<R, X extends Exception> {
    R text(Text content) throws X;

    R url(Url content) throws X;

    R git(Git content) throws X;
  }

  /** Text of a here-document, already expanded as its Dockerfile says, under the file name {@code name}. */
  record Text(String name, String data) implements StepContent {
    @Override
    public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
      return visitor.text(this);
    }

    /** The text itself is keyed as the input file's digest. */
    @Override
    public void keyFields(Map<String, Object> fields) {
      fields.put("heredoc", name);
    }
  }

  /**
   * An HTTP(S) download; {@code checksum} ({@code sha256:HEX}, or null) is what its content must
   * hash to.
   */
  record Url(String url, String checksum) implements StepContent {
    @Override
    public boolean fetched() {
      return true;
    }

    @Override
    public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
      return visitor.url(this);
    }

    @Override
    public void keyFields(Map<String, Object> fields) {
      fields.put("url", url);
      if (checksum != null) {
        fields.put("checksum", checksum);
      }
    }
  }

  /**
   * A git repository's tree at {@code ref} (null: the remote's HEAD), or its folder {@code subdir}
   * (null: all), without {@code .git}: {@code ADD https://host/repo.git#ref:subdir DIR}.
   */
  record Git(String url, String ref, String subdir) implements StepContent {
    @Override
    public boolean fetched() {
      return true;
    }

    @Override
    public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
      return visitor.git(this);
    }

    /** The commit is keyed by the files it has. */
    @Override
    public void keyFields(Map<String, Object> fields) {
      fields.put("git", url);
      fields.put("ref", ref == null ? "HEAD" : ref);
      fields.put("subdir", subdir == null ? "" : subdir);
    }
  }
}
