package dev.berth.dockerfile;

/**
 * What a docker-pkg template's filter warns about while it renders, as docker-pkg warns: the
 * rendering goes on. {@link #message()} is the text a user reads.
 */
public sealed interface TemplateWarning {
  /** The warning as one line, docker-pkg's wording. */
  String message();

  /** {@code uid} of a user that {@code known_uid_mappings} lacks: the name is used as it is. */
  record UnmappedUser(String user) implements TemplateWarning {
    public UnmappedUser {
      if (user == null) {
        throw new IllegalArgumentException("an unmapped user needs its name");
      }
    }

    @Override
    public String message() {
      return "uid: no known_uid_mappings entry for user '" + user + "'; the name is used as it is";
    }
  }
}
