package dev.snakebridge.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snakebridge.CallOptions;
import dev.snakebridge.CallTimeoutException;
import dev.snakebridge.PyRef;
import dev.snakebridge.PythonException;
import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.SnakeBridgeRuntime;
import dev.snakebridge.WorkerCrashedException;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The binder's meters against a SimpleMeterRegistry, fed by real calls into real Python workers. */
class SnakeBridgeMetricsIT {
  private SnakeBridgeRuntime py;
  private SimpleMeterRegistry registry;
  private SnakeBridgeMetrics metrics;

  static SnakeBridgeConfig.Builder config() {
    String python = System.getenv("SNAKEBRIDGE_PYTHON");
    return SnakeBridgeConfig.builder()
        .pythonExecutable(python == null || python.isBlank() ? "/usr/bin/python3" : python)
        .poolSize(2)
        .largeBufferThreshold(64 * 1024)
        .startupTimeout(Duration.ofSeconds(60));
  }

  @BeforeEach
  void start() {
    py = SnakeBridgeRuntime.create(config().build());
    registry = new SimpleMeterRegistry();
    metrics = SnakeBridgeMetrics.builder(py).tags(Tags.of("app", "test")).build();
    metrics.bindTo(registry);
  }

  @AfterEach
  void stop() {
    metrics.close();
    py.close();
  }

  private Timer calls(String kind, String outcome) {
    return registry.find("snakebridge.calls").tags("pool", "default", "kind", kind, "outcome", outcome).timer();
  }

  private double gauge(String name) {
    return registry.get(name).tags("pool", "default", "app", "test").gauge().value();
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(condition.getAsBoolean()).as("condition met within 20 s").isTrue();
  }

  @Test
  void callsAreTimedByPoolKindAndOutcome() throws Exception {
    py.call("math", "sqrt", 16);
    py.call("math", "sqrt", 25);
    assertThatThrownBy(() -> py.call("math", "sqrt", -1)).isInstanceOf(PythonException.class);
    assertThat(py.callAsync("math", "sqrt", 4).get()).isEqualTo(2.0);
    py.batch().call("math", "sqrt", 9).call("math", "sqrt", 1).execute();

    Timer sync = calls("sync", "success");
    assertThat(sync.count()).isEqualTo(2);
    assertThat(sync.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
    assertThat(sync.getId().getTag("app")).isEqualTo("test");
    assertThat(calls("sync", "python_error").count()).isEqualTo(1);
    assertThat(calls("async", "success").count()).isEqualTo(1);
    assertThat(calls("batch", "success").count()).isEqualTo(1);
    // Bounded cardinality by default: no module or function tag.
    assertThat(registry.find("snakebridge.calls").timers())
        .allSatisfy(t -> assertThat(t.getId().getTag("module")).isNull());
  }

  @Test
  void streamsAndPushesAreTimedToo() throws Exception {
    PyRef range = (PyRef) py.call("builtins", "range", 5);
    assertThat(py.stream(range).count()).isEqualTo(5);
    assertThat(calls("stream", "success").count()).isPositive();
    assertThat(py.pushEach(item -> { }, "itertools", "repeat", "x", 3)).isEqualTo(3);
    // A push's span ends when its stream's end frame is handled, which may come just after the items.
    await(() -> calls("push", "success") != null && calls("push", "success").count() == 1);
  }

  @Test
  void moduleAndFunctionTagsOnlyWhenAskedFor() {
    SimpleMeterRegistry detailed = new SimpleMeterRegistry();
    try (SnakeBridgeMetrics withNames = SnakeBridgeMetrics.builder(py).moduleAndFunctionTags(true).build()) {
      withNames.bindTo(detailed);
      py.call("math", "sqrt", 16);
      assertThat(detailed.get("snakebridge.calls").tags("module", "math", "function", "sqrt").timer().count())
          .isEqualTo(1);
    }
  }

  @Test
  void timeoutsAndCrashesHaveTheirOwnOutcome() throws Exception {
    assertThatThrownBy(() -> py.call("time", "sleep", 30, CallOptions.defaults().timeout(Duration.ofMillis(300))))
        .isInstanceOf(CallTimeoutException.class);
    assertThat(calls("sync", "timeout").count()).isEqualTo(1);

    assertThatThrownBy(() -> py.call("os", "_exit", 3)).isInstanceOf(WorkerCrashedException.class);
    assertThat(calls("sync", "crashed").count()).isEqualTo(1);
    await(() -> registry.get("snakebridge.worker.restarts").tags("pool", "default").counter().count() >= 1);
    await(() -> gauge("snakebridge.workers.live") == 2);
  }

  @Test
  void gaugesShowWorkersBusyWorkersRefsAndSessions() throws Exception {
    assertThat(gauge("snakebridge.workers.live")).isEqualTo(2);
    assertThat(gauge("snakebridge.workers.busy")).isZero();
    assertThat(gauge("snakebridge.queue.depth")).isZero();

    PyRef object = (PyRef) py.call("builtins", "object");
    assertThat(gauge("snakebridge.refs.live")).isEqualTo(1);
    assertThat(gauge("snakebridge.sessions")).isGreaterThanOrEqualTo(1);
    py.releaseRef(object);
    assertThat(gauge("snakebridge.refs.live")).isZero();

    // Busy: two workers, each taken by a sleeping call (a worker runs one user call at a time).
    CompletableFuture<Object> first = py.callAsync("time", "sleep", 1.5);
    CompletableFuture<Object> second = py.callAsync("time", "sleep", 1.5);
    await(() -> gauge("snakebridge.workers.busy") == 2);
    first.get();
    second.get();
    await(() -> gauge("snakebridge.workers.busy") == 0);
  }

  @Test
  void bulkBytesCountWhatCrossesThroughSharedMemory() {
    double sentBefore = registry.get("snakebridge.bulk.bytes").tags("direction", "sent").functionCounter().count();
    byte[] big = new byte[1 << 20];
    assertThat(py.call("builtins", "len", (Object) big)).isEqualTo(1L << 20);
    double sent = registry.get("snakebridge.bulk.bytes").tags("direction", "sent").functionCounter().count();
    assertThat(sent - sentBefore).isGreaterThanOrEqualTo(1 << 20);

    Object back = py.call("builtins", "bytes", 1 << 20);
    assertThat(back).isInstanceOf(byte[].class);
    assertThat(registry.get("snakebridge.bulk.bytes").tags("direction", "received").functionCounter().count())
        .isGreaterThanOrEqualTo(1 << 20);
  }

  @Test
  void closeDetachesTheHandlersAndGaugesReadNaNAfterTheRuntimeCloses() {
    metrics.close();
    py.call("math", "sqrt", 16);
    assertThat(calls("sync", "success")).isNull();
    py.close();
    assertThat(registry.getMeters()).extracting(Meter::getId)
        .anySatisfy(id -> assertThat(id.getName()).isEqualTo("snakebridge.workers.live"));
    double live = gauge("snakebridge.workers.live");
    assertThat(Double.isNaN(live) || live == 0).isTrue();
  }
}
