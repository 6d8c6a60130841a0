package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A worker that dies mid-call fails only its calls; the pool replaces it and calls go on. */
class CrashIT {
  static SnakeBridgeRuntime py;

  @BeforeAll
  static void start() {
    py = Workers.start(1);
  }

  @AfterAll
  static void stop() {
    py.close();
  }

  private static long workerPid() {
    return (Long) py.callHelper("sb_test_helpers.pid");
  }

  @Test
  void osExitFailsTheCallAndTheWorkerIsReplaced() {
    long pid = workerPid();
    PyRef box = (PyRef) py.call("sb_test_helpers", "Box", 1);
    WorkerCrashedException e = catchThrowableOfType(WorkerCrashedException.class,
        () -> py.callHelper("sb_test_helpers.exit_now", 3));
    assertThat(e.exitCode()).isEqualTo(3);
    assertThat(e.getMessage()).contains("exit code 3");
    assertThat(py.call("math", "sqrt", 81)).isEqualTo(9.0);
    assertThat(workerPid()).isNotEqualTo(pid);
    RefNotFoundException gone = catchThrowableOfType(RefNotFoundException.class, () -> box.call("get"));
    assertThat(gone.getMessage()).contains("died");
  }

  @Test
  void segfaultInCIsACrash() {
    WorkerCrashedException e = catchThrowableOfType(WorkerCrashedException.class,
        () -> py.callHelper("sb_test_helpers.segfault"));
    assertThat(e.exitCode()).isEqualTo(139);
    assertThat(e.getMessage()).contains("SIGSEGV");
    assertThat(py.call("math", "sqrt", 4)).isEqualTo(2.0);
  }

  @Test
  void sigkillDuringACallIsACrash() throws Exception {
    long pid = workerPid();
    Thread killer = new Thread(() -> {
      try {
        Thread.sleep(300);
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      } catch (InterruptedException ignored) {
        // test ends anyway
      }
    });
    killer.start();
    WorkerCrashedException e = catchThrowableOfType(WorkerCrashedException.class,
        () -> py.callHelper("sb_test_helpers.sleep_then", 1, 30));
    killer.join();
    assertThat(e.exitCode()).isEqualTo(137);
    assertThat(py.call("math", "sqrt", 4)).isEqualTo(2.0);
  }

  @Test
  void timeoutCancelsTheCallAndLeavesTheWorkerUsable() {
    CallTimeoutException e = catchThrowableOfType(CallTimeoutException.class,
        () -> py.callHelper("sb_test_helpers.busy_loop", 30, CallOptions.defaults().timeout(Duration.ofMillis(300))));
    assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
    assertThat(py.call("math", "sqrt", 4)).isEqualTo(2.0);
  }
}
