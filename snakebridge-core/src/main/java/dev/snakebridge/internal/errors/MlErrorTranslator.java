package dev.snakebridge.internal.errors;

import dev.snakebridge.PythonException;

/** Recognises well-known ML errors (shape, memory, dtype) in numpy and torch exceptions. */
public final class MlErrorTranslator {
  private MlErrorTranslator() {}

  /** The translated exception, or {@code raw} itself when no rule matches. */
  public static PythonException translate(PythonException raw) {
    return raw;
  }
}
