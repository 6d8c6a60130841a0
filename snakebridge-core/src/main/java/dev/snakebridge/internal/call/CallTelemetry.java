package dev.snakebridge.internal.call;

import dev.snakebridge.CallTimeoutException;
import dev.snakebridge.CallTracer;
import dev.snakebridge.PythonException;
import dev.snakebridge.SnakeBridgeException;
import dev.snakebridge.Telemetry;
import dev.snakebridge.WorkerCrashedException;
import dev.snakebridge.internal.session.SessionState;
import dev.snakebridge.internal.telemetry.Logs;
import dev.snakebridge.internal.worker.WorkerProcess;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The one place that emits {@code call.start}, {@code call.stop} and {@code call.exception} (and so
 * their JFR events), and that asks the runtime's {@link CallTracer}, for every kind of call. When nothing
 * observes calls, a call pays two volatile reads.
 *
 * <p>A call is observed in three steps: {@link #begin} before its request is written (a tracer opens its
 * span there, in the caller's context, and gives the traceparent to carry), {@link #sent} once a worker
 * is chosen ({@code call.start}), then {@link #ended}.
 */
final class CallTelemetry {
  /** A call being observed; null when nothing observes calls. */
  static final class Span {
    private final CallKind kind;
    private final SessionState session;
    private final long startNanos;
    private final boolean events;
    private final CallTracer.Trace trace;
    private final String traceparent;
    private WorkerProcess worker;

    private Span(CallKind kind, SessionState session, boolean events, CallTracer.Trace trace) {
      this.kind = kind;
      this.session = session;
      this.events = events;
      this.trace = trace;
      this.traceparent = trace == null ? null : traceparentOf(trace);
      this.startNanos = System.nanoTime();
    }

    /** The W3C traceparent to carry in the request, or null. */
    String traceparent() {
      return traceparent;
    }
  }

  private final Telemetry telemetry;
  private final Handles handles;

  CallTelemetry(Telemetry telemetry, Handles handles) {
    this.telemetry = telemetry;
    this.handles = handles;
  }

  /** The traceparent a span carries; null for no span. */
  static String traceparent(Span span) {
    return span == null ? null : span.traceparent;
  }

  /** Starts observing a call whose request is about to be written; null when nothing observes calls. */
  Span begin(CallKind kind, CallSpec spec, SessionState session) {
    boolean events = handles.observesCalls(telemetry);
    CallTracer tracer = handles.tracer(telemetry);
    if (!events && tracer == null) {
      return null;
    }
    CallTracer.Trace trace = null;
    if (tracer != null) {
      try {
        trace = tracer.start(kind.label(), spec.module(), spec.name());
      } catch (RuntimeException e) {
        log().warn("the call tracer threw on {}; the call goes untraced", spec.context(), e);
      }
    }
    return new Span(kind, session, events, trace);
  }

  /** The call's request goes to {@code worker}: emits {@code call.start}. */
  void sent(Span span, CallSpec spec, WorkerProcess worker) {
    if (span != null) {
      span.worker = worker;
      if (span.events) {
        telemetry.emit("call.start", Map.of(), metadata(span, spec));
      }
    }
  }

  /** The call ended with an answer; {@code worker} is the one that answered (a resend may change it). */
  void succeeded(Span span, CallSpec spec, WorkerProcess worker) {
    if (span != null) {
      span.worker = worker;
      Map<String, Object> meta = metadata(span, spec);
      meta.put("outcome", "success");
      if (span.events) {
        telemetry.emit("call.stop", duration(span), meta);
      }
      endTrace(span, meta, null);
    }
  }

  void failed(Span span, CallSpec spec, Throwable error) {
    if (span != null) {
      Map<String, Object> meta = metadata(span, spec);
      meta.put("outcome", outcome(error));
      meta.put("exception", error.getClass().getSimpleName());
      meta.put("message", String.valueOf(error.getMessage()));
      // A request that could not be written was never started: no call.exception without a call.start.
      if (span.events && span.worker != null) {
        telemetry.emit("call.exception", duration(span), meta);
      }
      endTrace(span, meta, error);
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

  /**
   * The {@code outcome} of a failed call: {@code python_error} (Python raised), {@code timeout}, {@code
   * crashed} (its worker died), or {@code error} for anything else (a value that cannot cross, a
   * saturated pool, a closed runtime).
   */
  static String outcome(Throwable error) {
    if (error instanceof PythonException) {
      return "python_error";
    }
    if (error instanceof CallTimeoutException) {
      return "timeout";
    }
    if (error instanceof WorkerCrashedException) {
      return "crashed";
    }
    return "error";
  }

  private static void endTrace(Span span, Map<String, Object> meta, Throwable error) {
    if (span.trace != null) {
      try {
        span.trace.end(java.util.Collections.unmodifiableMap(meta), error);
      } catch (RuntimeException e) {
        log().warn("the call tracer threw ending a trace", e);
      }
    }
  }

  private static String traceparentOf(CallTracer.Trace trace) {
    try {
      return trace.traceparent();
    } catch (RuntimeException e) {
      log().warn("the call tracer threw giving a traceparent; the call carries none", e);
      return null;
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
    if (span.worker != null) {
      String worker = span.worker.id();
      meta.put("pool", worker.substring(0, worker.lastIndexOf("-w")));
      meta.put("worker", worker);
    }
    meta.put("session", span.session.id());
    return meta;
  }

  private static Logger log() {
    return Logs.get("snakebridge.telemetry");
  }
}
