package dev.snakebridge.internal.session;

import dev.snakebridge.internal.worker.WorkerProcess;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A session: the unit of ownership of Python objects. It has a home worker in each pool it uses and
 * tracks its live refs in least-recently-used order (for the per-session cap and the idle TTL).
 * Thread-safe.
 */
public final class SessionState {
  private final String id;
  private final WeakReference<Thread> owner;
  private final Map<String, WorkerProcess> homes = new ConcurrentHashMap<>();
  private final ReentrantLock lock = new ReentrantLock();
  /** Live refs, least recently used first. */
  private final LinkedHashMap<String, RefState> refs = new LinkedHashMap<>(16, 0.75f, true);
  private volatile String releasedBecause;
  private volatile boolean threadBound;

  SessionState(String id, Thread owner) {
    this.id = id;
    this.owner = owner == null ? null : new WeakReference<>(owner);
  }

  public String id() {
    return id;
  }

  /**
   * Whether the session's calls, and calls on the objects it owns, run on one Python thread of their
   * worker (for objects such as {@code sqlite3} connections that only work in the thread that made them).
   */
  public boolean isThreadBound() {
    return threadBound;
  }

  public void bindToOneThread() {
    threadBound = true;
  }

  /** Whether this is a thread's automatic session. */
  public boolean isAuto() {
    return owner != null;
  }

  /** For an automatic session: whether its thread has ended. */
  boolean ownerEnded() {
    if (owner == null) {
      return false;
    }
    Thread t = owner.get();
    return t == null || !t.isAlive();
  }

  public boolean isReleased() {
    return releasedBecause != null;
  }

  public String releasedBecause() {
    return releasedBecause;
  }

  /** The home worker in {@code pool}, if one was chosen. */
  public WorkerProcess home(String pool) {
    return homes.get(pool);
  }

  public void setHome(String pool, WorkerProcess worker) {
    homes.put(pool, worker);
  }

  /** Records a new ref; returns the refs evicted to stay within {@code cap} (least recently used first). */
  public List<RefState> track(RefState ref, int cap) {
    List<RefState> evicted = List.of();
    lock.lock();
    try {
      refs.put(ref.id(), ref);
      if (refs.size() > cap) {
        evicted = new ArrayList<>();
        Iterator<RefState> it = refs.values().iterator();
        while (refs.size() > cap && it.hasNext()) {
          RefState eldest = it.next();
          it.remove();
          evicted.add(eldest);
        }
      }
    } finally {
      lock.unlock();
    }
    return evicted;
  }

  /** Marks a ref as just used (moves it to the most-recent end). */
  public void touch(RefState ref) {
    long now = System.nanoTime();
    ref.touched(now);
    lock.lock();
    try {
      refs.get(ref.id());
    } finally {
      lock.unlock();
    }
  }

  public void forget(RefState ref) {
    lock.lock();
    try {
      refs.remove(ref.id());
    } finally {
      lock.unlock();
    }
  }

  /** Removes and returns the refs idle for longer than {@code ttlNanos}. */
  List<RefState> expire(long now, long ttlNanos) {
    List<RefState> expired = new ArrayList<>();
    lock.lock();
    try {
      Iterator<RefState> it = refs.values().iterator();
      while (it.hasNext()) {
        RefState r = it.next();
        if (now - r.lastUsedNanos() <= ttlNanos) {
          break;
        }
        it.remove();
        expired.add(r);
      }
    } finally {
      lock.unlock();
    }
    return expired;
  }

  /** Marks the session released and takes all its refs. */
  List<RefState> release(String reason) {
    lock.lock();
    try {
      releasedBecause = reason;
      List<RefState> all = new ArrayList<>(refs.values());
      refs.clear();
      return all;
    } finally {
      lock.unlock();
    }
  }

  /** The workers that may hold objects of this session: its homes and its refs' workers. */
  Set<WorkerProcess> workers(List<RefState> refsTaken) {
    Set<WorkerProcess> workers = new LinkedHashSet<>(homes.values());
    refsTaken.forEach(r -> workers.add(r.worker()));
    return workers;
  }

  /** How many live refs lie in workers matching {@code where}. */
  public int countRefs(java.util.function.Predicate<WorkerProcess> where) {
    lock.lock();
    try {
      int n = 0;
      for (RefState r : refs.values()) {
        n += where.test(r.worker()) ? 1 : 0;
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  public int liveRefs() {
    lock.lock();
    try {
      return refs.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return id;
  }
}
