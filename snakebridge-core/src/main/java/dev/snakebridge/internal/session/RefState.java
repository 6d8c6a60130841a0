package dev.snakebridge.internal.session;

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
  private volatile long lastUsedNanos = System.nanoTime();
  private volatile String releasedBecause;

  public RefState(String id, SessionState session, WorkerProcess worker, String typeName) {
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
}
