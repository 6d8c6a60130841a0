package dev.snakebridge.internal.worker;

import dev.snakebridge.internal.telemetry.Logs;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * A pool's pre-warmed template process ({@code snakebridge/forkserver.py}): started through the pool's
 * interpreter command exactly as a worker would be, it imports the worker's modules once and then forks
 * ready workers on request, each connected to the JVM through three FIFOs. The line protocol on its
 * stdin/stdout is described in {@code forkserver.py}. Thread-safe.
 */
final class ForkServer implements AutoCloseable {
  static final String SCRIPT = "snakebridge_forkserver.py";
  private static final String[] FIFOS = {"req", "resp", "err"};

  private final String name;
  private final Process process;
  private final StderrTail stderr;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Map<String, CompletableFuture<Reply>> replies = new ConcurrentHashMap<>();
  private final Map<Long, CompletableFuture<Integer>> exits = new ConcurrentHashMap<>();
  private final CompletableFuture<String[]> ready = new CompletableFuture<>();
  private final AtomicLong tokens = new AtomicLong();
  private volatile boolean dead;

  /** The template's answer to a spawn request, with the exit status to come of the worker it forked. */
  private record Reply(String[] words, CompletableFuture<Integer> exit) {}

  private ForkServer(String name, Process process) {
    this.name = name;
    this.process = process;
    this.stderr = new StderrTail(process.getErrorStream(), "snakebridge.worker", name, IGNORED_LINE);
  }

  /** Whether this platform can fork a template: Linux (FIFOs, /proc, and fork without surprises). */
  static boolean supported() {
    return System.getProperty("os.name", "").startsWith("Linux");
  }

  /**
   * Starts a template without waiting for it: the JVM goes on with its own start-up while Python starts.
   *
   * @param withImports whether the template imports the pool's start-up imports itself (else each worker
   *     does after its fork)
   * @throws IOException when the process cannot be started
   */
  static ForkServer launch(String name, WorkerLaunch launch, boolean withImports) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(launch.interpreter(), launch.workerDir().resolve(SCRIPT).toString());
    builder.environment().putAll(templateEnvironment(launch, withImports));
    return started(name, builder.start());
  }

  /**
   * Makes a template of an {@link EarlyTemplate}'s interpreter, once it has started: completes its setup
   * with the entry script and the pool's environment, without waiting for it to be ready.
   *
   * @throws IOException when it could not start or cannot be told (it has died); it is destroyed then
   */
  static ForkServer adopt(String name, EarlyTemplate early, WorkerLaunch launch, boolean withImports)
      throws IOException {
    Process process = early.take(launch.startupTimeout().toMillis());
    try {
      early.finishSetup(process, launch.workerDir().resolve(SCRIPT).toString(), templateEnvironment(launch, withImports));
    } catch (IOException e) {
      process.destroyForcibly();
      throw e;
    }
    return started(name, process);
  }

  /** What a template's environment adds to the JVM's. */
  private static Map<String, String> templateEnvironment(WorkerLaunch launch, boolean withImports) {
    Map<String, String> env = new LinkedHashMap<>(launch.environment());
    env.put("SNAKEBRIDGE_TEMPLATE_IMPORTS", withImports ? "1" : "0");
    env.put("SNAKEBRIDGE_CACHE_BYTECODE", "1"); // workerDir is our cache, not a source tree
    return env;
  }

  private static ForkServer started(String name, Process process) {
    ForkServer server = new ForkServer(name, process);
    server.daemon(server.stderr, "stderr");
    server.daemon(new Runnable() { // classes, not lambdas, on the start path: see EngineParts
      @Override
      public void run() {
        server.readControl();
      }
    }, "control");
    return server;
  }

  /** The template's stderr lines are logged, and go nowhere else. */
  private static final Consumer<String> IGNORED_LINE = new Consumer<String>() {
    @Override
    public void accept(String line) {
      // logged by StderrTail
    }
  };

  /**
   * Waits for the template's {@code ready}; a template that does not become ready is killed.
   *
   * @throws IOException when it ended, or did not become ready within {@code timeout}
   */
  void awaitReady(Duration timeout) throws IOException {
    try {
      ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      String why = e instanceof TimeoutException
          ? "the fork server did not become ready within " + timeout
          : "the fork server ended before it was ready" + exitStatus();
      String tail = stderr.lastLines();
      throw new IOException(why + (tail.isEmpty() ? "" : "; stderr:\n" + tail), e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting the fork server", e);
    }
  }

  private String exitStatus() {
    try {
      return process.waitFor(1, TimeUnit.SECONDS) ? " (exit code " + process.exitValue() + ")" : "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private void daemon(Runnable body, String what) {
    Thread t = new Thread(body, "snakebridge-" + name + "-" + what);
    t.setDaemon(true);
    t.start();
  }

  /** OS threads the template had after its imports (more than 1 makes forking it unsafe). */
  int threads() {
    return Integer.parseInt(ready.join()[2]);
  }

  boolean isAlive() {
    return !dead && process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /**
   * Forks a worker with {@code env} added to the template's environment and connects its FIFOs.
   *
   * @return the worker, or {@code null} when the template cannot fork (it is gone, or fork failed):
   *     the caller starts the worker directly instead
   * @throws IOException when the forked worker died before its FIFOs could be opened
   */
  ForkedProcess spawn(String workerId, Map<String, String> env, Duration timeout) throws IOException {
    StringBuilder line = new StringBuilder("spawn ");
    String token = Long.toString(tokens.incrementAndGet());
    line.append(token);
    for (Map.Entry<String, String> e : env.entrySet()) {
      line.append(' ').append(e.getKey()).append('=').append(e.getValue());
    }
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    replies.put(token, reply);
    Reply answer;
    try {
      send(line.append('\n').toString());
      answer = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (IOException | ExecutionException | TimeoutException e) {
      log().warn("fork server of {} cannot fork worker {}: {}", name, workerId, e.toString());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while forking worker " + workerId, e);
    } finally {
      replies.remove(token);
    }
    String[] words = answer.words();
    if (!words[0].equals("forked")) {
      log().warn("fork server of {} cannot fork worker {}: {}", name, workerId, String.join(" ", words));
      return null;
    }
    long pid = Long.parseLong(words[2]);
    try {
      return connect(this, pid, Path.of(words[3]), answer.exit());
    } catch (IOException e) {
      kill(pid);
      throw e;
    }
  }

  /**
   * Opens the JVM's ends of a worker's FIFOs without ever blocking. Each FIFO is first held open for
   * reading and writing (which never blocks on Linux), so the JVM's own one-way opens return at once
   * whatever the worker does: it may die before it opens its ends, and the template may remove the names
   * (as it does when it shuts down), and a JVM thread blocked in {@code open} would wait forever. The
   * holders also hide a dead worker's end of file, and the worker still needs the names to open its ends,
   * so {@link ForkedProcess#connected()} closes the holders and removes the names once the worker said
   * HELLO or has exited, whichever comes first.
   */
  static ForkedProcess connect(ForkServer template, long pid, Path dir, CompletableFuture<Integer> exit)
      throws IOException {
    List<Closeable> holders = new ArrayList<>();
    List<Closeable> ends = new ArrayList<>();
    try {
      for (String fifo : FIFOS) {
        holders.add(FileChannel.open(dir.resolve(fifo), StandardOpenOption.READ, StandardOpenOption.WRITE));
      }
      FileOutputStream requests = new FileOutputStream(dir.resolve("req").toFile());
      ends.add(requests);
      FileInputStream responses = new FileInputStream(dir.resolve("resp").toFile());
      ends.add(responses);
      FileInputStream errors = new FileInputStream(dir.resolve("err").toFile());
      ends.add(errors);
      holders.add(new Closeable() {
        @Override
        public void close() throws IOException {
          removeFifos(dir);
        }
      });
      ForkedProcess forked = new ForkedProcess(pid, new BufferedOutputStream(requests, 8192),
          new BufferedInputStream(responses, 65536), errors, exit, template, List.copyOf(holders));
      exit.whenComplete(new BiConsumer<Integer, Throwable>() {
        @Override
        public void accept(Integer status, Throwable failure) {
          forked.connected();
        }
      });
      return forked;
    } catch (IOException e) {
      // The names are gone: the worker died at once and the template reaped it.
      holders.forEach(ForkServer::closeQuietly);
      ends.forEach(ForkServer::closeQuietly);
      removeFifos(dir);
      throw new IOException("the forked worker (pid " + pid + ") ended before it connected"
          + (exit.isDone() ? " (exit status " + exit.getNow(-1) + ")" : ""), e);
    }
  }

  private static void removeFifos(Path dir) throws IOException {
    for (String fifo : FIFOS) {
      Files.deleteIfExists(dir.resolve(fifo));
    }
    Files.deleteIfExists(dir);
  }

  /** SIGKILLs a forked worker (through the template, which knows whether the pid is still that worker's). */
  void kill(long pid) {
    if (isAlive()) {
      try {
        send("kill " + pid + "\n");
        return;
      } catch (IOException e) {
        // The template just died: kill directly below.
      }
    }
    CompletableFuture<Integer> exit = exits.get(pid);
    if (exit != null && !exit.isDone()) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private void send(String line) throws IOException {
    writeLock.lock();
    try {
      OutputStream out = process.getOutputStream();
      out.write(line.getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } finally {
      writeLock.unlock();
    }
  }

  /** Body of the control reader thread: dispatches the template's lines until it ends. */
  private void readControl() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
      for (String line; (line = in.readLine()) != null; ) {
        String[] words = line.split(" ");
        switch (words[0]) {
          case "ready" -> ready.complete(words);
          case "forked" -> {
            words = line.split(" ", 4); // the FIFO directory is the rest of the line, spaces and all
            // Registered before the reply is seen: the worker's exit line can only come after this one.
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            exits.put(Long.parseLong(words[2]), exit);
            if (!complete(words[1], new Reply(words, exit))) {
              kill(Long.parseLong(words[2])); // its requester gave up: it would wait for the JVM forever
            }
          }
          case "failed" -> complete(words[1], new Reply(words, null));
          case "exit" -> {
            CompletableFuture<Integer> exit = exits.remove(Long.parseLong(words[1]));
            if (exit != null) {
              // Not on this thread: whatever a death triggers must not hold up the control stream.
              int status = Integer.parseInt(words[2]);
              Thread.startVirtualThread(() -> exit.complete(status));
            }
          }
          default -> log().debug("fork server of {} said: {}", name, line);
        }
      }
    } catch (IOException | RuntimeException e) {
      log().debug("fork server of {}: control stream failed", name, e);
    }
    templateEnded();
  }

  private boolean complete(String token, Reply answer) {
    CompletableFuture<Reply> reply = replies.get(token);
    return reply != null && reply.complete(answer);
  }

  /** The template is gone: its workers live on, and their deaths are now seen by polling their pids. */
  private void templateEnded() {
    dead = true;
    IOException gone = new IOException("the fork server of " + name + " ended");
    ready.completeExceptionally(gone);
    replies.values().forEach(reply -> reply.completeExceptionally(gone));
    exits.forEach((pid, exit) -> ProcessHandle.of(pid).ifPresentOrElse(
        handle -> handle.onExit().thenRun(() -> exit.complete(-1)),
        () -> exit.complete(-1)));
  }

  /** Ends the template: end of file on its input, which also kills any worker it still has. */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // Only a FIFO end or holder: nothing to recover.
    }
  }

  private static Logger log() {
    return Logs.get("snakebridge.worker");
  }
}
