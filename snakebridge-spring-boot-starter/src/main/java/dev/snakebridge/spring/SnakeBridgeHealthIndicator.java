package dev.snakebridge.spring;

import dev.snakebridge.PoolStats;
import dev.snakebridge.SnakeBridgeRuntime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code snakebridge} health: {@code UP} while every pool has a live worker, else {@code DOWN};
 * details give each pool's workers, busy workers, queue depth, sessions and live refs, and the last
 * worker crash (worker, when, how many so far). Thread-safe.
 */
public class SnakeBridgeHealthIndicator extends AbstractHealthIndicator implements DisposableBean {
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /** A worker that died: which, and when. */
  private record Crash(String worker, String pool, Instant time) {}

  private final SnakeBridgeRuntime runtime;
  private final String handlerId = "snakebridge-health-" + INSTANCES.incrementAndGet();
  private final AtomicReference<Crash> lastCrash = new AtomicReference<>();
  private final AtomicInteger crashes = new AtomicInteger();

  public SnakeBridgeHealthIndicator(SnakeBridgeRuntime runtime) {
    super("SnakeBridge health check failed");
    this.runtime = runtime;
    runtime.telemetry().attach(handlerId, "worker.crash", event -> {
      crashes.incrementAndGet();
      lastCrash.set(new Crash(String.valueOf(event.metadata().get("worker")),
          String.valueOf(event.metadata().get("pool")), event.time()));
    });
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    PoolStats stats = runtime.stats();
    boolean up = !stats.pools().isEmpty();
    Map<String, Object> pools = new LinkedHashMap<>();
    for (PoolStats.Pool pool : stats.pools().values()) {
      up &= pool.workers() > 0;
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("workers", pool.workers());
      figures.put("busy", pool.busy());
      figures.put("queued", pool.queued());
      figures.put("sessions", pool.sessions());
      figures.put("liveRefs", pool.liveRefs());
      pools.put(pool.name(), figures);
    }
    builder.status(up ? "UP" : "DOWN").withDetail("pools", pools).withDetail("crashes", crashes.get());
    Crash crash = lastCrash.get();
    if (crash != null) {
      builder.withDetail("lastCrash", Map.of("worker", crash.worker(), "pool", crash.pool(),
          "time", crash.time().toString()));
    }
  }

  @Override
  public void destroy() {
    runtime.telemetry().detach(handlerId);
  }
}
