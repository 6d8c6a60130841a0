package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each affinity mode under contention: the session's home worker is busy with a long call. */
class AffinityIT {
  static SnakeBridgeRuntime py;

  @BeforeAll
  static void start() {
    py = Workers.start(2);
  }

  @AfterAll
  static void stop() {
    py.close();
  }

  private static long pid(String session, Affinity affinity) {
    return py.withSession(session, () ->
        (Long) py.callHelper("sb_test_helpers.pid", CallOptions.defaults().affinity(affinity)));
  }

  /**
   * Occupies the session's home worker for {@code seconds} from another thread, and returns once the pool
   * counts it busy (a fixed pause was not always enough on a loaded machine).
   */
  private static CompletableFuture<Object> occupyHome(String session, double seconds) throws InterruptedException {
    CompletableFuture<Object> busy = CompletableFuture.supplyAsync(() ->
        py.withSession(session, () -> py.callHelper("sb_test_helpers.sleep_then", "done", seconds,
            CallOptions.defaults().affinity(Affinity.STRICT_QUEUE))));
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (py.stats().pool("default").busy() == 0 && !busy.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(py.stats().pool("default").busy()).as("the home worker is busy").isPositive();
    return busy;
  }

  @Test
  void hintRunsOnTheHomeWorkerWhenFreeAndElsewhereWhenBusy() throws Exception {
    long home = pid("hint", Affinity.HINT);
    assertThat(pid("hint", Affinity.HINT)).isEqualTo(home);
    CompletableFuture<Object> busy = occupyHome("hint", 1.0);
    long elsewhere = pid("hint", Affinity.HINT);
    assertThat(elsewhere).isNotEqualTo(home);
    assertThat(busy.get()).isEqualTo("done");
    assertThat(pid("hint", Affinity.HINT)).isEqualTo(home);
  }

  @Test
  void strictQueueWaitsForTheHomeWorker() throws Exception {
    long home = pid("queue", Affinity.STRICT_QUEUE);
    CompletableFuture<Object> busy = occupyHome("queue", 2.0);
    long start = System.nanoTime();
    assertThat(pid("queue", Affinity.STRICT_QUEUE)).isEqualTo(home);
    long waitedMillis = (System.nanoTime() - start) / 1_000_000;
    // The queued call ran after the busy one (the worker has one slot); the busy call's own thread may
    // still be completing its future, since both answers can arrive in one read.
    assertThat(busy.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("done");
    assertThat(waitedMillis).isGreaterThan(400);
  }

  @Test
  void strictFailFastRefusesABusyHomeAtOnce() throws Exception {
    long home = pid("fail-fast", Affinity.STRICT_FAIL_FAST);
    CompletableFuture<Object> busy = occupyHome("fail-fast", 1.0);
    long start = System.nanoTime();
    assertThatThrownBy(() -> pid("fail-fast", Affinity.STRICT_FAIL_FAST))
        .isInstanceOf(WorkerBusyException.class)
        .hasMessageContaining("busy");
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(500);
    busy.get();
    assertThat(pid("fail-fast", Affinity.STRICT_FAIL_FAST)).isEqualTo(home);
  }

  @Test
  void homesSpreadOverThePool() {
    long first = pid("spread-a", Affinity.STRICT_QUEUE);
    long second = pid("spread-b", Affinity.STRICT_QUEUE);
    assertThat(second).isNotEqualTo(first);
  }

  @Test
  void aSessionMovesWhenItsHomeWorkerDies() throws Exception {
    long home = pid("survivor", Affinity.STRICT_QUEUE);
    ProcessHandle.of(home).ifPresent(ProcessHandle::destroyForcibly);
    long deadline = System.currentTimeMillis() + 5000;
    while (ProcessHandle.of(home).map(ProcessHandle::isAlive).orElse(false) && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    Thread.sleep(100);
    long now = pid("survivor", Affinity.STRICT_QUEUE);
    assertThat(now).isNotEqualTo(home);
    assertThat(py.withSession("survivor", py::currentSession)).isEqualTo("survivor");
  }
}
