package dev.snakebridge;

import dev.snakebridge.internal.worker.WorkerProcess;
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
 * {@link Cleaner}), when {@link #release()} or {@link SnakeBridge#releaseRef} is called, or when its
 * worker dies. Using a released ref throws {@link RefNotFoundException} naming the ref and why it is
 * gone. {@link #toString()} never calls Python: it shows the type, id and the {@code repr} captured when
 * the ref was made.
 *
 * <p>Thread-safe: a ref may be used from any thread; calls through it run on the worker that holds the
 * object.
 */
public final class PyRef {
  private static final int MAX_REPR_SHOWN = 80;

  private final SnakeBridgeRuntime runtime;
  private final WorkerProcess worker;
  private final String sessionId;
  private final String id;
  private final String typeName;
  private final String capturedRepr;
  private final Cleaner.Cleanable cleanable;
  private volatile String releasedBecause;

  PyRef(
      SnakeBridgeRuntime runtime,
      WorkerProcess worker,
      String sessionId,
      String id,
      String typeName,
      String capturedRepr,
      Cleaner cleaner) {
    this.runtime = runtime;
    this.worker = worker;
    this.sessionId = sessionId;
    this.id = id;
    this.typeName = typeName;
    this.capturedRepr = capturedRepr;
    this.cleanable = cleaner.register(this, new ReleaseAction(worker, sessionId, id));
  }

  /** The unguessable id of the object in its worker's table. */
  public String id() {
    return id;
  }

  /** The session that owns the object. */
  public String sessionId() {
    return sessionId;
  }

  /** The Python type as {@code module.qualname}, such as {@code "numpy.ndarray"}. */
  public String typeName() {
    return typeName;
  }

  /** The worker process holding the object, such as {@code "default-w0"}. */
  public String workerId() {
    return worker.id();
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

  /** Whether the object was released (by hand) or lost (its worker died). */
  public boolean isReleased() {
    return releasedBecause != null || !worker.isAlive();
  }

  WorkerProcess worker() {
    return worker;
  }

  /** Marks the ref released and queues the release for the worker; false when it already was. */
  boolean markReleased(String reason) {
    if (releasedBecause != null) {
      return false;
    }
    releasedBecause = reason;
    cleanable.clean();
    return true;
  }

  /** Throws when the ref can no longer be used, saying why. */
  void checkUsable() {
    String reason = releasedBecause;
    if (reason != null) {
      throw new RefNotFoundException(id, "ref " + id + " (" + typeName + ") was released: " + reason);
    }
    if (!worker.isAlive()) {
      throw new RefNotFoundException(
          id, "ref " + id + " (" + typeName + ") is gone: its worker " + worker + " died, and its objects with it");
    }
  }

  @Override
  public String toString() {
    String shown = capturedRepr.length() > MAX_REPR_SHOWN
        ? capturedRepr.substring(0, MAX_REPR_SHOWN) + "…"
        : capturedRepr;
    return "PyRef[" + typeName + " id=" + id + (releasedBecause != null ? " released" : "") + "] " + shown;
  }

  /** Runs once, when the ref is released by hand or becomes unreachable; must not reach the PyRef. */
  private record ReleaseAction(WorkerProcess worker, String sessionId, String id) implements Runnable {
    @Override
    public void run() {
      if (worker.isAlive()) {
        worker.queueRelease(sessionId, id);
      }
    }
  }
}
