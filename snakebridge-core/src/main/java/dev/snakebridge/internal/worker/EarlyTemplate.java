package dev.snakebridge.internal.worker;

import dev.snakebridge.PoolConfig;
import dev.snakebridge.SnakeBridgeConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pool's template interpreter, started before the runtime knows how to set it up: the first thing a
 * runtime's start does, on a thread of its own, so that the JDK's process launch and Python's own start
 * overlap with unpacking the worker and planning the pools instead of following them. The interpreter
 * runs a small loader ({@code python -c}), which waits on its stdin for the worker's directory and the
 * pool's environment ({@link #writeSetup}, through {@link ForkServer#adopt}) and then becomes the fork
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
   * Reads {@code <length>\n}, then that many bytes: the entry script's path, then {@code NAME=value}
   * pairs, separated by NUL. Unbuffered reads, so that the control lines after it stay in the pipe for
   * the fork server. End of file (the JVM closed the pipe or died) ends it.
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
      size = b""
      while not size.endswith(b"\\n"):
          size += read(1)
      setup = read(int(size)).decode("utf-8").split("\\0")
      for pair in setup[1:]:
          name, _, value = pair.partition("=")
          os.environ[name] = value
      sys.argv = [setup[0]]
      sys.path.insert(0, os.path.dirname(setup[0]))
      import snakebridge_forkserver
      snakebridge_forkserver.run()
      """;

  private final String interpreter;
  private final CompletableFuture<Process> process = new CompletableFuture<>();
  private final AtomicBoolean taken = new AtomicBoolean();

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
    Optional<String> configured = pool.pythonExecutable().isPresent() ? pool.pythonExecutable() : config.pythonExecutable();
    String interpreter = InterpreterResolver.resolve(configured, System.getenv()).executable();
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
    try {
      process.complete(new ProcessBuilder(interpreter, "-c", COMMAND, ForkServer.SCRIPT).start());
    } catch (IOException | RuntimeException e) {
      process.completeExceptionally(e);
    }
  }

  /**
   * Tells an early interpreter what it needs: the {@link #LOADER}, then the entry script {@code script}
   * and the environment {@code env} that a template launched the usual way would have been given.
   */
  static void writeSetup(OutputStream out, String script, Map<String, String> env) throws IOException {
    byte[] loader = LOADER.getBytes(StandardCharsets.UTF_8);
    String length = Integer.toString(loader.length); // five digits: "00712" (no Formatter on this path)
    out.write(("00000".substring(length.length()) + length).getBytes(StandardCharsets.US_ASCII));
    out.write(loader);
    out.flush();
    StringBuilder setup = new StringBuilder(script);
    for (Map.Entry<String, String> e : env.entrySet()) {
      setup.append('\0').append(e.getKey()).append('=').append(e.getValue());
    }
    byte[] body = setup.toString().getBytes(StandardCharsets.UTF_8);
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
