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

  /** Shared-memory ring files of this JVM's workers in /dev/shm now. */
  static long ringFiles() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
      String prefix = "snakebridge-" + ProcessHandle.current().pid() + "-";
      return files.filter(f -> f.getFileName().toString().startsWith(prefix)).count();
    }
  }
}
