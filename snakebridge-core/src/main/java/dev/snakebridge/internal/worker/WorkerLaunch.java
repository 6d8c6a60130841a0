package dev.snakebridge.internal.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How to start a worker process: the interpreter, the unpacked worker directory, extra environment
 * variables, how long start-up may take, how long the JVM's reader polls before it sleeps, the
 * size of each shared-memory ring (0 for the pipe transport), and whether workers are forked from a
 * pre-warmed template ({@link ForkServer}).
 */
public record WorkerLaunch(
    String interpreter, Path workerDir, Map<String, String> environment, Duration startupTimeout, Duration spinWait,
    int sharedMemoryRingBytes, boolean forkServer) {
  public WorkerLaunch {
    environment = Map.copyOf(environment);
  }
}
