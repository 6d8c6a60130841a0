package dev.snakebridge.internal.call;

import dev.snakebridge.SnakeBridgeException;
import dev.snakebridge.Telemetry;
import dev.snakebridge.internal.session.SessionState;
import dev.snakebridge.internal.worker.WorkerProcess;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place that emits {@code call.start}, {@code call.stop} and {@code call.exception} (and so
 * their JFR events), for every kind of call. When nothing observes calls, a call pays one volatile read.
 */
final class CallTelemetry {
  /** A call being observed; {@link #NONE} when nothing observes calls. */
  static final class Span {
    private final CallKind kind;
    private final String context;
    private final SessionState session;
    private final long startNanos;
    private WorkerProcess worker;

    private Span(CallKind kind, String context, SessionState session, WorkerProcess worker) {
      this.kind = kind;
      this.context = context;
      this.session = session;
      this.worker = worker;
      this.startNanos = System.nanoTime();
    }
  }

  private final Telemetry telemetry;
  private final Handles handles;

  CallTelemetry(Telemetry telemetry, Handles handles) {
    this.telemetry = telemetry;
    this.handles = handles;
  }

  /** Starts observing a call about to go to {@code worker}; null when nothing observes calls. */
  Span begin(CallKind kind, CallSpec spec, SessionState session, WorkerProcess worker) {
    if (!handles.observesCalls(telemetry)) {
      return null;
    }
    Span span = new Span(kind, spec.context(), session, worker);
    telemetry.emit("call.start", Map.of(), metadata(span, spec));
    return span;
  }

  /** The call ended with an answer; {@code worker} is the one that answered (a resend may change it). */
  void succeeded(Span span, CallSpec spec, WorkerProcess worker) {
    if (span != null) {
      span.worker = worker;
      telemetry.emit("call.stop", duration(span), metadata(span, spec));
    }
  }

  void failed(Span span, CallSpec spec, Throwable error) {
    if (span != null) {
      Map<String, Object> meta = metadata(span, spec);
      meta.put("exception", error.getClass().getSimpleName());
      meta.put("message", String.valueOf(error.getMessage()));
      telemetry.emit("call.exception", duration(span), meta);
    }
  }

  /** Ends a span with either outcome. */
  void ended(Span span, CallSpec spec, WorkerProcess worker, Throwable error) {
    if (error == null) {
      succeeded(span, spec, worker);
    } else {
      failed(span, spec, error instanceof SnakeBridgeException ? error : unwrap(error));
    }
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
  }

  private static Map<String, Long> duration(Span span) {
    return Map.of("duration_us", (System.nanoTime() - span.startNanos) / 1000);
  }

  private static Map<String, Object> metadata(Span span, CallSpec spec) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("module", String.valueOf(spec.module()));
    meta.put("function", spec.name());
    meta.put("kind", span.kind.label());
    String worker = span.worker.id();
    meta.put("pool", worker.substring(0, worker.lastIndexOf("-w")));
    meta.put("worker", worker);
    meta.put("session", span.session.id());
    return meta;
  }
}
