package dev.snakebridge.internal.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Collects ref releases (from the GC's cleaner thread, TTL expiry or callers) so that they go to the
 * worker in batches, one fire-and-forget {@code RELEASE} each, instead of one message per object.
 * Thread-safe.
 */
final class ReleaseBatcher {
  private static final int MAX_BATCH = 4096;
  private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();

  void add(String refId) {
    queue.add(refId);
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Drains the queue, handing the ids to {@code send} in batches. */
  void flush(Consumer<List<String>> send) {
    List<String> batch = new ArrayList<>();
    for (String id; (id = queue.poll()) != null; ) {
      batch.add(id);
      if (batch.size() == MAX_BATCH) {
        send.accept(batch);
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) {
      send.accept(batch);
    }
  }
}
