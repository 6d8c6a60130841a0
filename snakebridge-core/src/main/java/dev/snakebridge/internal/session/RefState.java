package dev.snakebridge.internal.session;

import dev.snakebridge.RefNotFoundException;
import dev.snakebridge.internal.worker.WorkerProcess;

/**
 * What the runtime knows of one ref, apart from the {@code PyRef} handle itself (which the garbage
 * collector must be free to reclaim): its id, session, worker, and whether and why it was released.
 */
public final class RefState {
  private final String id;
  private final SessionState session;
  private final WorkerProcess worker;
  private final String typeName;
  private final boolean threadBound;
  private volatile long lastUsedNanos = System.nanoTime();
  private volatile String releasedBecause;

  public RefState(String id, SessionState session, WorkerProcess worker, String typeName) {
    this(id, session, worker, typeName, false);
  }

  /** {@code threadBound}: made by a call on the worker's thread for thread-bound work, and used there only. */
  public RefState(String id, SessionState session, WorkerProcess worker, String typeName, boolean threadBound) {
    this.threadBound = threadBound;
    this.id = id;
    this.session = session;
    this.worker = worker;
    this.typeName = typeName;
  }

  public String id() {
    return id;
  }

  public SessionState session() {
    return session;
  }

  public WorkerProcess worker() {
    return worker;
  }

  /** Whether calls that pass this ref run on the worker's one thread for thread-bound work. */
  public boolean isThreadBound() {
    return threadBound;
  }

  public String typeName() {
    return typeName;
  }

  long lastUsedNanos() {
    return lastUsedNanos;
  }

  void touched(long now) {
    lastUsedNanos = now;
  }

  /** Why the ref is unusable, or null while it is live. */
  public String releasedBecause() {
    String reason = releasedBecause;
    if (reason == null && !worker.isAlive()) {
      return "its worker " + worker + " died, and its objects with it";
    }
    return reason;
  }

  /** Marks it released; false when it already was. */
  public boolean markReleased(String reason) {
    synchronized (this) {
      if (releasedBecause != null) {
        return false;
      }
      releasedBecause = reason;
      return true;
    }
  }

  /** Throws when the ref can no longer be used, saying why; else records the use (for LRU and TTL). */
  public void checkUsable() {
    String reason = releasedBecause();
    if (reason != null) {
      throw new RefNotFoundException(id, "ref " + id + " (" + typeName + ") is gone: " + reason);
    }
    session.touch(this);
  }

  /**
   * Releases the object: forgets it in its session and queues its release in the worker (sent with the
   * worker's next batch of releases). Returns false when it already was released. Must not reach the
   * {@code PyRef}: it runs from its cleaner too.
   */
  public boolean release(String reason) {
    if (!markReleased(reason)) {
      return false;
    }
    session.forget(this);
    if (worker.isAlive()) {
      worker.queueRelease(id);
    }
    return true;
  }
}
