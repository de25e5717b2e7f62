package dev.berth.registry;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLException;

/**
 * Every retry decision berth makes when talking to a registry: which failures are worth another
 * try, how long to wait (exponential backoff, half of it random, or the server's Retry-After), and
 * when to give up.
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {
  public static final RetryPolicy DEFAULT = new RetryPolicy(6, Duration.ofMillis(200), Duration.ofSeconds(10));
  public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException("retry delays must satisfy 0 <= initial <= max");
    }
  }

  /** Whether a response with {@code status} should be retried: server errors and 429. */
  public boolean isRetryableStatus(int status) {
    return status == 429 || status == 408 || (status >= 500 && status != 501 && status != 505);
  }

  /** Whether a failure without a usable response (reset, timeout, refused) should be retried. */
  public boolean isRetryableFailure(IOException failure) {
    if (failure instanceof RegistryException || failure instanceof SSLException) {
      return false;
    }
    return failure instanceof HttpTimeoutException || failure instanceof java.net.SocketException
        || failure instanceof java.io.EOFException || failure instanceof java.net.http.HttpConnectTimeoutException
        || failure.getClass() == IOException.class;
  }

  public boolean hasAttemptsLeft(int attemptsMade) {
    return attemptsMade < maxAttempts;
  }

  /**
   * How long to wait before attempt {@code attemptsMade + 1}: the server's Retry-After when it gave
   * one (capped at the maximum delay), else a delay between half and all of
   * {@code initial * 2^(attempts-1)}, chosen at random so parallel transfers do not retry in step.
   */
  public Duration delayBefore(int attemptsMade, Optional<Duration> retryAfter) {
    if (retryAfter.isPresent()) {
      return retryAfter.get().compareTo(maxDelay) > 0 ? maxDelay : retryAfter.get();
    }
    long ceiling = Math.min(maxDelay.toMillis(), initialDelay.toMillis() << Math.min(attemptsMade - 1, 20));
    long half = ceiling / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
  }

  /** Parses a Retry-After header: delta seconds or an HTTP date. */
  public static Optional<Duration> parseRetryAfter(String value, ZonedDateTime now) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String trimmed = value.trim();
    try {
      long seconds = Long.parseLong(trimmed);
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime when = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration until = Duration.between(now, when);
        return Optional.of(until.isNegative() ? Duration.ZERO : until);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }
}
