package dev.snakebridge.junit;

import dev.snakebridge.SnakeBridgeRuntime;
import dev.snakebridge.Telemetry;
import dev.snakebridge.TelemetryHandler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Follows one runtime's telemetry for the extension: the workers' recent output ({@code worker.stderr},
 * {@code worker.log}, {@code worker.crash}), the pids of the workers it starts ({@code worker.ready}), and
 * how many refs a session held when it was released ({@code session.release}). One per runtime, shared
 * by every test; closing it detaches its handlers. Thread-safe: handlers run on the runtime's threads.
 */
final class RuntimeMonitor implements AutoCloseable {
  /** Output kept for the failure report; a test sees only the lines since it began. */
  private static final int KEPT_LINES = 2000;
  private static final int NOT_RELEASED = -1;

  private record Line(long seq, String text) {}

  private final SnakeBridgeRuntime runtime;
  private final String handlerPrefix = "snakebridge-junit-" + UUID.randomUUID() + "-";
  private final List<String> handlerIds = new ArrayList<>();
  private final ArrayDeque<Line> lines = new ArrayDeque<>();
  private long lastSeq;
  private final Set<Long> workerPids = ConcurrentHashMap.newKeySet();
  /** Sessions being released by the extension → the refs they held (NOT_RELEASED until the event). */
  private final Map<String, Integer> watchedReleases = new ConcurrentHashMap<>();

  private RuntimeMonitor(SnakeBridgeRuntime runtime) {
    this.runtime = runtime;
  }

  /**
   * The monitor of {@code runtime}, shared through {@code runStore} (the store of the run's root context,
   * which closes it when the run ends); a runtime started since gets a new one.
   */
  static RuntimeMonitor of(ExtensionContext.Store runStore, SnakeBridgeRuntime runtime) {
    synchronized (RuntimeMonitor.class) {
      RuntimeMonitor monitor = runStore.get(RuntimeMonitor.class, RuntimeMonitor.class);
      if (monitor == null || monitor.runtime != runtime) {
        if (monitor != null) {
          monitor.close();
        }
        monitor = attach(runtime);
        runStore.put(RuntimeMonitor.class, monitor);
      }
      return monitor;
    }
  }

  private static RuntimeMonitor attach(SnakeBridgeRuntime runtime) {
    RuntimeMonitor m = new RuntimeMonitor(runtime);
    m.on("worker.stderr", e -> m.add("[" + e.metadata().get("worker") + " stderr] " + e.metadata().get("line")));
    m.on("worker.log", e -> m.add("[" + e.metadata().get("worker") + " " + levelName(e.measurements().get("level"))
        + " " + e.metadata().get("logger") + "] " + e.metadata().get("message")));
    m.on("worker.crash", e -> m.add("[" + e.metadata().get("worker") + "] worker died; the pool replaces it"));
    m.on("worker.ready", e -> {
      if (e.metadata().get("pid") instanceof Number pid) {
        m.workerPids.add(pid.longValue());
      }
    });
    m.on("session.release", e -> {
      Number refs = e.measurements().get("refs");
      m.watchedReleases.computeIfPresent(String.valueOf(e.metadata().get("session")),
          (id, old) -> refs == null ? 0 : refs.intValue());
    });
    return m;
  }

  private void on(String event, TelemetryHandler handler) {
    String id = handlerPrefix + event;
    // Telemetry detaches a handler that throws: never let one, or the monitor would go quietly blind.
    runtime.telemetry().attach(id, event, e -> {
      try {
        handler.handle(e);
      } catch (RuntimeException ignored) {
        // A malformed event costs one line of output, nothing more.
      }
    });
    handlerIds.add(id);
  }

  SnakeBridgeRuntime runtime() {
    return runtime;
  }

  private synchronized void add(String text) {
    lines.addLast(new Line(++lastSeq, text));
    if (lines.size() > KEPT_LINES) {
      lines.removeFirst();
    }
  }

  /** A mark to pass to {@link #linesSince}. */
  synchronized long mark() {
    return lastSeq;
  }

  /** The last {@code max} output lines after {@code mark}, preceded by a note when some were left out. */
  synchronized List<String> linesSince(long mark, int max) {
    List<String> since = new ArrayList<>();
    for (Line l : lines) {
      if (l.seq() > mark) {
        since.add(l.text());
      }
    }
    if (since.size() <= max) {
      return since;
    }
    List<String> shown = new ArrayList<>();
    shown.add("(" + (since.size() - max) + " earlier lines left out)");
    shown.addAll(since.subList(since.size() - max, since.size()));
    return shown;
  }

  /** Whether {@code pid} is a worker this runtime started while the monitor was attached. */
  boolean isWorker(long pid) {
    return workerPids.contains(pid);
  }

  /**
   * Runs {@code release}, which releases the session {@code sessionId}, and returns how many live refs
   * the session held at that moment (0 when it was already released).
   */
  int refsReleasedBy(String sessionId, Runnable release) {
    watchedReleases.put(sessionId, NOT_RELEASED);
    Integer refs;
    try {
      release.run(); // session.release is emitted synchronously, on this thread, before this returns
    } finally {
      refs = watchedReleases.remove(sessionId);
    }
    return refs == null ? 0 : Math.max(0, refs);
  }

  private static String levelName(Number level) {
    int n = level == null ? 0 : level.intValue();
    return n >= 50 ? "CRITICAL" : n >= 40 ? "ERROR" : n >= 30 ? "WARNING" : n >= 20 ? "INFO" : "DEBUG";
  }

  @Override
  public void close() {
    Telemetry telemetry = runtime.telemetry();
    handlerIds.forEach(telemetry::detach);
  }
}
