package dev.snakebridge;

import dev.snakebridge.internal.call.CallEngine;
import dev.snakebridge.internal.call.CallSpec;
import dev.snakebridge.internal.call.ResultCoercion;
import dev.snakebridge.internal.session.SessionState;
import java.util.concurrent.CompletableFuture;

/**
 * An explicit session: a named owner of Python objects that several threads may share on purpose.
 * Calls made through it run in it whatever the calling thread's current session is; refs it creates
 * belong to it. {@link #close()} releases it and every ref it holds; using it afterwards starts the
 * session afresh under the same id.
 *
 * <pre>{@code
 * try (Session s = SnakeBridge.session("pipeline-42")) {
 *   PyRef model = (PyRef) s.call("sklearn.linear_model", "LinearRegression");
 *   s.method(model, "fit", x, y);
 * }   // the model is released in the worker
 * }</pre>
 *
 * <p>A view of its runtime bound to one session: each method means what the runtime's method of the
 * same name means. Thread-safe.
 */
public final class Session implements AutoCloseable {
  private final CallEngine engine;
  private final String id;
  private final boolean threadBound;

  Session(CallEngine engine, String id) {
    this(engine, id, false);
  }

  private Session(CallEngine engine, String id, boolean threadBound) {
    this.engine = engine;
    this.id = id;
    this.threadBound = threadBound;
  }

  /** The session's id. */
  public String id() {
    return id;
  }

  /**
   * This session, with its calls — and every call on an object it owns, from any thread or session —
   * run on one Python thread of the worker, in the order they arrive. For Python objects that work only
   * in the thread that made them: a {@code sqlite3} connection opened without {@code
   * check_same_thread=False}, an asyncio event loop, some GPU contexts. Other calls keep running on
   * whichever worker thread reads them, which costs no thread hand-off; these pay one (a few
   * microseconds). Streams pushed with {@code push} run on their own thread regardless.
   *
   * <pre>{@code
   * try (Session db = runtime.session("db").threadBound()) {
   *   PyRef conn = (PyRef) db.call("sqlite3", "connect", "app.db");
   *   conn.call("execute", "CREATE TABLE IF NOT EXISTS t (x)");   // same Python thread
   * }
   * }</pre>
   *
   * @return a view of this session that is thread-bound (the session itself is marked too)
   */
  public Session threadBound() {
    state().bindToOneThread();
    return new Session(engine, id, true);
  }

  /** Whether the session's calls run on one Python thread of their worker; see {@link #threadBound()}. */
  public boolean isThreadBound() {
    return engine.sessions().named(id).isThreadBound();
  }

  private SessionState state() {
    SessionState state = engine.sessions().named(id);
    if (threadBound && !state.isThreadBound()) {
      // The session was released and made afresh under the same id: it keeps this view's promise.
      state.bindToOneThread();
    }
    return state;
  }

  private Object run(CallSpec spec) {
    return engine.call(state(), spec);
  }

  /** A {@link Batch} whose calls run in this session. */
  public Batch batch() {
    return new Batch(engine, id);
  }

  /** {@link SnakeBridge#call(String, String, Object...)} in this session. */
  public Object call(String module, String function, Object... args) {
    return run(CallSpec.call(module, function, args));
  }

  /** {@link SnakeBridge#call(Class, String, String, Object...)} in this session. */
  public <T> T call(Class<T> type, String module, String function, Object... args) {
    return ResultCoercion.coerce(call(module, function, args), type);
  }

  /** {@link SnakeBridge#get(String, String)} in this session. */
  public Object get(String module, String name) {
    return run(CallSpec.get(module, name));
  }

  /** {@link SnakeBridge#method(PyRef, String, Object...)} in this session. */
  public Object method(PyRef ref, String name, Object... args) {
    return run(CallSpec.method(ref, name, args));
  }

  /** {@link SnakeBridge#attr(PyRef, String)} in this session. */
  public Object attr(PyRef ref, String name) {
    return run(CallSpec.attr(ref, name));
  }

  /** {@link SnakeBridge#setAttr(PyRef, String, Object)} in this session. */
  public void setAttr(PyRef ref, String name, Object value) {
    run(CallSpec.setAttr(ref, name, value));
  }

  /** {@link SnakeBridge#callHelper(String, Object...)} in this session. */
  public Object callHelper(String dottedName, Object... args) {
    return run(CallSpec.helper(dottedName, args));
  }

  /** {@link SnakeBridge#tryCall(String, String, Object...)} in this session. */
  public Result tryCall(String module, String function, Object... args) {
    return engine.tryCall(state(), CallSpec.call(module, function, args));
  }

  /** {@link SnakeBridge#callAsync(String, String, Object...)} in this session. */
  public CompletableFuture<Object> callAsync(String module, String function, Object... args) {
    return engine.callAsync(state(), CallSpec.call(module, function, args));
  }

  /** {@link SnakeBridge#releaseRef(PyRef)}. */
  public void releaseRef(PyRef ref) {
    engine.release(ref);
  }

  /** Releases the session and every ref it holds. Idempotent. */
  @Override
  public void close() {
    engine.sessions().release(engine.sessions().named(id), "closed");
  }

  @Override
  public String toString() {
    return "Session[" + id + "]";
  }
}
