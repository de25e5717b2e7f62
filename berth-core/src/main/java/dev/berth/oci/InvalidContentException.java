package dev.berth.oci;

/** Content that is not what it claims to be: bad JSON, a wrong digest, a hostile tar entry. */
public class InvalidContentException extends RuntimeException {
  public InvalidContentException(String message) {
    super(message);
  }
}
