package dev.snakebridge.internal.worker;

import dev.snakebridge.SnakeBridgeException;

/**
 * A call was never sent because its worker died first (while it waited in the admission queue, say).
 * Nothing ran, so the runtime may send it to another worker; {@link #getCause()} says why the worker
 * is gone.
 */
public final class NotSentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  NotSentException(SnakeBridgeException cause) {
    super("worker died before the call was sent", cause, false, false);
  }

  /** The exception the worker's death produced. */
  public SnakeBridgeException reason() {
    return (SnakeBridgeException) getCause();
  }
}
