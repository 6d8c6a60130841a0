package dev.snakebridge.internal.worker;

import dev.snakebridge.PoolConfig;
import dev.snakebridge.SnakeBridgeConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pool's template interpreter, started before the runtime knows how to set it up: the first thing a
 * runtime's start does, on a thread of its own, so that the JDK's process launch and Python's own start
 * overlap with unpacking the worker and planning the pools instead of following them. The interpreter
 * runs a small loader ({@code python -c}), which waits on its stdin for the worker's directory (as soon
 * as it is unpacked, {@link #offerWorkerDirectory}), imports the standard modules the fork server uses,
 * then waits for the pool's environment ({@link #finishSetup}, through {@link ForkServer#adopt}) and becomes the fork
 * server.
 *
 * <p>Only where nothing set at the interpreter's start could differ: a pool with an environment of its
 * own (which may hold {@code PYTHONPATH}, {@code LD_PRELOAD} and the like, read when the process starts)
 * launches its template the usual way, once its plan is known. Thread-safe.
 */
public final class EarlyTemplate implements AutoCloseable {
  /**
   * The interpreter's {@code -c}: runs the {@link #LOADER} that the JVM writes first on its stdin, behind
   * its length in five digits. One write carries both (they fit a pipe's atomic write), so the two reads
   * find them whole. Kept short for {@code ps} and messages; the script's name follows as an argument.
   */
  static final String COMMAND = "import os;exec(os.read(0,int(os.read(0,5))))";

  /**
   * Reads two blocks, each {@code <length>\n} and then that many bytes: the entry script's path (its
   * directory is the worker's), and then {@code NAME=value} pairs separated by NUL. Between the two it
   * imports the standard modules the fork server uses, while the JVM still plans the pool; the fork
   * server's own modules wait for the environment, which some of them read when imported. Unbuffered reads, so that the control lines after the blocks stay in the pipe for the
   * fork server. End of file (the JVM closed the pipe or died) ends it.
   */
  static final String LOADER = """
      import sys
      if not getattr(sys.flags, "safe_path", False):
          del sys.path[0]  # -c put the working directory first: nothing is imported from there
      def read(n):
          data = b""
          while len(data) < n:
              chunk = os.read(0, n - len(data))
              if not chunk:
                  sys.exit(0)
              data += chunk
          return data
      def block():
          size = b""
          while not size.endswith(b"\\n"):
              size += read(1)
          return read(int(size)).decode("utf-8")
      script = block()
      sys.argv = [script]
      sys.path.insert(0, os.path.dirname(script))
      # The standard modules the fork server uses, while the JVM plans the pool; its own modules wait
      # for the environment, which some of them read when they are imported.
      import array, atexit, collections, contextvars, faulthandler, functools, mmap, select, struct
      import threading, weakref
      for pair in block().split("\\0"):
          if pair:
              name, _, value = pair.partition("=")
              os.environ[name] = value
      import snakebridge_forkserver
      snakebridge_forkserver.run()
      """;

  private final String interpreter;
  private final CompletableFuture<Process> process = new CompletableFuture<>();
  private final AtomicBoolean taken = new AtomicBoolean();
  /** The entry script, once the worker is unpacked; sent as soon as the process runs too. */
  private String script; // guarded by this
  private boolean scriptSent; // guarded by this
  private IOException sendFailure; // guarded by this

  private EarlyTemplate(String interpreter) {
    this.interpreter = interpreter;
  }

  /**
   * Starts {@code pool}'s template interpreter now, on a thread of its own, when the pool may have one
   * started early (a fork server, on Linux, and no environment of the pool's own); else null.
   */
  public static EarlyTemplate startFor(SnakeBridgeConfig config, PoolConfig pool) {
    if (!config.forkServer() || !ForkServer.supported() || !config.environment().isEmpty()
        || !pool.environment().isEmpty()) {
      return null;
    }
    String interpreter = InterpreterResolver.forPool(config, pool).executable();
    EarlyTemplate early = new EarlyTemplate(interpreter);
    Thread starter = new Thread(new Runnable() { // classes, not lambdas, on the start path: see EngineParts
      @Override
      public void run() {
        early.launch();
      }
    }, "snakebridge-" + pool.name() + "-python");
    starter.setDaemon(true);
    starter.start();
    return early;
  }

  private void launch() {
    Process started;
    try {
      started = new ProcessBuilder(interpreter, "-c", COMMAND, ForkServer.SCRIPT).start();
    } catch (IOException | RuntimeException e) {
      process.completeExceptionally(e);
      return;
    }
    process.complete(started);
    sendScript(started);
  }

  /**
   * The worker is unpacked in {@code workerDir}: the interpreter may go on with its imports while the
   * pool is planned. Written now when the process runs, else as soon as it does; never waits.
   */
  public void offerWorkerDirectory(Path workerDir) {
    synchronized (this) {
      if (script == null) {
        script = workerDir.resolve(ForkServer.SCRIPT).toString();
      }
    }
    Process started = process.isDone() && !process.isCompletedExceptionally() ? process.join() : null;
    if (started != null) {
      sendScript(started);
    }
  }

  /** Writes the loader and the script's block once both the process and the script are there. */
  private synchronized void sendScript(Process started) {
    if (scriptSent || script == null) {
      return;
    }
    scriptSent = true;
    try {
      OutputStream out = started.getOutputStream();
      byte[] loader = LOADER.getBytes(StandardCharsets.UTF_8);
      String length = Integer.toString(loader.length); // five digits: "00712" (no Formatter on this path)
      out.write(("00000".substring(length.length()) + length).getBytes(StandardCharsets.US_ASCII));
      out.write(loader);
      out.flush();
      writeBlock(out, script);
    } catch (IOException e) {
      sendFailure = e; // reported by finishSetup
    }
  }

  /**
   * Completes the setup of the taken process {@code started}: the entry script {@code script} (unless it
   * went already) and the environment {@code env} that a template launched the usual way would have.
   *
   * @throws IOException when the process cannot be told (it died), or was told another script
   */
  synchronized void finishSetup(Process started, String script, Map<String, String> env) throws IOException {
    if (this.script == null) {
      this.script = script;
    }
    sendScript(started);
    if (sendFailure != null) {
      throw sendFailure;
    }
    if (!this.script.equals(script)) {
      throw new IOException("the early template was given " + this.script + ", not " + script);
    }
    StringBuilder pairs = new StringBuilder();
    for (Map.Entry<String, String> e : env.entrySet()) {
      pairs.append(e.getKey()).append('=').append(e.getValue()).append('\0');
    }
    writeBlock(started.getOutputStream(), pairs.toString());
  }

  private static void writeBlock(OutputStream out, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    out.write((body.length + "\n").getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  /** The interpreter command it was started with. */
  String interpreter() {
    return interpreter;
  }

  /**
   * The started process, handed over once: it is then the caller's to set up or destroy.
   *
   * @throws IOException when it could not be started, or was taken or closed before
   */
  Process take(long timeoutMillis) throws IOException {
    if (!taken.compareAndSet(false, true)) {
      throw new IOException("the early template was already taken");
    }
    try {
      return process.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IOException("cannot start " + interpreter + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      process.thenAccept(Process::destroyForcibly);
      throw new IOException("starting " + interpreter + " took over " + timeoutMillis + " ms", e);
    } catch (InterruptedException e) {
      process.thenAccept(Process::destroyForcibly);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting " + interpreter, e);
    }
  }

  /** Ends the interpreter unless it was taken. */
  @Override
  public void close() {
    if (taken.compareAndSet(false, true)) {
      process.thenAccept(Process::destroyForcibly);
    }
  }
}
