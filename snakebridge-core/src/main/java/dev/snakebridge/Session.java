package dev.snakebridge;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * An explicit session: a named owner of Python objects that several threads may share on purpose.
 * Calls made through it run in it whatever the calling thread's current session is; refs it creates
 * belong to it. {@link #close()} releases it and every ref it holds.
 *
 * <pre>{@code
 * try (Session s = SnakeBridge.session("pipeline-42")) {
 *   PyRef model = (PyRef) s.call("sklearn.linear_model", "LinearRegression");
 *   s.method(model, "fit", x, y);
 * }   // the model is released in the worker
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Session implements AutoCloseable {
  private final SnakeBridgeRuntime runtime;
  private final String id;

  Session(SnakeBridgeRuntime runtime, String id) {
    this.runtime = runtime;
    this.id = id;
  }

  /** The session's id. */
  public String id() {
    return id;
  }

  private <T> T in(Supplier<T> body) {
    return runtime.withSession(id, body);
  }

  /** A {@link Batch} whose calls run in this session. */
  public Batch batch() {
    return runtime.batchIn(id);
  }

  /** {@link SnakeBridge#call(String, String, Object...)} in this session. */
  public Object call(String module, String function, Object... args) {
    return in(() -> runtime.call(module, function, args));
  }

  /** {@link SnakeBridge#call(Class, String, String, Object...)} in this session. */
  public <T> T call(Class<T> type, String module, String function, Object... args) {
    return in(() -> runtime.call(type, module, function, args));
  }

  /** {@link SnakeBridge#get(String, String)} in this session. */
  public Object get(String module, String name) {
    return in(() -> runtime.get(module, name));
  }

  /** {@link SnakeBridge#method(PyRef, String, Object...)} in this session. */
  public Object method(PyRef ref, String name, Object... args) {
    return in(() -> runtime.method(ref, name, args));
  }

  /** {@link SnakeBridge#attr(PyRef, String)} in this session. */
  public Object attr(PyRef ref, String name) {
    return in(() -> runtime.attr(ref, name));
  }

  /** {@link SnakeBridge#setAttr(PyRef, String, Object)} in this session. */
  public void setAttr(PyRef ref, String name, Object value) {
    in(() -> {
      runtime.setAttr(ref, name, value);
      return null;
    });
  }

  /** {@link SnakeBridge#callHelper(String, Object...)} in this session. */
  public Object callHelper(String dottedName, Object... args) {
    return in(() -> runtime.callHelper(dottedName, args));
  }

  /** {@link SnakeBridge#tryCall(String, String, Object...)} in this session. */
  public Result tryCall(String module, String function, Object... args) {
    return in(() -> runtime.tryCall(module, function, args));
  }

  /** {@link SnakeBridge#callAsync(String, String, Object...)} in this session. */
  public CompletableFuture<Object> callAsync(String module, String function, Object... args) {
    return in(() -> runtime.callAsync(module, function, args));
  }

  /** {@link SnakeBridge#releaseRef(PyRef)}. */
  public void releaseRef(PyRef ref) {
    runtime.releaseRef(ref);
  }

  /** Releases the session and every ref it holds. Idempotent. */
  @Override
  public void close() {
    runtime.releaseSession(id);
  }

  @Override
  public String toString() {
    return "Session[" + id + "]";
  }
}
