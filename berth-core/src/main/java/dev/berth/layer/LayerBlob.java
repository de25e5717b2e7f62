package dev.berth.layer;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;

/** A layer written to the store: its blob descriptor and the digest of its uncompressed tar. */
public record LayerBlob(Descriptor descriptor, Digest diffId) {}
