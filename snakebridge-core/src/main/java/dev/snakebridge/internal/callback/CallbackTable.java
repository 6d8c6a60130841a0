package dev.snakebridge.internal.callback;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Java functions Python may call: anonymous ones passed as arguments (by id, owned by the session
 * of the call that passed them and dropped with it) and ones registered by name. Thread-safe.
 */
public final class CallbackTable {
  /** An anonymous callback and the session that owns it. */
  public record Entry(Object function, String session) {}

  private final Map<Long, Entry> anonymous = new ConcurrentHashMap<>();
  private final Map<String, Object> named = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(1);

  /**
   * Whether {@code value} crosses as a callback when passed as an argument: a {@code PyCallable}, or a
   * lambda or method reference of a supported shape.
   */
  public static boolean isCallback(Object value) {
    return CallbackInvoker.isLambda(value);
  }

  /** Registers an anonymous callback of {@code session}; returns its id. */
  public long add(Object function, String session) {
    long id = nextId.getAndIncrement();
    anonymous.put(id, new Entry(function, session));
    return id;
  }

  /** The callback with {@code id}, or throws saying why it is gone. */
  public Entry get(long id) {
    Entry e = anonymous.get(id);
    if (e == null) {
      throw new IllegalStateException("callback " + id + " no longer exists: the session that passed it was released");
    }
    return e;
  }

  /** Forgets an anonymous callback that Python let go of; an id that is gone already is ignored. */
  public void drop(long id) {
    anonymous.remove(id);
  }

  /** Drops the anonymous callbacks of a released session. */
  public void releaseSession(String session) {
    anonymous.values().removeIf(e -> e.session().equals(session));
  }

  public void register(String name, Object function) {
    Objects.requireNonNull(name, "name");
    if (!CallbackInvoker.isCallable(function)) {
      throw new IllegalArgumentException("cannot register a " + (function == null ? "null" : function.getClass().getName())
          + " as a callback: use a PyCallable, Function, BiFunction, Supplier, Consumer or Runnable");
    }
    named.put(name, function);
  }

  public boolean unregister(String name) {
    return named.remove(name) != null;
  }

  /** The callback registered as {@code name}, or throws saying it is not registered. */
  public Object named(String name) {
    Object f = named.get(name);
    if (f == null) {
      throw new IllegalStateException("no callback is registered under the name '" + name
          + "' (registered: " + named.keySet() + ")");
    }
    return f;
  }

  /** Anonymous callbacks alive (for tests and statistics). */
  public int size() {
    return anonymous.size();
  }
}
