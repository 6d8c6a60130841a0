package dev.snakebridge.internal.environment;

import java.util.Locale;

/** When the runtime may set the project environment up itself at start-up, finding it out of date. */
public enum AutoInstall {
  /** Never: the start-up check warns (or fails, when strict). */
  NEVER,
  /** When the environment resource comes from a classes directory: development and tests, not a packaged jar. */
  DEV,
  /** Whenever it is out of date. */
  ALWAYS;

  /** The setting's name as written in the pom. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads {@code never}, {@code dev} or {@code always}; null means {@link #DEV}.
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static AutoInstall parse(String text) {
    if (text == null || text.isBlank()) {
      return DEV;
    }
    for (AutoInstall a : values()) {
      if (a.id().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return a;
      }
    }
    throw new IllegalArgumentException("autoInstall=" + text + " is not one of never, dev, always");
  }

  /** Whether a resource read from {@code source} (a URL) allows installing. */
  public boolean allows(String source) {
    return switch (this) {
      case NEVER -> false;
      case DEV -> source.startsWith("file:");
      case ALWAYS -> true;
    };
  }
}
