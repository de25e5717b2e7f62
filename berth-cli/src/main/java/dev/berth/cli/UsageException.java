package dev.berth.cli;

/**
 * The command line asked for something berth cannot do ({@code --output bogus:x}, a wrong option
 * value found after parsing): reported like picocli's own usage errors, with exit status 2.
 */
final class UsageException extends RuntimeException {
  UsageException(String message) {
    super(message);
  }
}
