package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Named pools, async calls, queue bounds, timeouts, recycling and heartbeats against real workers. */
class PoolsIT {
  @TempDir Path temp;

  @Test
  void twoThousandAsyncCallsInFlightAllAnswerCorrectly() throws Exception {
    try (SnakeBridgeRuntime py = Workers.start(2)) {
      List<CompletableFuture<Object>> futures = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        futures.add(py.callAsync("sb_test_helpers", "add", i, 1000));
      }
      for (int i = 0; i < 2000; i++) {
        assertThat(futures.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(i + 1000L);
      }
      assertThat(py.stats().pool("default").queued()).isZero();
    }
  }

  @Test
  void asyncCallsFromVirtualThreadsKeepTheirSession() throws Exception {
    try (SnakeBridgeRuntime py = Workers.start(2);
        var virtual = Executors.newVirtualThreadPerTaskExecutor()) {
      List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 200; t++) {
        results.add(virtual.submit(() -> {
          String session = py.currentSession();
          PyRef box = (PyRef) py.callAsync("sb_test_helpers", "Box", 3).get();
          return box.sessionId().equals(session) && py.callAsync("math", "sqrt", 9).get().equals(3.0);
        }));
      }
      for (var r : results) {
        assertThat(r.get()).isTrue();
      }
    }
  }

  @Test
  void asyncFailuresCompleteExceptionally() throws Exception {
    try (SnakeBridgeRuntime py = Workers.start(1)) {
      CompletableFuture<Object> f = py.callAsync("math", "sqrt", -1);
      CompletionException e = catchThrowableOfType(CompletionException.class, f::join);
      assertThat(e.getCause()).isInstanceOf(PythonException.class);
      assertThat(((PythonException) e.getCause()).pythonType()).isEqualTo("ValueError");
      assertThat(py.callAsync("builtins", "repr", new Object()).isCompletedExceptionally()).isTrue();
    }
  }

  @Test
  void aFullQueueRefusesCallsAtOnce() throws Exception {
    PoolConfig small = PoolConfig.builder("default").size(1).maxQueue(2).build();
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(Workers.config(1).pool(small).build())) {
      CompletableFuture<Object> running = py.callAsync("sb_test_helpers", "sleep_then", 1, 1.0);
      CompletableFuture<Object> queued1 = py.callAsync("sb_test_helpers", "sleep_then", 2, 0.0);
      CompletableFuture<Object> queued2 = py.callAsync("sb_test_helpers", "sleep_then", 3, 0.0);
      Thread.sleep(100);
      long start = System.nanoTime();
      assertThatThrownBy(() -> py.call("math", "sqrt", 4)).isInstanceOf(PoolSaturatedException.class)
          .hasMessageContaining("maximum of 2");
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(300);
      assertThat(py.stats().pool("default").queued()).isEqualTo(2);
      assertThat(List.of(running.get(), queued1.get(), queued2.get())).containsExactly(1L, 2L, 3L);
      assertThat(py.call("math", "sqrt", 4)).isEqualTo(2.0);
    }
  }

  @Test
  void theQueueTimeoutRefusesCallsThatWaitTooLong() throws Exception {
    PoolConfig patient = PoolConfig.builder("default").size(1).queueTimeout(Duration.ofMillis(200)).build();
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(Workers.config(1).pool(patient).build())) {
      CompletableFuture<Object> running = py.callAsync("sb_test_helpers", "sleep_then", 1, 1.0);
      Thread.sleep(50);
      assertThatThrownBy(() -> py.call("math", "sqrt", 4)).isInstanceOf(PoolSaturatedException.class)
          .hasMessageContaining("queue timeout");
      assertThat(running.get()).isEqualTo(1L);
    }
  }

  @Test
  void timeoutProfilesAndLibraryDefaultsApply() {
    SnakeBridgeConfig config = Workers.config(1)
        .timeoutProfile("quick", Duration.ofMillis(300))
        .libraryTimeoutProfile("sb_test_helpers", "quick")
        .build();
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(config)) {
      CallTimeoutException byLibrary = catchThrowableOfType(CallTimeoutException.class,
          () -> py.callHelper("sb_test_helpers.busy_loop", 10));
      assertThat(byLibrary.timeout()).isEqualTo(Duration.ofMillis(300));
      CallTimeoutException byProfile = catchThrowableOfType(CallTimeoutException.class,
          () -> py.call("time", "sleep", 10, CallOptions.defaults().timeoutProfile("quick")));
      assertThat(byProfile.timeout()).isEqualTo(Duration.ofMillis(300));
      // batchJob has no timeout; a per-call timeout beats every profile.
      assertThat(py.callHelper("sb_test_helpers.sleep_then", 5, 0.5, CallOptions.defaults().timeoutProfile("batchJob")))
          .isEqualTo(5L);
      assertThat(py.callHelper("sb_test_helpers.sleep_then", 6, 0.5, CallOptions.defaults().timeout(Duration.ofSeconds(5))))
          .isEqualTo(6L);
    }
  }

  @Test
  void aTimeoutInterruptsPythonCodeAndTheWorkerGoesOn() {
    try (SnakeBridgeRuntime py = Workers.start(1)) {
      long pid = (Long) py.callHelper("sb_test_helpers.pid");
      long start = System.nanoTime();
      assertThatThrownBy(() -> py.callHelper("sb_test_helpers.busy_loop", 30,
          CallOptions.defaults().timeout(Duration.ofMillis(300)))).isInstanceOf(CallTimeoutException.class);
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2000);
      // The Python loop was stopped: the same worker answers at once.
      assertThat(py.callHelper("sb_test_helpers.pid")).isEqualTo(pid);
    }
  }

  @Test
  void aLoopInCCannotBeInterruptedSoTheWorkerIsKilledAndReplaced() {
    try (SnakeBridgeRuntime py = Workers.start(1)) {
      long pid = (Long) py.callHelper("sb_test_helpers.pid");
      long start = System.nanoTime();
      assertThatThrownBy(() -> py.callHelper("sb_test_helpers.gil_hog", 32,
          CallOptions.defaults().timeout(Duration.ofMillis(300)))).isInstanceOf(CallTimeoutException.class);
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4000);
      assertThat(py.call("math", "sqrt", 16)).isEqualTo(4.0);
      assertThat(py.callHelper("sb_test_helpers.pid")).isNotEqualTo(pid);
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
  }

  @Test
  void workersAreRecycledAfterNCalls() throws Exception {
    PoolConfig recycled = PoolConfig.builder("default").size(1).recycleAfterCalls(5).build();
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(Workers.config(1).pool(recycled).build())) {
      List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
      py.telemetry().attach("recycle", "worker.*", e -> events.add(e.name()));
      long first = (Long) py.callHelper("sb_test_helpers.pid");
      for (int i = 0; i < 5; i++) {
        py.call("math", "sqrt", i);
      }
      long deadline = System.currentTimeMillis() + 10_000;
      long now = first;
      while (now == first && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
        now = (Long) py.callHelper("sb_test_helpers.pid");
      }
      assertThat(now).isNotEqualTo(first);
      assertThat(events).contains("worker.recycle", "worker.ready");
    }
  }

  @Test
  void twoPoolsWithDifferentInterpretersAndEnvironments() throws Exception {
    Path wrapper = temp.resolve("python-utf8");
    Files.writeString(wrapper, "#!/bin/sh\nexec " + Workers.python() + " -X utf8 \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    PoolConfig io = PoolConfig.builder("io").size(3).profile(WorkerProfile.THREAD)
        .pythonExecutable(wrapper.toString()).environment("POOL_NAME", "io").startupImports("json").build();
    SnakeBridgeConfig config = Workers.config(1).environment("POOL_NAME", "default").pool(io).build();
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(config)) {
      CallOptions inIo = CallOptions.defaults().pool("io");
      assertThat(py.callHelper("sb_test_helpers.env_var", "POOL_NAME")).isEqualTo("default");
      assertThat(py.callHelper("sb_test_helpers.env_var", "POOL_NAME", inIo)).isEqualTo("io");
      assertThat(py.callHelper("sb_test_helpers.utf8_mode")).isEqualTo(0L);
      assertThat(py.callHelper("sb_test_helpers.utf8_mode", inIo)).isEqualTo(1L);
      assertThat(py.callHelper("sb_test_helpers.env_var", "OMP_NUM_THREADS")).isEqualTo("1");
      PoolStats stats = py.stats();
      assertThat(stats.pool("default").workers()).isEqualTo(1);
      assertThat(stats.pool("io").workers()).isEqualTo(3);
      assertThatThrownBy(() -> py.call("math", "sqrt", 1, CallOptions.defaults().pool("nope")))
          .hasMessageContaining("no pool named 'nope'");
    }
  }

  @Test
  void aWorkerThatStopsAnsweringIsReplaced() throws Exception {
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(
        Workers.config(1).heartbeatInterval(Duration.ofMillis(200)).build())) {
      long pid = (Long) py.callHelper("sb_test_helpers.pid");
      new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
      long deadline = System.currentTimeMillis() + 10_000;
      while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(py.callHelper("sb_test_helpers.pid")).isNotEqualTo(pid);
    }
  }

  @Test
  void statsCountSessionsAndRefs() {
    try (SnakeBridgeRuntime py = Workers.start(2)) {
      PyRef a = (PyRef) py.call("sb_test_helpers", "Box", 1);
      PyRef b = (PyRef) py.call("sb_test_helpers", "Box", 2);
      PoolStats.Pool pool = py.stats().pool("default");
      assertThat(pool.workers()).isEqualTo(2);
      assertThat(pool.sessions()).isGreaterThanOrEqualTo(1);
      assertThat(pool.liveRefs()).isEqualTo(2);
      a.release();
      b.release();
      assertThat(py.stats().pool("default").liveRefs()).isZero();
    }
  }

  @Test
  void aFailingStartupImportFailsTheStartClearly() {
    PoolConfig broken = PoolConfig.builder("default").size(1).startupImports("no_such_module_xyz").build();
    assertThatThrownBy(() -> SnakeBridgeRuntime.create(Workers.config(1).pool(broken).build()))
        .isInstanceOf(SnakeBridgeException.class)
        .hasMessageContaining("no_such_module_xyz")
        .hasMessageContaining("ModuleNotFoundError");
  }

  @Test
  void workersAreRecycledAboveTheirMemoryThreshold() throws Exception {
    PoolConfig lean = PoolConfig.builder("default").size(1).recycleAboveMemoryBytes(1).build();
    SnakeBridgeConfig config = Workers.config(1).pool(lean).heartbeatInterval(Duration.ofMillis(200)).build();
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(config)) {
      List<TelemetryEvent> recycled = new java.util.concurrent.CopyOnWriteArrayList<>();
      py.telemetry().attach("memory", "worker.recycle", recycled::add);
      long first = (Long) py.callHelper("sb_test_helpers.pid");
      long deadline = System.currentTimeMillis() + 10_000;
      while (recycled.isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertThat(recycled).isNotEmpty();
      assertThat((String) recycled.get(0).metadata().get("reason")).contains("resident memory");
      long now = first;
      while (now == first && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
        now = (Long) py.callHelper("sb_test_helpers.pid");
      }
      assertThat(now).isNotEqualTo(first);
    }
  }

  @Test
  void closingTheRuntimeLetsCallsInFlightFinish() throws Exception {
    SnakeBridgeRuntime py = Workers.start(1);
    CompletableFuture<Object> inFlight = py.callAsync("sb_test_helpers", "sleep_then", "finished", 0.5);
    Thread.sleep(100);
    py.close();
    assertThat(inFlight.get(5, TimeUnit.SECONDS)).isEqualTo("finished");
    assertThatThrownBy(() -> py.call("math", "sqrt", 4)).isInstanceOf(SnakeBridgeException.class)
        .hasMessageContaining("closed");
  }
}
