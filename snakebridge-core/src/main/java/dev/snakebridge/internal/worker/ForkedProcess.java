package dev.snakebridge.internal.worker;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A worker forked by a pool's {@link ForkServer}: its streams are FIFOs, its exit status comes from the
 * template that reaps it (or, should the template be gone, from {@link ProcessHandle#onExit()} with the
 * status unknown). {@code holders} are the read-write handles that let the JVM open its ends without
 * waiting for the worker, and the removal of the FIFOs' names; {@link #connected()} closes them. Thread-safe.
 */
record ForkedProcess(
    long pid, OutputStream requests, InputStream responses, InputStream stderr, CompletableFuture<Integer> exit,
    ForkServer template, List<Closeable> holders) implements LaunchedProcess {
  @Override
  public void kill() {
    if (isAlive()) {
      template.kill(pid);
    }
  }

  /**
   * The worker holds its own ends now (or has exited): without the holders its death reads as end of
   * file, and the names are no longer needed. Idempotent.
   */
  @Override
  public void connected() {
    for (Closeable holder : holders) {
      ForkServer.closeQuietly(holder);
    }
  }
}
