package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While replacements fail to start, the pool retries with a doubling backoff (50 ms up to 2 s), not in a
 * tight loop; once the interpreter works again the pool recovers on its own.
 */
class RestartBackoffIT {
  @TempDir
  Path dir;

  @Test
  void failingReplacementsAreRetriedWithABackoffAndThePoolRecovers() throws Exception {
    Path broken = dir.resolve("broken");
    Path python = dir.resolve("python-wrapper");
    Files.writeString(python, "#!/bin/sh\nif [ -e '" + broken + "' ]; then echo 'broken on purpose' >&2; exit 3; fi\n"
        + "exec " + Workers.python() + " \"$@\"\n");
    Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwx------"));
    SnakeBridgeConfig config = Workers.config(1).pythonExecutable(python.toString()).forkServer(false).build();
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(config)) {
      AtomicInteger starts = new AtomicInteger();
      py.telemetry().attach("starts", "worker.start", e -> starts.incrementAndGet());
      long pid = (Long) py.callHelper("sb_test_helpers.pid");
      Files.createFile(broken);
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      Thread.sleep(2000);
      // 50 + 100 + 200 + 400 + 800 ms of backoff fit in 2 s: about six attempts, never hundreds.
      assertThat(starts.get()).as("start attempts in 2 s of failures").isBetween(2, 12);
      Files.delete(broken);
      assertThat(py.call("math", "sqrt", 49)).as("the pool recovers once the interpreter works").isEqualTo(7.0);
      assertThat((Long) py.callHelper("sb_test_helpers.pid")).isNotEqualTo(pid);
    }
  }
}
