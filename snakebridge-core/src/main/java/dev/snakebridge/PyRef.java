package dev.snakebridge;

import dev.snakebridge.internal.call.CallEngine;
import dev.snakebridge.internal.call.CallSpec;
import dev.snakebridge.internal.session.RefState;
import java.lang.ref.Cleaner;
import java.util.Iterator;

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
 * <p>Thread-safe. The ref is a capability inside its runtime: it may be used from any thread, whatever
 * that thread's current session; calls through it run on the worker that holds the object. Passing it
 * to another runtime fails with {@link IllegalArgumentException} before anything is sent.
 */
public final class PyRef {
  private static final int MAX_REPR_SHOWN = 80;

  private final CallEngine engine;
  private final RefState state;
  private final String capturedRepr;

  PyRef(CallEngine engine, RefState state, String capturedRepr) {
    this.engine = engine;
    this.state = state;
    this.capturedRepr = capturedRepr;
    engine.cleaner().register(this, new ReleaseAction(state));
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
    return run(CallSpec.method(this, name, args));
  }

  /** Calls the object itself: {@code ref(*args, **kwargs)}. */
  public Object invoke(Object... args) {
    return run(CallSpec.invoke(this, args));
  }

  /** Reads an attribute: {@code ref.name}. */
  public Object attr(String name) {
    return run(CallSpec.attr(this, name));
  }

  /** Sets an attribute: {@code ref.name = value}. */
  public void setAttr(String name, Object value) {
    run(CallSpec.setAttr(this, name, value));
  }

  /** Python's {@code repr(ref)}, computed now (a remote call). */
  public String repr() {
    return (String) run(CallSpec.builtin("repr", this));
  }

  /** Python's {@code str(ref)}, computed now (a remote call). */
  public String str() {
    return (String) run(CallSpec.builtin("str", this));
  }

  /** Python's {@code len(ref)} (a remote call). */
  public long len() {
    return ((Number) run(CallSpec.builtin("len", this))).longValue();
  }

  /**
   * Python's {@code iter(ref)} in the ref's own runtime and the calling thread's current session; items
   * are fetched in batches, as by {@link SnakeBridgeRuntime#iterator}. Generated wrappers iterate this way,
   * so a wrapper works whichever runtime its ref came from.
   */
  public Iterator<Object> iterator() {
    return engine.iterator(engine.sessions().current(), this);
  }

  /**
   * Python's {@code with ref as value:} entered in the ref's own runtime, as by {@link
   * SnakeBridgeRuntime#enter}: {@code __enter__} has run; the returned context runs {@code __exit__} when
   * closed, and tells Python a block failed unless {@link PyContext#complete()} was called.
   */
  public PyContext enter() {
    PyRef value = (PyRef) run(CallSpec.enter(this));
    return new PyContext(engine, this, value);
  }

  /** Releases the Python object now; later use throws {@link RefNotFoundException}. Idempotent. */
  public void release() {
    engine.release(this);
  }

  /** Whether the object was released (by hand, with its session, by TTL or eviction) or lost with its worker. */
  public boolean isReleased() {
    return state.releasedBecause() != null;
  }

  RefState state() {
    return state;
  }

  CallEngine engine() {
    return engine;
  }

  /** Runs {@code spec} in the calling thread's current session. */
  private Object run(CallSpec spec) {
    return engine.call(engine.sessions().current(), spec);
  }

  @Override
  public String toString() {
    String shown = capturedRepr.length() > MAX_REPR_SHOWN
        ? capturedRepr.substring(0, MAX_REPR_SHOWN) + "…"
        : capturedRepr;
    return "PyRef[" + state.typeName() + " id=" + state.id() + (isReleased() ? " released" : "") + "] " + shown;
  }

  /** Runs once, when the ref becomes unreachable; must not reach the PyRef. */
  private record ReleaseAction(RefState state) implements Runnable {
    @Override
    public void run() {
      state.release("garbage collected");
    }
  }
}
