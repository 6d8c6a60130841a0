package dev.snakebridge.wrappers;

import dev.snakebridge.PyRef;
import java.util.Objects;

/**
 * The base of every generated wrapper: a typed view of a {@link PyRef}. The ref stays usable with the
 * universal API ({@code SnakeBridge.call(..., wrapper.ref())}) and its lifetime is the ref's: it is
 * released when the wrapper and the ref become unreachable, or by {@code wrapper.ref().release()}.
 * Every operation of a wrapper runs in the runtime its ref belongs to.
 *
 * <p>Thread-safe, like the ref.
 */
public abstract class PyObject {
  private final PyRef ref;

  /**
   * Wraps {@code ref}.
   *
   * @param ref the Python object
   */
  protected PyObject(PyRef ref) {
    this.ref = Objects.requireNonNull(ref, "ref");
  }

  /**
   * The ref to the Python object, for universal calls and for passing it on.
   *
   * @return the ref
   */
  public final PyRef ref() {
    return ref;
  }

  /** The ref's description; never calls Python. */
  @Override
  public String toString() {
    return ref.toString();
  }
}
