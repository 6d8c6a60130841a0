package dev.snakebridge.internal.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How to start a worker process: the interpreter, the unpacked worker directory, extra environment
 * variables, how long start-up may take, and how long the JVM's reader polls before it sleeps.
 */
public record WorkerLaunch(
    String interpreter, Path workerDir, Map<String, String> environment, Duration startupTimeout, Duration spinWait) {
  public WorkerLaunch {
    environment = Map.copyOf(environment);
  }
}
