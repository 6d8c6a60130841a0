package dev.snakebridge;

import java.util.Map;

/**
 * A snapshot of the runtime's pools, from {@link SnakeBridge#stats()}.
 *
 * @param pools each pool's figures, by pool name
 * @param bulkBytesSent bytes of large values (arrays, tables, buffers) sent to workers through shared
 *     memory since the runtime started
 * @param bulkBytesReceived bytes of large values received from workers through shared memory since the
 *     runtime started
 */
public record PoolStats(Map<String, Pool> pools, long bulkBytesSent, long bulkBytesReceived) {
  public PoolStats {
    pools = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(pools));
  }

  /** Pools' figures without bulk transfer counts. */
  public PoolStats(Map<String, Pool> pools) {
    this(pools, 0, 0);
  }

  /**
   * One pool's figures.
   *
   * @param name the pool's name
   * @param workers live workers
   * @param busy workers executing as many calls as their profile allows, or with calls queued
   * @param queued calls waiting for a worker
   * @param sessions sessions with a home worker in this pool
   * @param liveRefs refs whose objects live in this pool's workers
   * @param callsAnswered user calls answered by the current workers
   */
  public record Pool(String name, int workers, int busy, int queued, int sessions, int liveRefs, long callsAnswered) {}

  /** The figures of the pool {@code name} ({@code "default"} for the default pool). */
  public Pool pool(String name) {
    Pool p = pools.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no pool named '" + name + "'; pools: " + pools.keySet());
    }
    return p;
  }
}
