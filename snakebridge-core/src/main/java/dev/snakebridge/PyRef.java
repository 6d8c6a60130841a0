package dev.snakebridge;

import dev.snakebridge.internal.session.RefState;
import java.lang.ref.Cleaner;

/**
 * A handle to a live Python object that stays in its worker process: a numpy array, a DataFrame, a
 * model, a file. Pass it back as an argument and the worker resolves it to the object; call its methods
 * and read its attributes through it.
 *
 * <pre>{@code
 * PyRef counter = (PyRef) SnakeBridge.call("collections", "Counter", List.of("a", "b", "a"));
 * Object top = counter.call("most_common", 1);     // Python: counter.most_common(1)
 * }</pre>
 *
 * <p>The object is released when Java no longer reaches this handle (the garbage collector, through a
 * {@link Cleaner}), when {@link #release()} or {@link SnakeBridge#releaseRef} is called, when its
 * session is released, when it stays unused past the configured ref TTL, when its session exceeds its
 * cap of live refs and this one is the least recently used, or when its worker dies. Using a released ref throws {@link RefNotFoundException} naming the ref and why it is
 * gone. {@link #toString()} never calls Python: it shows the type, id and the {@code repr} captured when
 * the ref was made.
 *
 * <p>Thread-safe. The ref is a capability: it may be used from any thread, whatever that thread's current
 * session; calls through it run on the worker that holds the object.
 */
public final class PyRef {
  private static final int MAX_REPR_SHOWN = 80;

  private final SnakeBridgeRuntime runtime;
  private final RefState state;
  private final String capturedRepr;
  private final Cleaner.Cleanable cleanable;

  PyRef(SnakeBridgeRuntime runtime, RefState state, String capturedRepr, Cleaner cleaner) {
    this.runtime = runtime;
    this.state = state;
    this.capturedRepr = capturedRepr;
    this.cleanable = cleaner.register(this, new ReleaseAction(state));
  }

  /** The unguessable id of the object in its worker's table. */
  public String id() {
    return state.id();
  }

  /** The session that owns the object. */
  public String sessionId() {
    return state.session().id();
  }

  /** The Python type as {@code module.qualname}, such as {@code "numpy.ndarray"}. */
  public String typeName() {
    return state.typeName();
  }

  /** The worker process holding the object, such as {@code "default-w0"}. */
  public String workerId() {
    return state.worker().id();
  }

  /** Calls a method: {@code ref.name(*args, **kwargs)}; trailing {@link Kwargs} are keyword arguments. */
  public Object call(String name, Object... args) {
    return runtime.method(this, name, args);
  }

  /** Calls the object itself: {@code ref(*args, **kwargs)}. */
  public Object invoke(Object... args) {
    return runtime.invoke(this, args);
  }

  /** Reads an attribute: {@code ref.name}. */
  public Object attr(String name) {
    return runtime.attr(this, name);
  }

  /** Sets an attribute: {@code ref.name = value}. */
  public void setAttr(String name, Object value) {
    runtime.setAttr(this, name, value);
  }

  /** Python's {@code repr(ref)}, computed now (a remote call). */
  public String repr() {
    return (String) runtime.builtin("repr", this);
  }

  /** Python's {@code str(ref)}, computed now (a remote call). */
  public String str() {
    return (String) runtime.builtin("str", this);
  }

  /** Python's {@code len(ref)} (a remote call). */
  public long len() {
    return ((Number) runtime.builtin("len", this)).longValue();
  }

  /** Releases the Python object now; later use throws {@link RefNotFoundException}. Idempotent. */
  public void release() {
    runtime.releaseRef(this);
  }

  /** Whether the object was released (by hand, with its session, by TTL or eviction) or lost with its worker. */
  public boolean isReleased() {
    return state.releasedBecause() != null;
  }

  RefState state() {
    return state;
  }

  /** Releases by hand: false when it already was released. */
  boolean releaseNow(String reason) {
    boolean first = ReleaseAction.release(state, reason);
    cleanable.clean();
    return first;
  }

  /** Throws when the ref can no longer be used, saying why; else records the use (for LRU and TTL). */
  void checkUsable() {
    String reason = state.releasedBecause();
    if (reason != null) {
      throw new RefNotFoundException(
          state.id(), "ref " + state.id() + " (" + state.typeName() + ") is gone: " + reason);
    }
    state.session().touch(state);
  }

  @Override
  public String toString() {
    String shown = capturedRepr.length() > MAX_REPR_SHOWN
        ? capturedRepr.substring(0, MAX_REPR_SHOWN) + "…"
        : capturedRepr;
    return "PyRef[" + state.typeName() + " id=" + state.id() + (isReleased() ? " released" : "") + "] " + shown;
  }

  /** Runs once, when the ref is released by hand or becomes unreachable; must not reach the PyRef. */
  private record ReleaseAction(RefState state) implements Runnable {
    @Override
    public void run() {
      release(state, "garbage collected");
    }

    static boolean release(RefState state, String reason) {
      if (!state.markReleased(reason)) {
        return false;
      }
      state.session().forget(state);
      if (state.worker().isAlive()) {
        state.worker().queueRelease(state.id());
      }
      return true;
    }
  }
}
