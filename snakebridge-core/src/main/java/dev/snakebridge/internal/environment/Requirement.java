package dev.snakebridge.internal.environment;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One Python package an environment must hold: the distribution pip installs, the version it accepts, its
 * extras, and the import name code generation uses. Immutable and thread-safe.
 *
 * @param importName the top-level module ({@code sklearn}); may be null for a package that is only installed
 * @param distribution the name on the package index ({@code scikit-learn})
 * @param version an exact version ({@code 1.26.0}), a PEP 440 specifier ({@code >=1.24,<2}), or null for any
 * @param extras optional features ({@code [socks]} in pip's syntax), without brackets
 */
public record Requirement(String importName, String distribution, String version, List<String> extras) {
  private static final String NAME = "[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?";
  /** A PEP 440 version as written: a digit first (after an optional v), then release, pre, post, local parts. */
  private static final String VERSION = "v?[0-9][A-Za-z0-9.*+!_-]*";

  /** Validates the names and the version; rejects what pip would misread. */
  public Requirement {
    Objects.requireNonNull(distribution, "distribution");
    distribution = distribution.trim();
    if (!distribution.matches(NAME)) {
      throw new IllegalArgumentException("'" + distribution + "' is not a Python distribution name (letters, digits,"
          + " '.', '_', '-')");
    }
    if (version != null) {
      version = version.trim();
      if (version.isEmpty()) {
        version = null;
      } else if (!version.matches(VERSION + "|(\\s*(===|==|!=|~=|>=|<=|>|<)\\s*" + VERSION + "\\s*,?)+")) {
        throw new IllegalArgumentException(distribution + ": version '" + version + "' is neither a version"
            + " (1.26.0) nor a PEP 440 specifier (>=1.24,<2)");
      }
    }
    extras = extras == null ? List.of() : extras.stream().map(String::trim).filter(e -> !e.isEmpty()).toList();
    for (String extra : extras) {
      if (!extra.matches(NAME)) {
        throw new IllegalArgumentException(distribution + ": extra '" + extra + "' is not a valid name");
      }
    }
  }

  /** The requirement for {@code distribution} at {@code version} (may be null), no extras, no import name. */
  public static Requirement of(String distribution, String version) {
    return new Requirement(null, distribution, version, List.of());
  }

  /**
   * Reads a requirement in pip's syntax: {@code numpy}, {@code numpy==1.26.0}, {@code scikit-learn[extra]>=1.3,<2}.
   *
   * @throws IllegalArgumentException naming the text when it is not one
   */
  public static Requirement parse(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("\\s*(" + NAME + ")\\s*(?:\\[([^\\]]*)\\])?\\s*(.*)").matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a requirement such as numpy==1.26.0 or"
          + " scikit-learn[extra]>=1.3,<2");
    }
    List<String> extras = m.group(3) == null ? List.of() : List.of(m.group(3).split(","));
    String version = m.group(4).isBlank() ? null : m.group(4).trim();
    return new Requirement(null, m.group(1), version, extras);
  }

  /** Whether {@link #version()} names one exact version rather than a range. */
  public boolean exact() {
    return version != null && !version.contains("*")
        && (version.matches(VERSION) || version.matches("\\s*===?\\s*" + VERSION + "\\s*"));
  }

  /** The exact version wanted, or null when {@link #version()} is a range or absent. */
  public String exactVersion() {
    return exact() ? version.replaceFirst("^\\s*===?\\s*", "").trim() : null;
  }

  /** The requirement in pip's syntax: {@code scikit-learn[extra]==1.3.0}, {@code numpy>=1.24,<2}. */
  public String pipSpec() {
    StringBuilder s = new StringBuilder(distribution);
    if (!extras.isEmpty()) {
      s.append('[').append(String.join(",", extras)).append(']');
    }
    if (version != null) {
      s.append(version.matches(VERSION) ? "==" + version : version.replace(" ", ""));
    }
    return s.toString();
  }

  /** The distribution name as PEP 503 compares them: lower case, runs of {@code -_.} as one {@code -}. */
  public String normalizedName() {
    return normalize(distribution);
  }

  /** PEP 503 normalization of a distribution name. */
  public static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
  }
}
