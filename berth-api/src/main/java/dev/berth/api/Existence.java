package dev.berth.api;

import dev.berth.oci.Digest;

/**
 * Whether an image's key is where it is published (or in the store, with no registry): present,
 * absent, or unknown because asking failed. Never an assumption: flytekit's "assume it exists" is
 * {@link Unknown} here, with the error.
 */
public sealed interface Existence {
  /** The reference asked about ({@code REGISTRY/NAME:KEY}, or {@code NAME:KEY} in the store). */
  String reference();

  record Present(String reference, Digest digest) implements Existence {}

  record Absent(String reference) implements Existence {}

  /** The registry could not be asked (unreachable, refused credentials…): {@code error} says why. */
  record Unknown(String reference, Exception error) implements Existence {}
}
