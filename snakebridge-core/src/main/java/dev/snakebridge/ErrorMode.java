package dev.snakebridge;

/** How Python exceptions are presented to Java. */
public enum ErrorMode {
  /** Every Python exception is a plain {@link PythonException} (the default). */
  RAW,
  /**
   * Well-known ML errors become {@link ShapeMismatchException}, {@link OutOfMemoryException} and {@link
   * DtypeMismatchException}; others stay {@link PythonException}. See docs/ERRORS.md for the rules.
   */
  TRANSLATED
}
