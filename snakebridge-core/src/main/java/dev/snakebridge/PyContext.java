package dev.snakebridge;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;

/**
 * A Python context manager entered from Java: {@code __enter__} has run, {@code __exit__} runs on
 * {@link #close()}.
 *
 * <pre>{@code
 * try (PyContext file = SnakeBridge.enter((PyRef) SnakeBridge.call("builtins", "open", path, "w"))) {
 *   file.value().call("write", "hello");
 * }   // Python: with open(path, "w") as f: f.write("hello")
 * }</pre>
 *
 * <p>Java's try-with-resources cannot show {@code close()} the exception that ends the block, so {@code
 * close()} always passes {@code (None, None, None)}. To give {@code __exit__} the exception (and let it
 * suppress it), use {@link SnakeBridge#withPython} or call {@link #exit(Throwable)} in a {@code catch}.
 * Not thread-safe: one block, one thread.
 */
public final class PyContext implements AutoCloseable {
  private final SnakeBridgeRuntime runtime;
  private final PyRef manager;
  private final PyRef value;
  private boolean exited;

  PyContext(SnakeBridgeRuntime runtime, PyRef manager, PyRef value) {
    this.runtime = runtime;
    this.manager = manager;
    this.value = value;
  }

  /** What {@code __enter__} returned, always as a ref (an open file's {@code __enter__} returns the file). */
  public PyRef value() {
    return value;
  }

  /**
   * Calls {@code __exit__} with {@code error} as a Python exception: a {@link PythonException} becomes its
   * own Python type when that resolves, anything else {@code snakebridge.JavaException}.
   *
   * @return whether {@code __exit__} returned true: Python would suppress the exception
   */
  public boolean exit(Throwable error) {
    if (exited) {
      throw new IllegalStateException("__exit__ already ran for " + manager);
    }
    exited = true;
    Object info = error == null ? null : Arrays.asList(
        error instanceof PythonException p ? p.qualifiedName() : null,
        error instanceof PythonException p ? p.pythonMessage() : String.valueOf(error.getMessage()),
        error.getClass().getName(),
        stackOf(error));
    return Boolean.TRUE.equals(runtime.exitContext(manager, info));
  }

  /** Calls {@code __exit__(None, None, None)} unless {@link #exit(Throwable)} already ran. */
  @Override
  public void close() {
    if (!exited) {
      exit(null);
    }
  }

  static String stackOf(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
