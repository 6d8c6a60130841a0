package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workers forked from a pool's pre-warmed template behave as directly started ones; the fallback works. */
class ForkServerIT {
  @TempDir Path temp;

  private static long jvm() {
    return ProcessHandle.current().pid();
  }

  private static long parentOf(SnakeBridgeRuntime py, CallOptions... options) {
    return (Long) py.call("os", "getppid", (Object[]) options);
  }

  private static List<Long> childrenOf(long pid) {
    return ProcessHandle.of(pid).orElseThrow().children().map(ProcessHandle::pid).toList();
  }

  @Test
  void aPoolIsForkedFromOneTemplateThatTheJvmStarted() {
    try (SnakeBridgeRuntime py = Workers.start(4)) {
      long template = parentOf(py);
      assertThat(template).isNotEqualTo(jvm());
      assertThat(ProcessHandle.of(template).flatMap(ProcessHandle::parent).map(ProcessHandle::pid)).contains(jvm());
      assertThat(childrenOf(template)).hasSize(4);
      assertThat(py.call("math", "sqrt", 16)).isEqualTo(4.0);
      assertThat((String) py.callHelper("sb_test_helpers.env_var", "SNAKEBRIDGE_WORKER_ID")).startsWith("default-w");
      assertThat(py.callHelper("sb_test_helpers.noisy", "forked")).isNotNull();
    }
    // Closing the runtime ends the template and leaves nothing behind.
  }

  @Test
  void aPoolWithoutAnEnvironmentOfItsOwnGetsAnEarlyTemplateOthersTheScript() {
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(Workers.config(1)
        .pool(PoolConfig.builder("own").size(1).environment("SB_OWN", "yes").build()).build())) {
      // Started before the worker was unpacked: the loader on its command line, the script as an argument.
      assertThat(commandOf(parentOf(py))).contains(" -c ").endsWith(" snakebridge_forkserver.py");
      // Its environment may hold what an interpreter reads when it starts: launched once planned.
      CallOptions own = CallOptions.defaults().pool("own");
      assertThat(commandOf(parentOf(py, own))).doesNotContain(" -c ").endsWith("/snakebridge_forkserver.py");
      assertThat((String) py.callHelper("sb_test_helpers.env_var", "SNAKEBRIDGE_WORKER_ID")).startsWith("default-w");
      assertThat(py.call("math", "sqrt", 16)).isEqualTo(4.0);
      assertThat(py.call("os", "getcwd")).as("nothing else changed").isEqualTo(System.getProperty("user.dir"));
    }
  }

  private static String commandOf(long pid) {
    return ProcessHandle.of(pid).orElseThrow().info().commandLine().orElseThrow();
  }

  @Test
  void aTemporaryDirectoryWithSpacesHoldsTheFifos() throws Exception {
    Path spaced = Files.createDirectory(temp.resolve("with spaces in it"));
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(
        Workers.config(2).environment("TMPDIR", spaced.toString()).build())) {
      assertThat(parentOf(py)).isNotEqualTo(jvm()); // forked, not started directly as a fallback
      assertThat(py.call("math", "sqrt", 16)).isEqualTo(4.0);
      assertThat((String) py.callHelper("sb_test_helpers.env_var", "SNAKEBRIDGE_WORKER_ID")).startsWith("default-w");
    }
    try (var left = Files.list(spaced)) {
      assertThat(left.toList()).as("FIFO directories are removed once connected").isEmpty();
    }
  }

  @Test
  void aKilledForkedWorkerIsReportedAndReplacedByANewFork() throws Exception {
    try (SnakeBridgeRuntime py = Workers.start(1)) {
      long pid = (Long) py.callHelper("sb_test_helpers.pid");
      long template = parentOf(py);
      WorkerCrashedException e = catchThrowableOfType(WorkerCrashedException.class,
          () -> py.callHelper("sb_test_helpers.exit_now", 7));
      assertThat(e.exitCode()).isEqualTo(7);
      assertThat(py.call("math", "sqrt", 81)).isEqualTo(9.0);
      long replacement = (Long) py.callHelper("sb_test_helpers.pid");
      assertThat(replacement).isNotEqualTo(pid);
      assertThat(parentOf(py)).isEqualTo(template);

      Thread killer = new Thread(() -> {
        try {
          Thread.sleep(300);
          ProcessHandle.of(replacement).ifPresent(ProcessHandle::destroyForcibly);
        } catch (InterruptedException ignored) {
          // the test ends anyway
        }
      });
      killer.start();
      WorkerCrashedException killed = catchThrowableOfType(WorkerCrashedException.class,
          () -> py.callHelper("sb_test_helpers.sleep_then", 1, 30));
      killer.join();
      assertThat(killed.exitCode()).isEqualTo(137);
      assertThat(py.call("math", "sqrt", 4)).isEqualTo(2.0);
    }
  }

  /**
   * A pool that closes while it forks a replacement: the template shuts down (killing the new worker and
   * removing its FIFOs) while the JVM may be opening them. Nothing may wait forever or be left behind.
   * The rounds sweep the moment of the close across the replacement's start.
   */
  @Test
  void closingAPoolWhileItForksAReplacementLeavesNothingBehind() throws Exception {
    for (int round = 0; round < 40; round++) {
      SnakeBridgeRuntime py = Workers.start(2);
      assertThatThrownBy(() -> py.callHelper("sb_test_helpers.exit_now", 3)).isInstanceOf(WorkerCrashedException.class);
      java.util.concurrent.locks.LockSupport.parkNanos((round % 20) * 250_000L);
      py.close();
    }
    long deadline = System.currentTimeMillis() + 10_000;
    while ((!startThreads().isEmpty() || Workers.ringFiles() > 0) && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertThat(startThreads()).as("worker start threads still running").isEmpty();
    assertThat(Workers.ringFiles()).as("ring files left").isZero();
  }

  private static List<String> startThreads() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .filter(n -> n.startsWith("snakebridge-default-w") && n.endsWith("-start")).toList();
  }

  @Test
  void aWrapperScriptInterpreterStartsTheTemplate() throws Exception {
    Path wrapper = temp.resolve("python-utf8");
    Files.writeString(wrapper, "#!/bin/sh\nexec " + Workers.python() + " -X utf8 \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(Workers.config(2).pythonExecutable(wrapper.toString()).build())) {
      assertThat(parentOf(py)).isNotEqualTo(jvm());
      assertThat(py.callHelper("sb_test_helpers.utf8_mode")).isEqualTo(1L);
    }
  }

  @Test
  void startUpImportsAreLoadedInTheTemplateAndEachWorkerGetsItsOwnRandomState() {
    PoolConfig np = PoolConfig.builder("np").size(2).startupImports("numpy").build();
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(Workers.config(1).pool(np).build())) {
      CallOptions inNp = CallOptions.defaults().pool("np");
      long template = parentOf(py, inNp);
      assertThat(template).isNotEqualTo(jvm());
      assertThat(py.callHelper("sb_test_helpers.env_var", "SNAKEBRIDGE_WORKER_ID", inNp)).asString().startsWith("np-w");
      // Each worker draws its own numbers: the template's numpy generator was reseeded after the fork.
      assertThat(childrenOf(template)).hasSize(2);
      try (Session a = py.session("a"); Session b = py.session("b")) {
        Object pidA = a.callHelper("sb_test_helpers.pid", inNp);
        Object pidB = b.callHelper("sb_test_helpers.pid", inNp);
        assertThat(pidA).isNotEqualTo(pidB);
        Object drawA = a.call("numpy.random", "randint", 0, 1 << 30, inNp);
        Object drawB = b.call("numpy.random", "randint", 0, 1 << 30, inNp);
        assertThat(drawA).isNotEqualTo(drawB);
      }
    }
  }

  @Test
  void aTemplateWithThreadsAfterItsImportsIsReplacedByOneWithout() {
    // Under THREAD, OpenBLAS starts one thread per core when numpy loads: forking that template is unsafe.
    PoolConfig np = PoolConfig.builder("np").size(2).profile(WorkerProfile.THREAD)
        .environment("OPENBLAS_NUM_THREADS", "4").startupImports("numpy").build();
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(Workers.config(1).pool(np).build())) {
      CallOptions inNp = CallOptions.defaults().pool("np");
      long template = parentOf(py, inNp);
      assertThat(template).isNotEqualTo(jvm());
      assertThat(py.callHelper("sb_test_helpers.thread_count", inNp)).isNotNull();
      assertThat(py.call("numpy", "sum", List.of(1, 2, 3), inNp)).isEqualTo(6L);
    }
  }

  @Test
  void turnedOffWorkersAreTheJvmsChildren() {
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(Workers.config(2).forkServer(false).build())) {
      assertThat(parentOf(py)).isEqualTo(jvm());
    }
  }

  @Test
  void aTemplateThatCannotStartFallsBackToDirectStarts() throws Exception {
    Path wrapper = temp.resolve("python-no-template");
    // Refuses the template in either form: the entry script, or the early loader that names it.
    Files.writeString(wrapper, "#!/bin/sh\ncase \"$*\" in *forkserver*) echo no template here >&2; exit 1;; esac\n"
        + "exec " + Workers.python() + " \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(Workers.config(2).pythonExecutable(wrapper.toString()).build())) {
      assertThat(parentOf(py)).isEqualTo(jvm());
      assertThat(py.call("math", "sqrt", 9)).isEqualTo(3.0);
    }
  }
}
