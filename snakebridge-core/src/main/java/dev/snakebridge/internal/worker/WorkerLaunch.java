package dev.snakebridge.internal.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How to start a worker process: the interpreter, the unpacked worker directory, extra environment
 * variables, and how long start-up may take.
 */
public record WorkerLaunch(
    String interpreter, Path workerDir, Map<String, String> environment, Duration startupTimeout) {
  public WorkerLaunch {
    environment = Map.copyOf(environment);
  }
}
