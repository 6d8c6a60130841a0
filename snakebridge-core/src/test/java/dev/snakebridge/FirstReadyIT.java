package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool answers as soon as one worker is ready, while the others go on starting: one worker of the pool
 * imports a start-up module at once, the other sleeps in it and marks a file when it is done.
 */
class FirstReadyIT {
  @TempDir Path temp;

  /** The first worker to import it takes a lock and goes on; the others sleep, then write their marker. */
  private static final String SLOW_START = """
      import fcntl, os, time
      _dir = os.environ["SB_TEST_DIR"]
      _lock = os.open(os.path.join(_dir, "lock"), os.O_CREAT | os.O_RDWR)
      try:
          fcntl.flock(_lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
      except BlockingIOError:
          time.sleep(4)
          open(os.path.join(_dir, "slow-%d" % os.getpid()), "w").close()
      """;

  private SnakeBridgeRuntime slowPool() throws Exception {
    Files.writeString(temp.resolve("sb_slow_start.py"), SLOW_START);
    PoolConfig pool = PoolConfig.builder("default").size(2).startupImports("sb_slow_start")
        .environment("SB_TEST_DIR", temp.toString()).build();
    // Without the fork server each worker imports its start-up modules itself, so one can be slow.
    return SnakeBridgeRuntime.create(
        Workers.config(2).forkServer(false).helperPaths(List.of(temp)).pool(pool).build());
  }

  private long slowMarkers() throws Exception {
    try (var files = Files.list(temp)) {
      return files.filter(f -> f.getFileName().toString().startsWith("slow-")).count();
    }
  }

  @Test
  void theFirstCallIsAnsweredWhileTheRestOfThePoolStarts() throws Exception {
    try (SnakeBridgeRuntime py = slowPool()) {
      assertThat(py.call("math", "sqrt", 16)).isEqualTo(4.0);
      assertThat(slowMarkers()).as("the slow worker is still starting").isZero();
      // Statistics describe the whole pool: they wait for the rest of it.
      assertThat(py.stats().pool("default").workers()).isEqualTo(2);
      assertThat(slowMarkers()).isEqualTo(1);
    }
  }

  @Test
  void closingWhileAWorkerStartsLeavesNoProcessOrRingFile() throws Exception {
    long ringsBefore = Workers.ringFiles();
    SnakeBridgeRuntime py = slowPool();
    List<ProcessHandle> workers = ProcessHandle.current().children().toList();
    assertThat(slowMarkers()).as("closed while the slow worker starts").isZero();
    py.close();
    // Closing waited for the slow worker (it sleeps 4 s in its import) and stopped it: a second is grace
    // for the kernel to report the exits, not for the worker to finish starting.
    for (ProcessHandle worker : workers) {
      worker.onExit().get(1, java.util.concurrent.TimeUnit.SECONDS);
    }
    assertThat(slowMarkers()).isEqualTo(1);
    assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList()).isEmpty();
    assertThat(Workers.ringFiles()).isEqualTo(ringsBefore);
  }

  @Test
  void newSessionsWaitForAStartingWorkerRatherThanShareAHome() throws Exception {
    try (SnakeBridgeRuntime py = slowPool()) {
      Set<Object> pids = new HashSet<>();
      for (int i = 0; i < 2; i++) {
        try (Session session = py.session("first-ready-" + i)) {
          pids.add(session.call("os", "getpid"));
        }
      }
      assertThat(pids).hasSize(2);
      assertThat(slowMarkers()).isEqualTo(1);
    }
  }
}
