package dev.snakebridge.internal.call;

import dev.snakebridge.ErrorMode;
import dev.snakebridge.PythonException;
import dev.snakebridge.RefNotFoundException;
import dev.snakebridge.SerializationException;
import dev.snakebridge.SnakeBridgeException;
import dev.snakebridge.internal.callback.JavaExceptions;
import dev.snakebridge.internal.codec.PythonError;
import dev.snakebridge.internal.errors.MlErrorTranslator;

/**
 * Turns a Python error into the exception the caller gets: {@link RefNotFoundException} for a ref the
 * worker no longer has, else a {@link PythonException} (translated into the ML exceptions in {@code
 * TRANSLATED} mode) whose cause is the Java exception of a callback the error came through.
 */
final class ErrorMapper {
  private final ErrorMode mode;
  private final JavaExceptions javaExceptions;

  ErrorMapper(ErrorMode mode, JavaExceptions javaExceptions) {
    this.mode = mode;
    this.javaExceptions = javaExceptions;
  }

  SnakeBridgeException toException(Object decoded, String context) {
    PythonError error;
    try {
      error = PythonError.from(decoded);
    } catch (SerializationException malformed) {
      return malformed;
    }
    if (error.isRefNotFound()) {
      return new RefNotFoundException(error.message(),
          "ref not found in its worker: " + error.message() + " (in " + context + ")");
    }
    PythonException raw = new PythonException(error.type(), error.qualifiedType(), error.bases(), error.message(),
        error.traceback(), error.details(), context);
    error.javaExceptionId().ifPresent(id -> {
      Throwable original = javaExceptions.find(id);
      if (original != null) {
        raw.initCause(original);
      }
    });
    return mode == ErrorMode.TRANSLATED ? MlErrorTranslator.translate(raw) : raw;
  }
}
