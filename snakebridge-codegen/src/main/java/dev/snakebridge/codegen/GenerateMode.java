package dev.snakebridge.codegen;

import java.util.Locale;

/** What to generate: the library's whole surface ({@link #ALL}) or only what the Java sources use ({@link #USED}). */
public enum GenerateMode {
  /** Every module, class and function the module mode finds; what cannot be generated is reported and skipped. */
  ALL,
  /**
   * Only the members the project's Java sources reference (the default); a referenced member the library
   * lacks fails the generation with its name.
   */
  USED;

  /** The configuration name: {@code "all"} or {@code "used"}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code all} or {@code used}, ignoring case.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static GenerateMode parse(String text) {
    for (GenerateMode m : values()) {
      if (m.id().equalsIgnoreCase(text.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown generate mode '" + text + "'; expected all or used");
  }
}
