package dev.berth.engine;

import java.util.Locale;

/**
 * When a base from a registry is fetched: {@code missing} (only when the store lacks it),
 * {@code always} (ask the registry every time; a moved tag is pulled again, and a registry that
 * cannot answer is an error), {@code never} (the store's copy, or an error).
 */
public enum PullPolicy {
  MISSING, ALWAYS, NEVER;

  public static PullPolicy parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--pull is missing, always or never, not '" + text + "'");
    }
  }
}
