package dev.snakebridge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/** Runtimes for integration tests: real Python workers, with the interpreter CI installs libraries into. */
final class Workers {
  private Workers() {}

  /** The interpreter the tests use: SNAKEBRIDGE_PYTHON (set by the build), else /usr/bin/python3. */
  static String python() {
    String env = System.getenv("SNAKEBRIDGE_PYTHON");
    return env != null && !env.isBlank() ? env : "/usr/bin/python3";
  }

  static SnakeBridgeConfig.Builder config(int poolSize) {
    return SnakeBridgeConfig.builder()
        .pythonExecutable(python())
        .poolSize(poolSize)
        .startupTimeout(Duration.ofSeconds(60));
  }

  static SnakeBridgeRuntime start(int poolSize) {
    return SnakeBridgeRuntime.create(config(poolSize).build());
  }

  /** Shared-memory ring files of this JVM's workers now (in this user's directory under /dev/shm). */
  static long ringFiles() throws IOException {
    return ringFiles(ProcessHandle.current().pid());
  }

  /** Shared-memory ring files that process {@code pid} made and that are still there. */
  static long ringFiles(long pid) throws IOException {
    Path dir = ringDirectory();
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      String prefix = pid + "-";
      return files.filter(f -> f.getFileName().toString().startsWith(prefix)).count();
    }
  }

  /** This user's private directory of ring files. */
  static Path ringDirectory() throws IOException {
    return Path.of("/dev/shm", "snakebridge-" + Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
  }
}
