package dev.snakebridge;

import dev.snakebridge.internal.call.CallEngine;
import dev.snakebridge.internal.call.CallSpec;
import dev.snakebridge.internal.callback.JavaExceptions;
import java.util.Arrays;

/**
 * A Python context manager entered from Java: {@code __enter__} has run, {@code __exit__} runs on
 * {@link #close()}.
 *
 * <pre>{@code
 * try (PyContext tx = SnakeBridge.enter(connection)) {     // Python: with connection:
 *   tx.value().call("execute", "INSERT INTO t VALUES (1)");
 *   tx.complete();                                         // the block ran to its end
 * }                                                        // __exit__(None, None, None): commit
 * }</pre>
 *
 * <p>Java's try-with-resources cannot show {@code close()} the exception that ends the block, so the
 * block says when it succeeded: {@link #complete()} as its last statement. A context closed without it
 * passes a {@code snakebridge.JavaException} to {@code __exit__} ("the block did not complete"), so a
 * block that threw is never reported to Python as a success (a {@code sqlite3} connection rolls back
 * instead of committing). {@link SnakeBridge#withPython} does all of this for a lambda, and {@link
 * #exit(Throwable)} passes a particular exception. Not thread-safe: one block, one thread.
 */
public final class PyContext implements AutoCloseable {
  private final CallEngine engine;
  private final PyRef manager;
  private final PyRef value;
  private boolean completed;
  private boolean exited;

  PyContext(CallEngine engine, PyRef manager, PyRef value) {
    this.engine = engine;
    this.manager = manager;
    this.value = value;
  }

  /** What {@code __enter__} returned, always as a ref (an open file's {@code __enter__} returns the file). */
  public PyRef value() {
    return value;
  }

  /** Marks the block as completed normally: {@link #close()} then calls {@code __exit__(None, None, None)}. */
  public void complete() {
    completed = true;
  }

  /**
   * Calls {@code __exit__} with {@code error} as a Python exception (null: the block succeeded): a {@link
   * PythonException} becomes its own Python type when that resolves, anything else {@code
   * snakebridge.JavaException}.
   *
   * @return whether {@code __exit__} returned true: Python would suppress the exception
   * @throws IllegalStateException when {@code __exit__} already ran
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
        JavaExceptions.stackOf(error));
    return Boolean.TRUE.equals(engine.call(engine.sessions().current(), CallSpec.exit(manager, info)));
  }

  /**
   * Runs {@code __exit__} unless {@link #exit(Throwable)} already did: with {@code (None, None, None)}
   * after {@link #complete()}, else with a {@code JavaException} saying the block did not complete.
   */
  @Override
  public void close() {
    if (!exited) {
      exit(completed ? null : new BlockNotCompleted());
    }
  }

  /** What {@code __exit__} sees for a block that ended without {@link #complete()}. */
  private static final class BlockNotCompleted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BlockNotCompleted() {
      super("the block did not complete: it threw, or ended without PyContext.complete()", null, false, false);
    }
  }
}
