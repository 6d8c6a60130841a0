package dev.snakebridge;

/**
 * With {@link ErrorMode#TRANSLATED}: an operation got an array of the wrong element type (torch {@code
 * expected scalar type Float but found Double}, numpy casting errors).
 */
public final class DtypeMismatchException extends PythonException {
  private static final long serialVersionUID = 1L;
  private final String expectedDtype;
  private final String actualDtype;

  /** Wraps {@code raw} with the two dtypes read from it. */
  public DtypeMismatchException(PythonException raw, String expectedDtype, String actualDtype) {
    super(raw);
    this.expectedDtype = expectedDtype;
    this.actualDtype = actualDtype;
  }

  /** The dtype the operation wanted, such as {@code "float32"} or {@code "int64"}. */
  public String expectedDtype() {
    return expectedDtype;
  }

  /** The dtype it got, such as {@code "float64"}. */
  public String actualDtype() {
    return actualDtype;
  }
}
