package dev.snakebridge.internal.worker;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An operating-system process running a worker, however it was started: by the JVM itself ({@link
 * SpawnedProcess}) or forked by a pool's template ({@link ForkedProcess}), which is not the JVM's child and
 * so has no {@link Process}. Thread-safe.
 */
sealed interface LaunchedProcess permits SpawnedProcess, ForkedProcess {
  long pid();

  /** The worker's request stream (its fd 0). */
  OutputStream requests();

  /** The worker's response stream (its original fd 1). */
  InputStream responses();

  /** The worker's fd 2. */
  InputStream stderr();

  /** Completes with the exit status when the process has ended: 128+N for signal N, -1 when unknown. */
  CompletableFuture<Integer> exit();

  /** SIGKILL, at once; a no-op once the process has ended. */
  void kill();

  /** Called once the worker has said HELLO: it has opened every stream it will use. */
  default void connected() {}

  default boolean isAlive() {
    return !exit().isDone();
  }

  /** Whether the process ended within {@code millis}. */
  default boolean waitFor(long millis) throws InterruptedException {
    try {
      exit().get(millis, TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true;
    }
  }

  /** The exit status, or -1 while running or when unknown. */
  default int exitCode() {
    return exit().getNow(-1);
  }
}
