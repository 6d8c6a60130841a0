package dev.snakebridge;

/**
 * Base of every exception SnakeBridge throws. Unchecked: a failed Python call is a programming or
 * environment problem at the call site, as a failed method call would be.
 *
 * <p>Subclasses say what a caller can act on: {@link PythonException} (Python raised), {@link
 * RefNotFoundException} (the object is gone), {@link WorkerCrashedException} (the process died), {@link
 * SerializationException} (a value cannot cross), {@link CallTimeoutException} (too slow).
 */
public class SnakeBridgeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that reads well in a log on its own. */
  public SnakeBridgeException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the cause that led to it. */
  public SnakeBridgeException(String message, Throwable cause) {
    super(message, cause);
  }
}
