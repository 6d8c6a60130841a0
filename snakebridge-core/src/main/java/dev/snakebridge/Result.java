package dev.snakebridge;

/**
 * The outcome of {@link SnakeBridge#tryCall}: a value or the exception, for code that prefers a {@code
 * switch} to a {@code try}:
 *
 * <pre>{@code
 * switch (SnakeBridge.tryCall("math", "sqrt", -1)) {
 *   case Result.Ok(Object value) -> use(value);
 *   case Result.Err(SnakeBridgeException e) -> log(e.getMessage());
 * }
 * }</pre>
 */
public sealed interface Result {
  /** Whether the call succeeded. */
  boolean isOk();

  /** The value, or throws the exception of a failed call. */
  Object getOrThrow();

  /** A successful call and its value (which may be {@code null}, Python's {@code None}). */
  record Ok(Object value) implements Result {
    @Override
    public boolean isOk() {
      return true;
    }

    @Override
    public Object getOrThrow() {
      return value;
    }
  }

  /** A failed call and its exception. */
  record Err(SnakeBridgeException exception) implements Result {
    @Override
    public boolean isOk() {
      return false;
    }

    @Override
    public Object getOrThrow() {
      throw exception;
    }
  }
}
