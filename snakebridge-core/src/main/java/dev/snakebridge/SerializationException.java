package dev.snakebridge;

/**
 * A value cannot cross the boundary: a Java argument has no Python mapping (thrown before anything is
 * sent), or a result cannot be converted to the Java type that was asked for.
 */
public class SerializationException extends SnakeBridgeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message names the bad value and what would be accepted. */
  public SerializationException(String message) {
    super(message);
  }
}
