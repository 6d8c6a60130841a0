package dev.snakebridge.internal.errors;

import dev.snakebridge.DtypeMismatchException;
import dev.snakebridge.OutOfMemoryException;
import dev.snakebridge.PythonException;
import dev.snakebridge.ShapeMismatchException;
import java.util.ArrayList;
import java.util.List;

/**
 * Recognises well-known ML errors (shape, memory, dtype) in numpy and torch exceptions.
 *
 * <p>Each rule ({@link ErrorRule}) checks the Python type and its bases, searches the message with a
 * regular expression and builds the translated exception. The rules live in {@link MemoryRules}, {@link
 * ShapeRules} and {@link DtypeRules}, each with the real message it matches; docs/ERRORS.md has the
 * table. The first rule that matches wins; memory rules go first because torch's allocator errors are
 * plain {@code RuntimeError}s like its shape and dtype errors.
 */
public final class MlErrorTranslator {
  private static final List<ErrorRule> RULES = concat(MemoryRules.RULES, ShapeRules.RULES, DtypeRules.RULES);

  private MlErrorTranslator() {}

  /** The translated exception, or {@code raw} itself when no rule matches. Never throws. */
  public static PythonException translate(PythonException raw) {
    if (raw == null || raw instanceof ShapeMismatchException || raw instanceof OutOfMemoryException
        || raw instanceof DtypeMismatchException) {
      return raw;
    }
    String message = ErrorRule.message(raw);
    for (ErrorRule rule : RULES) {
      try {
        PythonException translated = rule.apply(raw, message);
        if (translated != null) {
          // Where the raw exception was raised is where the caller called: keep that stack.
          translated.setStackTrace(raw.getStackTrace());
          return translated;
        }
      } catch (RuntimeException unexpected) {
        // A number too large for a long, or details of an odd shape: the raw error is still correct.
      }
    }
    return raw;
  }

  /** The names of the rules, in the order they are tried. */
  static List<String> ruleNames() {
    return RULES.stream().map(ErrorRule::name).toList();
  }

  @SafeVarargs
  private static List<ErrorRule> concat(List<ErrorRule>... groups) {
    List<ErrorRule> all = new ArrayList<>();
    for (List<ErrorRule> group : groups) {
      all.addAll(group);
    }
    return List.copyOf(all);
  }
}
