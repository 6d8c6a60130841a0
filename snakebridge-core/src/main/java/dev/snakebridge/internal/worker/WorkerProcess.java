package dev.snakebridge.internal.worker;

import dev.snakebridge.SnakeBridgeException;
import dev.snakebridge.WorkerCrashedException;
import dev.snakebridge.internal.codec.ValueDecoder;
import dev.snakebridge.internal.codec.ValueEncoder;
import dev.snakebridge.internal.protocol.Frame;
import dev.snakebridge.internal.protocol.FrameKind;
import dev.snakebridge.internal.protocol.Op;
import dev.snakebridge.internal.transport.PipeChannel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Python worker process: starts it, waits for its {@code HELLO}, routes its log lines to SLF4J,
 * notices its death and reports it, and stops it. Calls go through {@link #connection()}. Thread-safe.
 */
public final class WorkerProcess {
  private static final Logger LOG = LoggerFactory.getLogger("snakebridge.worker");

  private final String id;
  private final Process process;
  private final StderrTail stderr;
  private final WorkerConnection connection;
  private final ReleaseBatcher releases = new ReleaseBatcher();
  private volatile boolean closing;
  private volatile Map<?, ?> hello = Map.of();

  private WorkerProcess(String id, Process process) {
    this.id = id;
    this.process = process;
    this.stderr = new StderrTail(process.getErrorStream(), LOG, id);
    this.connection = new WorkerConnection(
        new PipeChannel(process.getInputStream(), process.getOutputStream()), new Events());
  }

  /**
   * Starts a worker and waits until it is ready; {@code onDeath} runs once if it dies unexpectedly later.
   *
   * @throws SnakeBridgeException when the interpreter cannot be started or does not become ready in time
   */
  public static WorkerProcess start(String id, WorkerLaunch launch, Consumer<WorkerProcess> onDeath) {
    ProcessBuilder builder = new ProcessBuilder(
        launch.interpreter(), launch.workerDir().resolve(WorkerFiles.BOOT_SCRIPT).toString());
    builder.environment().putAll(launch.environment());
    builder.environment().put("SNAKEBRIDGE_WORKER_ID", id);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new SnakeBridgeException(
          "cannot start Python worker " + id + " with interpreter '" + launch.interpreter() + "': " + e.getMessage(), e);
    }
    WorkerProcess worker = new WorkerProcess(id, process);
    Thread pump = new Thread(worker.stderr, "snakebridge-" + id + "-stderr");
    pump.setDaemon(true);
    pump.start();
    worker.awaitHello(launch);
    process.onExit().thenRun(() -> {
      worker.connection.markBroken(new IOException("process exited"));
      if (!worker.closing) {
        onDeath.accept(worker);
      }
    });
    return worker;
  }

  private void awaitHello(WorkerLaunch launch) {
    CompletableFuture<Void> watchdog = CompletableFuture.runAsync(
        process::destroyForcibly,
        CompletableFuture.delayedExecutor(launch.startupTimeout().toMillis(), TimeUnit.MILLISECONDS));
    try {
      Frame first = connection.readHandshake();
      if (first.kind() != FrameKind.HELLO) {
        throw new IOException("expected HELLO, got frame kind " + first.kind());
      }
      hello = (Map<?, ?>) decodePlain(first.payload());
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      throw new SnakeBridgeException(
          "Python worker " + id + " (" + launch.interpreter() + ") did not start within "
              + launch.startupTimeout().toSeconds() + " s: " + e.getMessage() + exitDetails(), e);
    } finally {
      watchdog.cancel(false);
    }
  }

  private String exitDetails() {
    try {
      process.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String status = process.isAlive() ? "" : "; exit code " + process.exitValue();
    String tail = stderr.lastLines();
    return status + (tail.isEmpty() ? "" : "; stderr:\n" + tail);
  }

  static Object decodePlain(byte[] payload) {
    ValueDecoder.RefFactory noRefs = (refId, type, repr) -> {
      throw new IllegalStateException("unexpected ref in a control frame");
    };
    return new ValueDecoder(payload, 0, payload.length, noRefs, items -> Arrays.asList(items)).decode();
  }

  public String id() {
    return id;
  }

  public long pid() {
    return process.pid();
  }

  /** Whether the worker reported that numpy is importable. */
  public boolean hasNumpy() {
    return Boolean.TRUE.equals(hello.get("numpy"));
  }

  /** The Python version the worker runs, e.g. {@code "3.11.2"}. */
  public String pythonVersion() {
    return String.valueOf(hello.get("python"));
  }

  public WorkerConnection connection() {
    return connection;
  }

  public boolean isAlive() {
    return !connection.isBroken() && process.isAlive();
  }

  /** Queues a ref release; it is sent with the next {@link #flushReleases()}. */
  public void queueRelease(String session, String refId) {
    releases.add(session, refId);
  }

  /** Sends queued releases as one fire-and-forget request per session. */
  public void flushReleases() {
    if (releases.isEmpty()) {
      return;
    }
    releases.flush((session, ids) -> {
      var sink = WorkerConnection.newRequestSink(16 + ids.size() * 24);
      new ValueEncoder(sink, null).encodeListOf(Op.RELEASE.code(), session, new ArrayList<>(ids));
      connection.send(sink);
    });
  }

  /** Kills the process at once (a stuck worker); death is reported as for a crash. */
  public void kill() {
    process.destroyForcibly();
  }

  /** Asks the worker to exit (end of file on its input), then kills it if it has not within the grace. */
  public void stop(long graceMillis) {
    closing = true;
    connection.close();
    try {
      if (!process.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return id + " (pid " + process.pid() + ")";
  }

  /** Log lines and channel failures of this worker. */
  private final class Events implements WorkerConnection.Listener {
    @Override
    public void onLog(Frame frame) {
      if (!(decodePlain(frame.payload()) instanceof List<?> entry) || entry.size() < 3) {
        return;
      }
      int level = ((Number) entry.get(0)).intValue();
      Logger logger = LoggerFactory.getLogger("snakebridge.python." + entry.get(1));
      String message = String.valueOf(entry.get(2));
      if (level >= 40) {
        logger.error("[{}] {}", id, message);
      } else if (level >= 30) {
        logger.warn("[{}] {}", id, message);
      } else if (level >= 20) {
        logger.info("[{}] {}", id, message);
      } else if (level >= 10) {
        logger.debug("[{}] {}", id, message);
      } else {
        logger.trace("[{}] {}", id, message);
      }
    }

    @Override
    public SnakeBridgeException onBroken(IOException cause) {
      if (closing) {
        return new SnakeBridgeException("worker " + id + " was stopped: the runtime is closed");
      }
      int exit = -1;
      try {
        if (process.waitFor(2, TimeUnit.SECONDS)) {
          exit = process.exitValue();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      String tail = stderr.lastLines();
      return new WorkerCrashedException(
          id,
          exit,
          "Python worker " + WorkerProcess.this + " died"
              + (exit >= 0 ? " with exit code " + exit + describeSignal(exit) : "")
              + " (" + cause.getMessage() + ")"
              + (tail.isEmpty() ? "" : "; last stderr lines:\n" + tail));
    }
  }

  private static String describeSignal(int exit) {
    return switch (exit) {
      case 137 -> " (SIGKILL)";
      case 139 -> " (SIGSEGV)";
      case 134 -> " (SIGABRT)";
      case 143 -> " (SIGTERM)";
      default -> "";
    };
  }
}
