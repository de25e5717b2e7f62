package dev.berth.layer;

/** Ownership and permission bits of a layer entry; null fields take the defaults (0, 0, the file's mode). */
public record EntryAttributes(Integer uid, Integer gid, Integer mode) {
  public static final EntryAttributes DEFAULT = new EntryAttributes(null, null, null);
}
