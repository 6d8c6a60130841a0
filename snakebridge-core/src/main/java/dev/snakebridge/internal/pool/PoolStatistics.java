package dev.snakebridge.internal.pool;

import dev.snakebridge.PoolStats;
import dev.snakebridge.internal.session.SessionRegistry;
import dev.snakebridge.internal.session.SessionState;
import dev.snakebridge.internal.worker.WorkerProcess;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A snapshot of each pool: workers, busy workers, queued calls, sessions, live refs, calls answered. */
public final class PoolStatistics {
  private PoolStatistics() {}

  public static PoolStats snapshot(Iterable<WorkerPool> pools, SessionRegistry sessions) {
    return snapshot(pools, sessions, new long[2]);
  }

  /** With {@code bulkBytes}: {@code {sent, received}} through shared memory. */
  public static PoolStats snapshot(Iterable<WorkerPool> pools, SessionRegistry sessions, long[] bulkBytes) {
    Map<String, PoolStats.Pool> result = new LinkedHashMap<>();
    for (WorkerPool pool : pools) {
      pool.awaitFirstStarts();
      List<WorkerProcess> live = pool.live();
      int busy = 0;
      long answered = 0;
      for (WorkerProcess w : live) {
        busy += w.connection().admission().isBusy() ? 1 : 0;
        answered += w.connection().answeredCalls();
      }
      int sessionCount = 0;
      int refs = 0;
      for (SessionState s : sessions.sessions()) {
        sessionCount += s.home(pool.name()) != null ? 1 : 0;
        refs += s.countRefs(w -> pool.workers().contains(w));
      }
      result.put(pool.name(), new PoolStats.Pool(pool.name(), live.size(), busy, pool.queued(), sessionCount, refs, answered));
    }
    return new PoolStats(result, bulkBytes[0], bulkBytes[1]);
  }
}
