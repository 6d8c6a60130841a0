package dev.snakebridge.internal.bulk;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets the owner of a received shared-memory view give its slot back before the garbage collector
 * would ({@code NDArray.release()}): the slot's release action, registered under the view object
 * (by identity, weakly, so this table never keeps a view alive) and under the buffers made from it that
 * stand for it. Running it early is safe for the slot's bookkeeping because the action is the view's
 * {@code Cleaner} action, which runs at most once; it is up to the caller that nothing reads the view
 * afterwards (the sender may reuse the memory at once).
 *
 * <p>Thread-safe.
 */
public final class EarlyRelease {
  private static final ReferenceQueue<Object> GONE = new ReferenceQueue<>();
  private static final Map<Key, Runnable> ACTIONS = new ConcurrentHashMap<>();

  private EarlyRelease() {}

  /** Registers {@code action} to run when {@link #run} is called with {@code holder}. */
  static void register(Object holder, Runnable action) {
    purge();
    ACTIONS.put(new Key(holder, GONE), action);
  }

  /** Makes {@code alias} (a buffer derived from {@code holder}) release what {@code holder} would. */
  public static void alias(Object holder, Object alias) {
    Runnable action = ACTIONS.get(new Key(holder, null));
    if (action != null) {
      register(alias, action);
    }
  }

  /** Runs and forgets the action registered for {@code holder}, if any; later calls do nothing. */
  public static void run(Object holder) {
    Runnable action = ACTIONS.remove(new Key(holder, null));
    if (action != null) {
      action.run();
    }
  }

  static int size() {
    purge();
    return ACTIONS.size();
  }

  private static void purge() {
    for (Object k; (k = GONE.poll()) != null; ) {
      ACTIONS.remove(k);
    }
  }

  /** A weak key compared by the identity of its referent (equal to itself once that is gone). */
  private static final class Key extends WeakReference<Object> {
    private final int hash;

    Key(Object referent, ReferenceQueue<Object> queue) {
      super(referent, queue);
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public boolean equals(Object o) {
      if (this == o) {
        return true;
      }
      if (!(o instanceof Key other) || other.hash != hash) {
        return false;
      }
      Object mine = get();
      return mine != null && mine == other.get();
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
