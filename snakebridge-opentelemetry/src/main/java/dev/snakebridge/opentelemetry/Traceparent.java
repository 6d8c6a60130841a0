package dev.snakebridge.opentelemetry;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;

/** The W3C {@code traceparent} header value, version 00: {@code 00-<trace id>-<span id>-<flags>}. */
final class Traceparent {
  private static final int LENGTH = 55;

  private Traceparent() {}

  /** The traceparent of {@code context}, or null when it is not a valid span context. */
  static String format(SpanContext context) {
    if (!context.isValid()) {
      return null;
    }
    return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
  }

  /** The remote span context named by {@code value}, or null when it is not a well-formed traceparent. */
  static SpanContext parse(String value) {
    if (value == null || value.length() != LENGTH || !value.startsWith("00-") || value.charAt(35) != '-'
        || value.charAt(52) != '-') {
      return null;
    }
    String traceId = value.substring(3, 35);
    String spanId = value.substring(36, 52);
    if (!TraceId.isValid(traceId) || !SpanId.isValid(spanId)) {
      return null;
    }
    try {
      TraceFlags flags = TraceFlags.fromHex(value, 53);
      return SpanContext.createFromRemoteParent(traceId, spanId, flags, TraceState.getDefault());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
