package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every fault a Python worker can suffer, each run {@code snakebridge.faults.runs} times (3 in the normal
 * build, 100 in the long profile: docs/RELIABILITY.md). For each run: the affected call fails with the
 * right exception and a message that says what happened; a call in flight on the other worker (another
 * session) completes with its own answer; the pool recovers and ordinary calls work; and no process,
 * thread, file descriptor, ring file, buffer file or FIFO directory is left over (counted before and
 * after). A run that fails is counted, not fatal at once, so that the long profile reports how many runs
 * failed; the test fails at the end with the first failure.
 */
class FaultSuiteIT {
  private static final int RUNS = Integer.getInteger("snakebridge.faults.runs", 3);
  private static final Map<String, int[]> TALLY = new LinkedHashMap<>(); // fault -> {runs, failed}
  private static final List<String> FAILURES = new ArrayList<>();
  private static SnakeBridgeRuntime py;
  private static ResourceCounts baseline;
  private static List<String> baselineFds;
  private static final AtomicInteger tokens = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    py = Workers.start(2);
    warmUp();
    baseline = ResourceCounts.now();
    baselineFds = ResourceCounts.fdTargets();
  }

  @AfterAll
  static void stop() throws IOException {
    py.close();
    StringBuilder table = new StringBuilder("fault\truns\truns with a failure\n");
    TALLY.forEach((fault, t) -> table.append(fault).append('\t').append(t[0]).append('\t').append(t[1]).append('\n'));
    System.out.println(table);
    FAILURES.forEach(f -> System.out.println("FAILED " + f));
    Path out = Path.of("target", "reliability", "faults.tsv");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table.toString(), StandardCharsets.UTF_8);
  }

  /** Both workers have answered once (a worker's first call loads the helpers). */
  private static void warmUp() throws Exception {
    List<CompletableFuture<Object>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(py.session("warm-" + i).callAsync("sb_test_helpers", "pid_after", 0.05, "warm"));
    }
    for (CompletableFuture<Object> c : calls) {
      c.get(60, TimeUnit.SECONDS);
    }
  }

  /** A fault, injected through {@code session} into the worker with pid {@code victim}. */
  private interface Fault {
    void inject(Session session, long victim) throws Exception;
  }

  /**
   * Runs {@code fault} {@link #RUNS} times, with another session's call in flight on the other worker
   * when {@code withBystander}, then checks recovery and counts leaks.
   */
  private static void repeat(String name, boolean withBystander, Fault fault) throws Exception {
    int[] tally = TALLY.computeIfAbsent(name, k -> new int[2]);
    Throwable first = null;
    for (int run = 0; run < RUNS; run++) {
      tally[0]++;
      try {
        once(name + " run " + run, withBystander, fault);
      } catch (Exception | AssertionError e) {
        tally[1]++;
        FAILURES.add(name + " run " + run + ": " + e);
        if (first == null) {
          first = e;
        }
        awaitRecovery(); // the next run starts from a full pool
      }
    }
    if (first != null) {
      throw new AssertionError(name + ": " + tally[1] + " of " + tally[0] + " runs failed; the first:", first);
    }
  }

  private static void once(String what, boolean withBystander, Fault fault) throws Exception {
    String token = "t" + tokens.incrementAndGet();
    CompletableFuture<Object> bystander = null;
    Session faulty = py.session("faulty-" + token);
    if (withBystander) {
      // A new session's home is the next live worker in turn: two sessions made one after the other
      // live on the two workers (checked by their pids).
      Session other = py.session("bystander-" + token);
      for (int attempt = 0; pid(other) == pid(faulty) && attempt < 10; attempt++) {
        other.close();
        other = py.session("bystander-" + token + "-" + attempt);
      }
      bystander = other.callAsync("sb_test_helpers", "pid_after", 1.5, token);
    }
    long victim = pid(faulty);
    try (faulty) {
      fault.inject(faulty, victim);
    }
    if (bystander != null) {
      List<?> answer = (List<?>) bystander.get(60, TimeUnit.SECONDS);
      assertThat(answer.get(1)).as("%s: the answer of the call in flight on the other worker", what).isEqualTo(token);
      assertThat(answer.get(0)).as("%s: the bystander ran on another worker", what).isNotEqualTo(victim);
    }
    awaitRecovery();
    for (int i = 0; i < 20; i++) {
      assertThat(py.call("math", "sqrt", (double) i * i)).as("%s: an ordinary call after the fault", what)
          .isEqualTo((double) i);
    }
    ResourceCounts after = ResourceCounts.settle(baseline, 15_000);
    if (!after.within(baseline)) {
      List<String> fds = new ArrayList<>(ResourceCounts.fdTargets());
      baselineFds.forEach(fds::remove);
      throw new AssertionError(what + ": leaked something: before " + baseline + ", after " + after
          + "; new file descriptors: " + fds);
    }
  }

  /** Waits until the pool has its two workers again. */
  private static void awaitRecovery() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (liveWorkers() < 2 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(liveWorkers()).as("live workers after recovery").isEqualTo(2);
  }

  private static int liveWorkers() {
    return py.stats().pool("default").workers();
  }

  private static long pid(Session s) {
    return (Long) s.callHelper("sb_test_helpers.pid");
  }

  private static WorkerCrashedException crashOf(Session s, String helper, Object... args) {
    Throwable t = catchThrowable(() -> s.callHelper(helper, args));
    assertThat(t).as("what %s ended with", helper).isInstanceOf(WorkerCrashedException.class);
    return (WorkerCrashedException) t;
  }

  @Test
  void sigkillOfAWorkerMidCall() throws Exception {
    repeat("SIGKILL of a worker mid-call", true, (s, victim) -> {
      CompletableFuture<Object> call = s.callAsync("sb_test_helpers", "sleep_then", 1, 30);
      Thread.sleep(300);
      ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
      Throwable failed = catchThrowable(() -> call.get(60, TimeUnit.SECONDS));
      assertThat(failed).hasCauseInstanceOf(WorkerCrashedException.class);
      WorkerCrashedException e = (WorkerCrashedException) failed.getCause();
      assertThat(e.exitCode()).isEqualTo(137);
      assertThat(e.getMessage()).contains("died").contains("SIGKILL");
    });
  }

  @Test
  void osExit() throws Exception {
    repeat("os._exit", true, (s, victim) -> {
      WorkerCrashedException e = crashOf(s, "sb_test_helpers.exit_now", 3);
      assertThat(e.exitCode()).isEqualTo(3);
      assertThat(e.getMessage()).contains("exit code 3");
    });
  }

  @Test
  void segfaultInC() throws Exception {
    repeat("segfault in C", true, (s, victim) -> {
      WorkerCrashedException e = crashOf(s, "sb_test_helpers.segfault");
      assertThat(e.exitCode()).isEqualTo(139);
      assertThat(e.getMessage()).contains("SIGSEGV");
    });
  }

  @Test
  void uninterruptibleLoopInCWithATimeout() throws Exception {
    repeat("uninterruptible C loop, timeout", true, (s, victim) -> {
      CallTimeoutException e = catchThrowableOfType(CallTimeoutException.class,
          () -> s.callHelper("sb_test_helpers.gil_hog", 40, CallOptions.defaults().timeout(Duration.ofMillis(500))));
      assertThat(e.timeout()).isEqualTo(Duration.ofMillis(500));
      assertThat(e.getMessage()).contains("no answer").contains("PT0.5S").contains("cancelled");
      awaitExit(victim); // cancelling cannot stop C code: the worker is killed after the grace
    });
  }

  @Test
  void memoryError() throws Exception {
    repeat("MemoryError", true, (s, victim) -> {
      PythonException e = catchThrowableOfType(PythonException.class,
          () -> s.callHelper("sb_test_helpers.real_memory_error", 1L << 30));
      assertThat(e.is("MemoryError")).as(e.getMessage()).isTrue();
      assertThat(pid(s)).as("a MemoryError is an error, not a crash: the worker lives on").isEqualTo(victim);
    });
  }

  @Test
  void aWorkerThatStopsReadingItsInput() throws Exception {
    repeat("worker stops reading", true, (s, victim) -> {
      // SIGSTOP from outside: the whole process stops, reading nothing and answering nothing.
      assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(victim)).start().waitFor()).isZero();
      CallTimeoutException e = catchThrowableOfType(CallTimeoutException.class, () -> s.callHelper(
          "sb_test_helpers.pid", CallOptions.defaults().timeout(Duration.ofMillis(500)).affinity(Affinity.STRICT_QUEUE)));
      assertThat(e).as("the call to a stopped worker timed out").isNotNull();
      assertThat(e.getMessage()).contains("no answer");
      awaitExit(victim);
    });
  }

  @Test
  void garbageOnTheProtocolChannel() throws Exception {
    repeat("garbage on the protocol channel", true, (s, victim) -> {
      WorkerCrashedException e = crashOf(s, "sb_test_helpers.write_garbage", 2.0);
      assertThat(e.getMessage()).contains("corrupt frame");
      awaitExit(victim);
    });
  }

  @Test
  void aTruncatedFrame() throws Exception {
    repeat("truncated frame", true, (s, victim) -> {
      WorkerCrashedException e = crashOf(s, "sb_test_helpers.write_truncated_frame_and_exit");
      assertThat(e.exitCode()).isEqualTo(7);
    });
  }

  @Test
  void stdoutFlooding() throws Exception {
    repeat("stdout flooding", true, (s, victim) -> {
      assertThat(s.callHelper("sb_test_helpers.flood_stdout", 4)).isEqualTo("flooded");
      assertThat(pid(s)).isEqualTo(victim);
    });
  }

  @Test
  void theForkServerTemplateKilled() throws Exception {
    repeat("fork-server template killed", true, (s, victim) -> {
      long template = ProcessHandle.current().children()
          .filter(p -> p.info().commandLine().orElse("").contains("snakebridge_forkserver"))
          .filter(ResourceCounts::running)
          .mapToLong(ProcessHandle::pid).findFirst().orElseThrow(() -> new AssertionError("no fork server runs"));
      ProcessHandle.of(template).ifPresent(ProcessHandle::destroyForcibly);
      awaitExit(template);
      // The workers it forked live on; a replacement comes from a new template (or a direct start).
      assertThat(pid(s)).isEqualTo(victim);
      WorkerCrashedException e = crashOf(s, "sb_test_helpers.exit_now", 5);
      assertThat(e.exitCode()).isIn(5, -1); // -1: the exit status died with the template
    });
  }

  @Test
  void everyPythonProcessKilledAtOnce() throws Exception {
    repeat("every Python process killed at once", false, (s, victim) -> {
      List<CompletableFuture<Object>> inFlight = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        inFlight.add(py.session("doomed-" + i).callAsync("sb_test_helpers", "sleep_then", 1, 30));
      }
      Thread.sleep(300);
      // What the kernel's OOM killer can do: every worker and the template, together.
      List<ProcessHandle> all = ProcessHandle.current().descendants().toList();
      all.forEach(ProcessHandle::destroyForcibly);
      for (CompletableFuture<Object> call : inFlight) {
        Throwable failed = catchThrowable(() -> call.get(60, TimeUnit.SECONDS));
        assertThat(failed).hasCauseInstanceOf(WorkerCrashedException.class);
      }
      // Ordinary calls at once: they wait for replacements, and none may fail.
      for (int i = 0; i < 50; i++) {
        assertThat(py.call("math", "sqrt", 16.0)).isEqualTo(4.0);
      }
    });
  }

  private static void awaitExit(long pid) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (ProcessHandle.of(pid).map(ResourceCounts::running).orElse(false) && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(ProcessHandle.of(pid).map(ResourceCounts::running).orElse(false)).as("process %d still runs", pid).isFalse();
  }
}
