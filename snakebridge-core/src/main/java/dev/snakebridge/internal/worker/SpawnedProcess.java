package dev.snakebridge.internal.worker;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/** A worker the JVM started itself with a {@link ProcessBuilder}. Thread-safe. */
record SpawnedProcess(Process process, CompletableFuture<Integer> exit) implements LaunchedProcess {
  SpawnedProcess(Process process) {
    this(process, process.onExit().thenApply(Process::exitValue));
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public OutputStream requests() {
    return process.getOutputStream();
  }

  @Override
  public InputStream responses() {
    return process.getInputStream();
  }

  @Override
  public InputStream stderr() {
    return process.getErrorStream();
  }

  @Override
  public void kill() {
    process.destroyForcibly();
  }
}
