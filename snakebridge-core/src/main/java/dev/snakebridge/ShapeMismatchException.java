package dev.snakebridge;

import java.util.List;

/**
 * With {@link ErrorMode#TRANSLATED}: an array operation got operands whose shapes do not fit together
 * (numpy broadcasting or matmul, torch {@code mat1 and mat2 shapes cannot be multiplied}).
 */
public final class ShapeMismatchException extends PythonException {
  private static final long serialVersionUID = 1L;
  private final String operation;
  private final List<Long> leftShape;
  private final List<Long> rightShape;
  private final String suggestion;

  /** Wraps {@code raw} with the facts read from it. Shapes are empty when the error did not say. */
  public ShapeMismatchException(
      PythonException raw,
      String operation,
      List<Long> leftShape,
      List<Long> rightShape,
      String suggestion) {
    super(raw);
    this.operation = operation;
    this.leftShape = List.copyOf(leftShape);
    this.rightShape = List.copyOf(rightShape);
    this.suggestion = suggestion;
  }

  /** The operation that failed, such as {@code "matmul"}, {@code "broadcast"} or {@code "elementwise"}. */
  public String operation() {
    return operation;
  }

  /** The shape of the first operand. */
  public List<Long> leftShape() {
    return leftShape;
  }

  /** The shape of the second operand. */
  public List<Long> rightShape() {
    return rightShape;
  }

  /** A hint on how to fix the shapes. */
  public String suggestion() {
    return suggestion;
  }

  @Override
  public String getMessage() {
    return super.getMessage() + " [" + operation + " " + leftShape + " vs " + rightShape + "; " + suggestion + "]";
  }
}
