package dev.snakebridge.internal.worker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;

/**
 * Collects ref releases (from the GC's cleaner thread or from callers) so they go to the worker in
 * batches, one fire-and-forget {@code RELEASE} per session, instead of one message per object.
 * Thread-safe.
 */
public final class ReleaseBatcher {
  private record Release(String session, String refId) {}

  private final ConcurrentLinkedQueue<Release> queue = new ConcurrentLinkedQueue<>();

  public void add(String session, String refId) {
    queue.add(new Release(session, refId));
  }

  public boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Drains the queue, handing each session's ids to {@code send}. */
  public void flush(BiConsumer<String, List<String>> send) {
    Map<String, List<String>> bySession = new LinkedHashMap<>();
    for (Release r; (r = queue.poll()) != null; ) {
      bySession.computeIfAbsent(r.session(), s -> new ArrayList<>()).add(r.refId());
    }
    bySession.forEach(send);
  }
}
