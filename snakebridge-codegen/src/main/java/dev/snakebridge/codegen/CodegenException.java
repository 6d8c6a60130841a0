package dev.snakebridge.codegen;

/**
 * Generation could not be done: the interpreter or library is missing, introspection failed, the sources
 * reference symbols the library lacks ({@code generate=used}, {@code strict}), or files could not be
 * written. The message says which, and what to do.
 */
public class CodegenException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message that reads well on its own. */
  public CodegenException(String message) {
    super(message);
  }

  /** An exception with a message and its cause. */
  public CodegenException(String message, Throwable cause) {
    super(message, cause);
  }
}
