package dev.berth.engine;

import java.util.Objects;

/**
 * The base an image was planned on, as its content key depends on it: an image from outside the tree
 * (known by its manifest digest, or {@code scratch}), or the parent image of the same tree (known by
 * its content key, since it may not be built yet).
 */
public sealed interface PlannedBase {

  /** What the content key and the journal record for this base; never parsed back. */
  String recorded();

  /** How {@code berth explain} shows it. */
  String shown();

  /** The parent's content key when the base is the parent image of the same tree. */
  java.util.Optional<ContentKey> treeParent();

  /** A base from outside the tree, by the identity its resolution gave ({@link BaseImage#identity()}). */
  record External(String identity) implements PlannedBase {
    public External {
      Objects.requireNonNull(identity, "identity");
    }

    @Override
    public String recorded() {
      return identity;
    }

    @Override
    public String shown() {
      return identity;
    }

    @Override
    public java.util.Optional<ContentKey> treeParent() {
      return java.util.Optional.empty();
    }
  }

  /** The parent image of the same tree, by its content key. */
  record TreeParent(ContentKey key) implements PlannedBase {
    public TreeParent {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public String recorded() {
      return "tree:" + key.digest();  // the form keys have always recorded: changing it would change every key
    }

    @Override
    public String shown() {
      return "key " + key.digest();
    }

    @Override
    public java.util.Optional<ContentKey> treeParent() {
      return java.util.Optional.of(key);
    }
  }
}
