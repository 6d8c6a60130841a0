package dev.snakebridge.opentelemetry;

import dev.snakebridge.TelemetryEvent;
import dev.snakebridge.TelemetryHandler;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns the end events of Python's {@code snakebridge.span(name)} ({@code name.stop}, {@code
 * name.exception}) into spans: children of the call that ran them (the {@code traceparent} in their
 * metadata), starting {@code duration_us} before the event and ending with it.
 */
final class PythonSpans implements TelemetryHandler {
  private static final String STOP = ".stop";
  private static final String EXCEPTION = ".exception";

  private final Tracer tracer;

  PythonSpans(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override
  public void handle(TelemetryEvent event) {
    Object traceparent = event.metadata().get("traceparent");
    if (traceparent == null) {
      return;
    }
    String name = event.name();
    boolean failed = name.endsWith(EXCEPTION);
    if (!failed && !name.endsWith(STOP)) {
      return;
    }
    SpanContext parent = Traceparent.parse(traceparent.toString());
    Number micros = event.measurements().get("duration_us");
    if (parent == null || micros == null) {
      return;
    }
    Instant end = event.time();
    Instant start = end.minusNanos(micros.longValue() * 1000);
    Span span = tracer.spanBuilder(name.substring(0, name.length() - (failed ? EXCEPTION : STOP).length()))
        .setParent(CallSpans.parentOf(parent))
        .setSpanKind(SpanKind.INTERNAL)
        .setStartTimestamp(start.getEpochSecond() * 1_000_000_000L + start.getNano(), TimeUnit.NANOSECONDS)
        .startSpan();
    for (Map.Entry<String, Object> e : event.metadata().entrySet()) {
      switch (e.getKey()) {
        case "traceparent", "message" -> { }
        case "worker" -> span.setAttribute(CallSpans.WORKER, String.valueOf(e.getValue()));
        case "exception" -> span.setAttribute(CallSpans.ERROR_TYPE, String.valueOf(e.getValue()));
        default -> span.setAttribute(AttributeKey.stringKey("snakebridge.python." + e.getKey()),
            String.valueOf(e.getValue()));
      }
    }
    for (Map.Entry<String, Number> m : event.measurements().entrySet()) {
      if (!m.getKey().equals("duration_us")) {
        span.setAttribute(AttributeKey.doubleKey("snakebridge.python." + m.getKey()), m.getValue().doubleValue());
      }
    }
    if (failed) {
      span.setStatus(StatusCode.ERROR, String.valueOf(event.metadata().get("message")));
    }
    span.end(end.getEpochSecond() * 1_000_000_000L + end.getNano(), TimeUnit.NANOSECONDS);
  }
}
