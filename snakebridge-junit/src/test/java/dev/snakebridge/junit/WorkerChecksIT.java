package dev.snakebridge.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snakebridge.SnakeBridge;
import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.SnakeBridgeRuntime;
import dev.snakebridge.WorkerCrashedException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Child processes left running, workers lost, and the workers' output shown when a test fails. */
class WorkerChecksIT {
  static final List<Process> started = new CopyOnWriteArrayList<>();
  static final List<SnakeBridgeRuntime> runtimes = new CopyOnWriteArrayList<>();

  @Samples.Sample
  @SnakeBridgeTest(workerRecoveryMillis = 1000)
  static class Processes {
    @Test
    void leavesAChildProcessRunning() throws IOException {
      started.add(new ProcessBuilder("sleep", "30").start());
    }

    @Test
    void waitsForItsChildProcess() throws Exception {
      assertThat(new ProcessBuilder("true").start().waitFor()).isZero();
    }

    @Test
    void leavesItsOwnRuntimeOpen() {
      SnakeBridgeRuntime own = SnakeBridgeRuntime.create(SnakeBridgeConfig.load().toBuilder().poolSize(1).build());
      runtimes.add(own);
      assertThat(own.call("math", "sqrt", 9)).isEqualTo(3.0);
    }

    @Test
    void closesItsOwnRuntime() {
      try (SnakeBridgeRuntime own = SnakeBridgeRuntime.create(SnakeBridgeConfig.load().toBuilder().poolSize(1).build())) {
        assertThat(own.call("math", "sqrt", 9)).isEqualTo(3.0);
      }
    }
  }

  @Samples.Sample
  @SnakeBridgeTest
  static class Crashes {
    @Test
    void killsAWorkerThatThePoolReplaces() {
      assertThatThrownBy(() -> SnakeBridge.call("os", "_exit", 3)).isInstanceOf(WorkerCrashedException.class);
    }
  }

  @Samples.Sample
  @SnakeBridgeTest(workerRecoveryMillis = 0)
  static class CrashesWithoutWaiting {
    @Test
    void killsAWorker() {
      assertThatThrownBy(() -> SnakeBridge.call("os", "_exit", 3)).isInstanceOf(WorkerCrashedException.class);
    }
  }

  @Samples.Sample
  @SnakeBridgeTest
  static class Output {
    @Test
    void logsThenFails() {
      SnakeBridge.call("logging", "warning", "marker-log");
      SnakeBridge.call("os", "write", 2, SnakeBridge.bytes("marker-stderr\n"));
      throw new AssertionError("boom");
    }

    @Test
    void logsAndPasses() {
      SnakeBridge.call("logging", "warning", "quiet-log");
    }
  }

  @AfterEach
  void cleanUp() {
    started.forEach(Process::destroyForcibly);
    started.clear();
    runtimes.forEach(SnakeBridgeRuntime::close);
    runtimes.clear();
  }

  @Test
  void childProcessesLeftRunningFailTheTestThatStartedThem() {
    Samples.Outcome outcome = Samples.run(Processes.class);

    assertThat(outcome.failed()).containsExactlyInAnyOrder("leavesAChildProcessRunning", "leavesItsOwnRuntimeOpen");
    assertThat(outcome.failure("leavesAChildProcessRunning"))
        .hasMessageContaining("child process " + started.get(0).pid() + " (/usr/bin/sleep 30) started during the test is still running");
    assertThat(outcome.failure("leavesItsOwnRuntimeOpen"))
        // Its workers are forked from a template (snakebridge_forkserver.py), the JVM's only child.
        .hasMessageContaining("snakebridge_forkserver.py")
        .hasMessageContaining("a runtime the test created must be closed");
  }

  @Test
  void aWorkerThatDiesIsGivenTimeToBeReplaced() {
    Samples.Outcome outcome = Samples.run(Crashes.class);

    assertThat(outcome.failed()).isEmpty();
    assertThat(SnakeBridge.stats().pool("default").workers()).isEqualTo(2);
  }

  @Test
  void aWorkerNotReplacedInTimeFailsTheTest() {
    Samples.Outcome outcome = Samples.run(CrashesWithoutWaiting.class);

    assertThat(outcome.failed()).containsExactly("killsAWorker");
    assertThat(outcome.failure("killsAWorker"))
        .hasMessageContaining("pool 'default' has 1 live worker(s) after the test but had 2 before it");
    assertThat(outcome.workerOutput("killsAWorker")).contains("worker died; the pool replaces it");
  }

  @Test
  void aFailingTestShowsTheWorkersOutputDuringIt() {
    Samples.Outcome outcome = Samples.run(Output.class);

    assertThat(outcome.failed()).containsExactly("logsThenFails");
    assertThat(outcome.failure("logsThenFails")).hasMessage("boom");
    assertThat(outcome.workerOutput("logsThenFails"))
        .contains("WARNING root] marker-log")
        .contains("stderr] marker-stderr")
        .doesNotContain("quiet-log");
    assertThat(outcome.workerOutput("logsAndPasses")).isNull();
  }
}
