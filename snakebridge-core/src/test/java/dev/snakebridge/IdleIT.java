package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** An idle runtime leaves the CPU alone, yet the first call after a pause still times out on time. */
class IdleIT {
  @Test
  void aTimeoutAfterAnIdlePauseIsKept() throws Exception {
    try (SnakeBridgeRuntime py = Workers.start(1)) {
      py.call("math", "sqrt", 4);
      Thread.sleep(1500); // the housekeeper now sleeps for up to a second
      long start = System.nanoTime();
      assertThatThrownBy(() -> py.call("time", "sleep", 10, CallOptions.defaults().timeout(Duration.ofMillis(200))))
          .isInstanceOf(CallTimeoutException.class);
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(900);
    }
  }

  @Test
  void theHousekeeperWakesAboutOnceASecondWhileIdle() throws Exception {
    Path tasks = Path.of("/proc/self/task");
    assumeTrue(Files.isDirectory(tasks), "Linux /proc needed to count wake-ups");
    try (SnakeBridgeRuntime py = Workers.start(1)) {
      py.call("math", "sqrt", 4);
      Thread.sleep(1200);
      Path housekeeper = housekeeperTask(tasks);
      long before = switches(housekeeper);
      Thread.sleep(3000);
      long wakeUps = switches(housekeeper) - before;
      // Ticking every 20 ms would be ~150; idle, it is one a second (plus a heartbeat).
      assertThat(wakeUps).isLessThan(15);
    }
  }

  private static Path housekeeperTask(Path tasks) throws IOException {
    try (Stream<Path> all = Files.list(tasks)) {
      return all.filter(t -> {
        try {
          return Files.readString(t.resolve("comm")).strip().startsWith("snakebridge-hou");
        } catch (IOException e) {
          return false; // the thread ended meanwhile
        }
      }).findFirst().orElseThrow();
    }
  }

  private static long switches(Path task) throws IOException {
    for (String line : Files.readAllLines(task.resolve("status"))) {
      if (line.startsWith("voluntary_ctxt_switches:")) {
        return Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
      }
    }
    throw new IllegalStateException("no voluntary_ctxt_switches in " + task);
  }
}
