package dev.snakebridge;

/**
 * A Python result does not fit the Java type a generated wrapper method declares: the library documents
 * {@code ndarray} but the call returned a float, say. Names both types, so the message alone says what
 * came back.
 */
public class ResultTypeException extends SnakeBridgeException {
  private static final long serialVersionUID = 1L;
  private final String expectedType;
  private final String actualType;

  /**
   * Creates the exception.
   *
   * @param expectedType the Python type the method declares ({@code numpy.ndarray})
   * @param actualType the Python type that came back ({@code float}, {@code None})
   * @param detail what the value was, for the message
   */
  public ResultTypeException(String expectedType, String actualType, String detail) {
    super("expected a Python " + expectedType + ", got " + actualType + (detail == null ? "" : " (" + detail + ")"));
    this.expectedType = expectedType;
    this.actualType = actualType;
  }

  /** The Python type the generated method declares, as {@code module.qualname}. */
  public String expectedType() {
    return expectedType;
  }

  /** The Python type of the value that came back. */
  public String actualType() {
    return actualType;
  }
}
