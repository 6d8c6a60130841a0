package dev.snakebridge.internal.worker;

import dev.snakebridge.SnakeBridgeException;
import dev.snakebridge.Telemetry;
import dev.snakebridge.WorkerCrashedException;
import dev.snakebridge.internal.codec.ValueDecoder;
import dev.snakebridge.internal.codec.ValueEncoder;
import dev.snakebridge.internal.protocol.Frame;
import dev.snakebridge.internal.protocol.FrameKind;
import dev.snakebridge.internal.protocol.Op;
import dev.snakebridge.internal.telemetry.Logs;
import dev.snakebridge.internal.transport.FrameChannel;
import dev.snakebridge.internal.transport.PipeChannel;
import dev.snakebridge.internal.transport.SharedMemorySupport;
import dev.snakebridge.internal.transport.ShmChannel;
import dev.snakebridge.internal.transport.SpinPolicy;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * One Python worker process: starts it, waits for its {@code HELLO}, routes its log lines to SLF4J,
 * notices its death and reports it, and stops it. Calls go through {@link #connection()}. Thread-safe.
 */
public final class WorkerProcess {
  private static final String LOGGER = "snakebridge.worker";
  private final String id;
  private final LaunchedProcess process;
  private final StderrTail stderr;
  private final WorkerConnection connection;
  private final ReleaseBatcher releases = new ReleaseBatcher();
  private volatile boolean closing;
  private volatile Map<?, ?> hello = Map.of();

  private final Telemetry telemetry;
  private final long startedNanos = System.nanoTime();
  private volatile boolean retiring;
  private volatile long memoryHigh;
  private final Thread stderrPump;

  private final CallbackHandler callbacks;

  private WorkerProcess(String id, LaunchedProcess process, Admission admission, Telemetry telemetry, FrameChannel channel,
      CallbackHandler callbacks) {
    this.callbacks = callbacks;
    this.id = id;
    this.process = process;
    this.telemetry = telemetry;
    this.stderr = new StderrTail(process.stderr(), LOGGER, id, new Consumer<String>() {
      @Override
      public void accept(String line) {
        if (telemetry.isObserved("worker.stderr")) {
          telemetry.emit("worker.stderr", Map.of(), Map.of("worker", id, "line", line));
        }
      }
    });
    this.connection = new WorkerConnection(id, channel, new Events(), admission);
    this.stderrPump = new Thread(stderr, "snakebridge-" + id + "-stderr");
    this.stderrPump.setDaemon(true);
  }

  /**
   * Starts a worker and waits until it is ready; {@code onDeath} runs once if it dies unexpectedly later.
   *
   * @throws SnakeBridgeException when the interpreter cannot be started or does not become ready in time
   */
  public static WorkerProcess start(String id, WorkerLaunch launch, WorkerSpawner spawner, Admission admission,
      Telemetry telemetry, CallbackHandler callbacks, Consumer<WorkerProcess> onDeath) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    env.put("SNAKEBRIDGE_WORKER_ID", id);
    Path ringFile = null;
    MappedByteBuffer rings = null;
    LaunchedProcess process;
    try {
      if (launch.sharedMemoryRingBytes() > 0) {
        ringFile = SharedMemorySupport.newRingFile(id); // null: no private directory, pipes
        rings = ringFile == null ? null : SharedMemorySupport.createRings(ringFile, launch.sharedMemoryRingBytes());
        if (rings != null) {
          env.put("SNAKEBRIDGE_SHM_PATH", ringFile.toString());
        }
      }
      process = spawner.launch(id, env);
    } catch (IOException e) {
      deleteQuietly(ringFile);
      throw new SnakeBridgeException(
          "cannot start Python worker " + id + " with interpreter '" + launch.interpreter() + "': " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      // The spawner refused (a fork server closing with its pool, say): nothing will map the file.
      deleteQuietly(ringFile);
      throw e;
    }
    SpinPolicy spin = new SpinPolicy(launch.spinWait().toNanos(),
        "1".equals(launch.environment().get(SpinPolicy.YIELD_ENV)));
    if (rings == null) {
      admission.stopPipelining();
    }
    FrameChannel channel = rings == null
        ? new PipeChannel(process.responses(), process.requests(), spin)
        : ShmChannel.jvmSide(rings, launch.sharedMemoryRingBytes(), process.responses(), process.requests(), spin);
    WorkerProcess worker = new WorkerProcess(id, process, admission, telemetry, channel, callbacks);
    worker.stderrPump.start();
    try {
      worker.awaitHello(launch);
    } finally {
      // The worker maps the file before it says HELLO (or has failed): the name is no longer needed,
      // and removing it now leaves nothing behind however either process ends.
      deleteQuietly(ringFile);
    }
    process.connected();
    worker.connection.start();
    process.exit().thenRun(new Runnable() {
      @Override
      public void run() {
        worker.connection.markBroken(new IOException("process exited"));
        if (!worker.closing) {
          onDeath.accept(worker);
        }
        worker.connection.processEnded();
      }
    });
    return worker;
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        java.nio.file.Files.deleteIfExists(file);
      } catch (IOException e) {
        log().debug("cannot delete {}", file, e);
      }
    }
  }

  private void awaitHello(WorkerLaunch launch) {
    CompletableFuture<Void> watchdog = CompletableFuture.runAsync(new Runnable() {
      @Override
      public void run() {
        process.kill();
      }
    }, CompletableFuture.delayedExecutor(launch.startupTimeout().toMillis(), TimeUnit.MILLISECONDS));
    try {
      Frame first = connection.readHandshake();
      if (first.kind() != FrameKind.HELLO) {
        throw new IOException("expected HELLO, got frame kind " + first.kind());
      }
      hello = (Map<?, ?>) decodePlain(first.payload());
    } catch (IOException | RuntimeException e) {
      process.kill();
      throw new SnakeBridgeException(
          "Python worker " + id + " (" + launch.interpreter() + ") failed to start (the limit is "
              + launch.startupTimeout().toSeconds() + " s): " + e.getMessage() + exitDetails(), e);
    } finally {
      watchdog.cancel(false);
    }
  }

  private String exitDetails() {
    try {
      process.waitFor(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String status = process.isAlive() ? "" : "; exit code " + process.exitCode();
    try {
      // The pump reaches end of file soon after the process exits: let it take the last lines.
      stderrPump.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String tail = stderr.lastLines();
    return status + (tail.isEmpty() ? "" : "; stderr:\n" + tail);
  }

  /** Control frames carry no refs. */
  private static final ValueDecoder.RefFactory NO_REFS = new ValueDecoder.RefFactory() {
    @Override
    public Object newRef(String refId, String type, String repr) {
      throw new IllegalStateException("unexpected ref in a control frame");
    }
  };

  /** Tuples of control frames decode as lists. */
  static final ValueDecoder.TupleFactory TUPLES_AS_LISTS = new ValueDecoder.TupleFactory() {
    @Override
    public Object tupleOf(Object[] items) {
      return Arrays.asList(items);
    }
  };

  /** Decodes a frame that carries no refs (control frames); its tuples come back as lists. */
  public static Object decodePlain(byte[] payload) {
    return new ValueDecoder(payload, 0, payload.length, NO_REFS, TUPLES_AS_LISTS).decode();
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

  /** No call in flight or waiting, no release to send: housekeeping may sleep long. */
  public boolean isIdle() {
    return releases.isEmpty() && connection.isIdle();
  }

  /** Queues a ref release; it is sent with the next {@link #flushReleases()}. */
  public void queueRelease(String refId) {
    releases.add(refId);
    connection.activity();
  }

  /** Marks the worker as leaving (recycling): the scheduler sends it no new calls. */
  public void retire() {
    retiring = true;
  }

  public boolean isRetiring() {
    return retiring;
  }

  /** Records that the worker's resident memory exceeded its pool's threshold (recycled at a safe point). */
  public void markMemoryHigh(long rssBytes) {
    memoryHigh = rssBytes;
  }

  /** The resident memory that exceeded the threshold, or 0. */
  public long memoryHigh() {
    return memoryHigh;
  }

  /** Nanoseconds since the process was started. */
  public long ageNanos() {
    return System.nanoTime() - startedNanos;
  }

  /** Sends queued releases as one fire-and-forget request per session. */
  public void flushReleases() {
    if (releases.isEmpty()) {
      return;
    }
    releases.flush(ids -> {
      var sink = WorkerConnection.newRequestSink(16 + ids.size() * 24);
      new ValueEncoder(sink, null).encodeListOf(Op.RELEASE.code(), "", ids);
      connection.send(sink);
    });
  }

  /** Kills the process at once (a stuck worker); death is reported as for a crash. */
  public void kill() {
    process.kill();
  }

  /** Closes the worker's input so that it exits; {@link #stop} then waits for it. */
  public void beginStop() {
    closing = true;
    connection.close();
  }

  /** Asks the worker to exit (end of file on its input), then kills it if it has not within the grace. */
  public void stop(long graceMillis) {
    beginStop();
    try {
      if (!process.waitFor(graceMillis)) {
        process.kill();
      }
    } catch (InterruptedException e) {
      process.kill();
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
      Logger logger = Logs.get("snakebridge.python." + entry.get(1));
      String message = String.valueOf(entry.get(2));
      if (telemetry.isObserved("worker.log")) {
        telemetry.emit("worker.log", Map.of("level", level),
            Map.of("worker", id, "logger", String.valueOf(entry.get(1)), "message", message));
      }
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
    public void onCallback(Frame frame) {
      callbacks.onCallback(WorkerProcess.this, frame);
    }

    @Override
    public void onLateAnswer(Frame frame) {
      callbacks.onLateAnswer(WorkerProcess.this, frame);
    }

    @Override
    public void onCallbacksDropped(Frame frame) {
      if (decodePlain(frame.payload()) instanceof List<?> ids) {
        for (Object id : ids) {
          if (id instanceof Number n) {
            callbacks.onCallbackDropped(n.longValue());
          }
        }
      }
    }

    @Override
    public void onTelemetry(Frame frame) {
      if (decodePlain(frame.payload()) instanceof List<?> event && event.size() >= 3
          && event.get(1) instanceof Map<?, ?> measured && event.get(2) instanceof Map<?, ?> meta) {
        Map<String, Number> measurements = new java.util.LinkedHashMap<>();
        measured.forEach((k, v) -> {
          if (v instanceof Number n) {
            measurements.put(String.valueOf(k), n);
          }
        });
        Map<String, Object> metadata = new java.util.LinkedHashMap<>();
        meta.forEach((k, v) -> metadata.put(String.valueOf(k), v));
        metadata.put("worker", id);
        telemetry.emit(String.valueOf(event.get(0)), measurements, metadata);
      }
    }

    @Override
    public SnakeBridgeException onBroken(IOException cause) {
      if (closing) {
        return new SnakeBridgeException("worker " + id + " was stopped: the runtime is closed");
      }
      int exit = -1;
      try {
        if (process.waitFor(2000)) {
          exit = process.exitCode();
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

  private static Logger log() {
    return Logs.get(LOGGER);
  }
}
