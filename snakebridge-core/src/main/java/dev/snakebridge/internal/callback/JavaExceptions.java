package dev.snakebridge.internal.callback;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Java exceptions thrown by callbacks, kept by id so that when one comes back out of Python (as
 * {@code JavaException}) the Java side can attach the original as the cause. Bounded: the oldest are
 * forgotten first. Thread-safe.
 */
public final class JavaExceptions {
  private static final int KEPT = 1024;
  private final AtomicLong nextId = new AtomicLong(1);
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Long, Throwable> byId = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Throwable> eldest) {
      return size() > KEPT;
    }
  };

  public long remember(Throwable t) {
    long id = nextId.getAndIncrement();
    lock.lock();
    try {
      byId.put(id, t);
    } finally {
      lock.unlock();
    }
    return id;
  }

  /** The exception with {@code id}, or null when it was forgotten. */
  public Throwable find(long id) {
    lock.lock();
    try {
      return byId.get(id);
    } finally {
      lock.unlock();
    }
  }

  /** The stack trace of {@code t} as text, as Python shows it in the traceback of a {@code JavaException}. */
  public static String stackOf(Throwable t) {
    java.io.StringWriter out = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }
}
