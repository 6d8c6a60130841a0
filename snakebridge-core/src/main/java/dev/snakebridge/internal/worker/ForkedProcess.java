package dev.snakebridge.internal.worker;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * A worker forked by a pool's {@link ForkServer}: its streams are FIFOs, its exit status comes from the
 * template that reaps it (or, should the template be gone, from {@link ProcessHandle#onExit()} with the
 * status unknown). Thread-safe.
 */
record ForkedProcess(
    long pid, OutputStream requests, InputStream responses, InputStream stderr, CompletableFuture<Integer> exit,
    ForkServer template) implements LaunchedProcess {
  @Override
  public void kill() {
    if (isAlive()) {
      template.kill(pid);
    }
  }
}
