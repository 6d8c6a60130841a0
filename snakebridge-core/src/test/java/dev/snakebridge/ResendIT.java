package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Calls pipelined to a worker that dies: the one it was running fails with WorkerCrashedException; the
 * ones it never started (queued in the worker, or never read) run on another worker instead.
 */
class ResendIT {
  private static final CallOptions QUEUE = CallOptions.defaults().affinity(Affinity.STRICT_QUEUE);

  @Test
  void callsQueuedInAKilledWorkerRunElsewhere() throws Exception {
    try (SnakeBridgeRuntime py = Workers.start(2)) {
      long home = py.withSession("resend", () -> (Long) py.callHelper("sb_test_helpers.pid", QUEUE));
      CompletableFuture<Object> running = py.withSession("resend",
          () -> py.callAsync("sb_test_helpers", "sleep_then", "slow", 30.0, QUEUE));
      List<CompletableFuture<Object>> queued = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        queued.add(py.withSession("resend", () -> py.callAsync("sb_test_helpers", "pid", QUEUE)));
      }
      // The worker reads the pipelined requests into its own queue while the slow call runs.
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (py.stats().pool("default").queued() < 200 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(200);
      ProcessHandle.of(home).orElseThrow().destroyForcibly();

      ExecutionException crashed = org.assertj.core.api.Assertions.catchThrowableOfType(
          ExecutionException.class, running::get);
      assertThat(crashed.getCause()).isInstanceOf(WorkerCrashedException.class);
      for (CompletableFuture<Object> call : queued) {
        assertThat((Long) call.get()).isNotEqualTo(home);
      }
    }
  }

  /** The fork-server template and every worker forked from it die at once, as in a cgroup OOM kill. */
  @Test
  void killingTheTemplateAndItsWorkersLosesNoOrdinaryCall() throws Exception {
    try (SnakeBridgeRuntime py = Workers.start(2)) {
      long worker = (Long) py.callHelper("sb_test_helpers.pid");
      ProcessHandle template = ProcessHandle.of(worker).flatMap(ProcessHandle::parent).orElseThrow();
      assertThat(template.pid()).isNotEqualTo(ProcessHandle.current().pid());
      List<ProcessHandle> forked = template.children().toList();
      template.destroyForcibly();
      forked.forEach(ProcessHandle::destroyForcibly);
      List<CompletableFuture<Object>> calls = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        calls.add(py.callAsync("math", "sqrt", 4.0));
      }
      assertThat(py.call("math", "sqrt", 81)).isEqualTo(9.0);
      for (CompletableFuture<Object> call : calls) {
        assertThat(call.get()).isEqualTo(2.0);
      }
      assertThat((Long) py.callHelper("sb_test_helpers.pid")).isNotEqualTo(worker);
    }
  }
}
