package dev.snakebridge.codegen;

import java.util.Locale;

/** Which methods a class wrapper gets: inherited and declared ({@link #ALL}) or declared only ({@link #DEFINED}). */
public enum ClassMethodScope {
  /** Methods and properties the class declares or inherits from any base but {@code object} (the default). */
  ALL,
  /** Only what the class itself declares. */
  DEFINED;

  /** The configuration name: {@code "all"} or {@code "defined"}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code all} or {@code defined}, ignoring case.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static ClassMethodScope parse(String text) {
    for (ClassMethodScope m : values()) {
      if (m.id().equalsIgnoreCase(text.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown classMethodScope '" + text + "'; expected all or defined");
  }
}
