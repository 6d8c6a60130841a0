package dev.snakebridge.micrometer;

import dev.snakebridge.PoolStats;
import dev.snakebridge.SnakeBridgeRuntime;
import dev.snakebridge.TelemetryEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters for a {@link SnakeBridgeRuntime}:
 *
 * <pre>{@code
 * SnakeBridgeMetrics.builder(runtime).build().bindTo(registry);
 * }</pre>
 *
 * <ul>
 *   <li>{@code snakebridge.calls}: a timer of every call, tagged {@code pool}, {@code kind} ({@code sync},
 *       {@code async}, {@code batch}, {@code stream}, {@code push}) and {@code outcome} ({@code success},
 *       {@code python_error}, {@code timeout}, {@code crashed}, {@code error}); {@code module} and {@code
 *       function} only with {@link Builder#moduleAndFunctionTags}, so that the number of series stays
 *       bounded by default;
 *   <li>gauges by {@code pool}: {@code snakebridge.workers.live}, {@code snakebridge.workers.busy},
 *       {@code snakebridge.queue.depth}, {@code snakebridge.refs.live}, {@code snakebridge.sessions};
 *   <li>counters: {@code snakebridge.worker.restarts} and {@code snakebridge.worker.recycles} by {@code
 *       pool}, {@code snakebridge.session.cleanup.errors}, and {@code snakebridge.bulk.bytes} by {@code
 *       direction} ({@code sent}, {@code received}).
 * </ul>
 *
 * <p>Calls and worker events are counted by telemetry handlers attached at {@link #bindTo}; {@link
 * #close()} detaches them. The gauges read {@link SnakeBridgeRuntime#stats()} when the registry asks,
 * and read NaN once the runtime is closed. Thread-safe.
 */
public final class SnakeBridgeMetrics implements MeterBinder, AutoCloseable {
  private static final AtomicInteger BINDINGS = new AtomicInteger();
  private static final String RESTARTS = "snakebridge.worker.restarts";
  private static final String RECYCLES = "snakebridge.worker.recycles";

  private final SnakeBridgeRuntime runtime;
  private final Tags tags;
  private final boolean moduleAndFunction;
  private final List<String> handlerIds = new ArrayList<>();
  private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

  private SnakeBridgeMetrics(Builder builder) {
    this.runtime = builder.runtime;
    this.tags = builder.tags;
    this.moduleAndFunction = builder.moduleAndFunction;
  }

  /** A builder of the meters of {@code runtime}. */
  public static Builder builder(SnakeBridgeRuntime runtime) {
    return new Builder(runtime);
  }

  /** Options of {@link SnakeBridgeMetrics}; not thread-safe. */
  public static final class Builder {
    private final SnakeBridgeRuntime runtime;
    private Tags tags = Tags.empty();
    private boolean moduleAndFunction;

    private Builder(SnakeBridgeRuntime runtime) {
      this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    /** Tags added to every meter (an application name, a runtime name). */
    public Builder tags(Iterable<Tag> tags) {
      this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
      return this;
    }

    /**
     * Also tag {@code snakebridge.calls} with the Python {@code module} and {@code function}: one series
     * per function called, so only for programs that call a known, small set of functions. Off by
     * default.
     */
    public Builder moduleAndFunctionTags(boolean on) {
      this.moduleAndFunction = on;
      return this;
    }

    public SnakeBridgeMetrics build() {
      return new SnakeBridgeMetrics(this);
    }
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (String pool : runtime.stats().pools().keySet()) {
      Tags byPool = tags.and("pool", pool);
      gauge(registry, "snakebridge.workers.live", "live Python workers", byPool, pool, PoolStats.Pool::workers);
      gauge(registry, "snakebridge.workers.busy", "workers executing as many calls as they may, or with calls queued",
          byPool, pool, PoolStats.Pool::busy);
      gauge(registry, "snakebridge.queue.depth", "calls waiting for a worker", byPool, pool, PoolStats.Pool::queued);
      gauge(registry, "snakebridge.refs.live", "refs whose Python objects live in the pool", byPool, pool,
          PoolStats.Pool::liveRefs);
      gauge(registry, "snakebridge.sessions", "sessions with a home worker in the pool", byPool, pool,
          PoolStats.Pool::sessions);
      // Counted from events; registered now so that they read zero, not "no data", until the first one.
      Counter.builder(RESTARTS).description("workers started again after a crash").tags(byPool).register(registry);
      Counter.builder(RECYCLES).description("workers replaced by policy (calls, memory)").tags(byPool)
          .register(registry);
    }
    bulkCounter(registry, "sent", stats -> stats.bulkBytesSent());
    bulkCounter(registry, "received", stats -> stats.bulkBytesReceived());

    String id = "snakebridge-micrometer-" + BINDINGS.incrementAndGet();
    attach(id + "-calls", "call.*", event -> recordCall(registry, event));
    attach(id + "-workers", "worker.*", event -> countWorkerEvent(registry, event));
    attach(id + "-sessions", "session.cleanup.error", event ->
        Counter.builder("snakebridge.session.cleanup.errors").description("errors releasing a session's objects")
            .tags(tags).register(registry).increment());
    // Created now so that dashboards show zero rather than no data before the first event.
    Counter.builder("snakebridge.session.cleanup.errors").description("errors releasing a session's objects")
        .tags(tags).register(registry);
  }

  private void recordCall(MeterRegistry registry, TelemetryEvent event) {
    if (event.name().equals("call.start")) {
      return;
    }
    Number micros = event.measurements().get("duration_us");
    Object outcome = event.metadata().get("outcome");
    if (micros == null || outcome == null) {
      return;
    }
    Map<String, Object> meta = event.metadata();
    TimerKey key = new TimerKey(registry, String.valueOf(meta.get("pool")), String.valueOf(meta.get("kind")),
        String.valueOf(outcome), moduleAndFunction ? String.valueOf(meta.get("module")) : null,
        moduleAndFunction ? String.valueOf(meta.get("function")) : null);
    timers.computeIfAbsent(key, this::timer).record(micros.longValue(), TimeUnit.MICROSECONDS);
  }

  /** One series of {@code snakebridge.calls}; looked up per call, so kept rather than built each time. */
  private record TimerKey(MeterRegistry registry, String pool, String kind, String outcome, String module,
      String function) {}

  private Timer timer(TimerKey key) {
    Tags callTags = tags.and("pool", key.pool(), "kind", key.kind(), "outcome", key.outcome());
    if (key.module() != null) {
      callTags = callTags.and("module", key.module(), "function", key.function());
    }
    return Timer.builder("snakebridge.calls")
        .description("Python calls, from the call to its decoded answer, encoding and waiting for a worker included")
        .tags(callTags).register(key.registry());
  }

  private void countWorkerEvent(MeterRegistry registry, TelemetryEvent event) {
    String name = switch (event.name()) {
      case "worker.restart" -> RESTARTS;
      case "worker.recycle" -> RECYCLES;
      default -> null;
    };
    if (name != null) {
      Counter.builder(name).tags(tags.and("pool", String.valueOf(event.metadata().get("pool"))))
          .register(registry).increment();
    }
  }

  private void gauge(MeterRegistry registry, String name, String description, Tags byPool, String pool,
      ToDoubleFunction<PoolStats.Pool> figure) {
    Gauge.builder(name, runtime, r -> {
      PoolStats.Pool p = poolOrNull(r, pool);
      return p == null ? Double.NaN : figure.applyAsDouble(p);
    }).description(description).tags(byPool).register(registry);
  }

  private void bulkCounter(MeterRegistry registry, String direction, ToDoubleFunction<PoolStats> bytes) {
    FunctionCounter.builder("snakebridge.bulk.bytes", runtime, r -> {
      PoolStats stats = statsOrNull(r);
      return stats == null ? Double.NaN : bytes.applyAsDouble(stats);
    }).description("bytes of large values moved through shared memory").baseUnit("bytes")
        .tags(tags.and("direction", direction)).register(registry);
  }

  private static PoolStats.Pool poolOrNull(SnakeBridgeRuntime runtime, String pool) {
    PoolStats stats = statsOrNull(runtime);
    return stats == null ? null : stats.pools().get(pool);
  }

  /** Null once the runtime is closed: a registry may ask after that. */
  private static PoolStats statsOrNull(SnakeBridgeRuntime runtime) {
    try {
      return runtime.stats();
    } catch (RuntimeException closed) {
      return null;
    }
  }

  private void attach(String handlerId, String event, dev.snakebridge.TelemetryHandler handler) {
    runtime.telemetry().attach(handlerId, event, handler);
    synchronized (handlerIds) {
      handlerIds.add(handlerId);
    }
  }

  /** Detaches the telemetry handlers; the meters stay in the registry with their last values. */
  @Override
  public void close() {
    synchronized (handlerIds) {
      for (String id : handlerIds) {
        runtime.telemetry().detach(id);
      }
      handlerIds.clear();
    }
  }
}
