package dev.snakebridge;

/**
 * A Python {@code complex} number, crossing by value both ways.
 *
 * @param real the real part
 * @param imag the imaginary part
 */
public record PyComplex(double real, double imag) {
  /** Shown as Python shows it, e.g. {@code (1+2j)}. */
  @Override
  public String toString() {
    String sign = imag < 0 || (imag == 0 && 1 / imag < 0) ? "-" : "+";
    return "(" + real + sign + Math.abs(imag) + "j)";
  }
}
