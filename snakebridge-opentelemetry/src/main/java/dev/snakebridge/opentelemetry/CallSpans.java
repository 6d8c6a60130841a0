package dev.snakebridge.opentelemetry;

import dev.snakebridge.CallTracer;
import dev.snakebridge.PythonException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.Map;

/** The {@link CallTracer} that makes each call a client span and carries its traceparent to Python. */
final class CallSpans implements CallTracer {
  static final AttributeKey<String> POOL = AttributeKey.stringKey("snakebridge.pool");
  static final AttributeKey<String> WORKER = AttributeKey.stringKey("snakebridge.worker");
  static final AttributeKey<String> SESSION = AttributeKey.stringKey("snakebridge.session");
  static final AttributeKey<String> KIND = AttributeKey.stringKey("snakebridge.call.kind");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("snakebridge.outcome");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private final Tracer tracer;

  CallSpans(Tracer tracer) {
    this.tracer = tracer;
  }

  Tracer tracer() {
    return tracer;
  }

  @Override
  public Trace start(String kind, String module, String function) {
    Span span = tracer.spanBuilder(module == null ? function : module + "." + function)
        .setParent(Context.current())
        .setSpanKind(SpanKind.CLIENT)
        .setAttribute(KIND, kind)
        .startSpan();
    return new CallSpan(span);
  }

  /** One call's span. */
  private record CallSpan(Span span) implements Trace {
    @Override
    public String traceparent() {
      return Traceparent.format(span.getSpanContext());
    }

    @Override
    public void end(Map<String, Object> metadata, Throwable error) {
      put(POOL, metadata.get("pool"));
      put(WORKER, metadata.get("worker"));
      put(SESSION, metadata.get("session"));
      put(OUTCOME, metadata.get("outcome"));
      if (error != null) {
        span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
        span.setAttribute(ERROR_TYPE, error instanceof PythonException p
            ? p.qualifiedName() : error.getClass().getName());
        span.recordException(error);
      }
      span.end();
    }

    private void put(AttributeKey<String> key, Object value) {
      if (value != null) {
        span.setAttribute(key, value.toString());
      }
    }
  }

  /** The context of a remote parent named by a traceparent, for spans Python reported. */
  static Context parentOf(SpanContext remote) {
    return Context.root().with(Span.wrap(remote));
  }
}
