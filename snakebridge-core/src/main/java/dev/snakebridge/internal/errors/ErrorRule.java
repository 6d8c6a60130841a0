package dev.snakebridge.internal.errors;

import dev.snakebridge.PythonException;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One translation rule: which Python exception types it looks at, the message pattern it looks for
 * (searched anywhere in the message, so prefixes such as torch's {@code "[enforce fail at ...] "} do
 * not matter) and how the translated exception is built from the match.
 *
 * @param name a short name for the rule, used in tests and docs
 * @param appliesTo the predicate on the exception's type and bases, usually {@code e -> e.is("ValueError")}
 * @param pattern the regular expression searched for in {@link PythonException#pythonMessage()}
 * @param builder builds the translated exception, or returns {@code null} to decline after all
 */
record ErrorRule(String name, Predicate<PythonException> appliesTo, Pattern pattern, Builder builder) {

  /** Builds the translated exception from the raw one and the message match. */
  @FunctionalInterface
  interface Builder {
    /** The translated exception, or {@code null} when the match turns out not to fit. */
    PythonException build(PythonException raw, Matcher match);
  }

  ErrorRule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(appliesTo, "appliesTo");
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(builder, "builder");
  }

  /** A rule whose pattern is compiled from {@code regex}. */
  static ErrorRule of(String name, Predicate<PythonException> appliesTo, String regex, Builder builder) {
    return new ErrorRule(name, appliesTo, Pattern.compile(regex), builder);
  }

  /** The translated exception, or {@code null} when this rule does not apply to {@code raw}. */
  PythonException apply(PythonException raw, String message) {
    if (!appliesTo.test(raw)) {
      return null;
    }
    Matcher match = pattern.matcher(message);
    if (!match.find()) {
      return null;
    }
    return builder.build(raw, match);
  }

  /** The Python message of {@code raw}, {@code ""} when there is none. */
  static String message(PythonException raw) {
    return raw.pythonMessage() == null ? "" : raw.pythonMessage();
  }

  /** The predicate "an instance of any of these Python classes" (simple or qualified names). */
  static Predicate<PythonException> isA(String... pythonTypes) {
    return e -> {
      for (String type : pythonTypes) {
        if (e.is(type)) {
          return true;
        }
      }
      return false;
    };
  }
}
