package dev.snakebridge.opentelemetry;

import dev.snakebridge.SnakeBridgeRuntime;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OpenTelemetry traces of a {@link SnakeBridgeRuntime}:
 *
 * <pre>{@code
 * try (SnakeBridgeTracing tracing = SnakeBridgeTracing.install(runtime, openTelemetry)) {
 *   ...   // every call is a client span, a child of the caller's current span
 * }
 * }</pre>
 *
 * <ul>
 *   <li>each call is a {@code CLIENT} span named {@code module.function}, a child of the calling thread's
 *       current context, with the attributes {@code snakebridge.pool}, {@code snakebridge.worker}, {@code
 *       snakebridge.session}, {@code snakebridge.call.kind} and {@code snakebridge.outcome}; a call that
 *       failed has status {@code ERROR}, the exception recorded, and {@code error.type} (for a Python
 *       error, its qualified Python type, such as {@code builtins.ValueError});
 *   <li>the span's W3C {@code traceparent} travels in the request: in Python, {@code
 *       snakebridge.current_traceparent()} returns it while the call runs, and when the {@code
 *       opentelemetry} Python package is installed it is the current context there, so spans that Python
 *       code starts join the trace;
 *   <li>the spans of {@code with snakebridge.span(name):} in Python become spans of the same trace,
 *       children of the call's span, timed by the worker.
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} removes the hooks; spans already started still end.
 */
public final class SnakeBridgeTracing implements AutoCloseable {
  /** The instrumentation scope name of the spans. */
  public static final String INSTRUMENTATION_NAME = "dev.snakebridge";

  private static final AtomicInteger INSTALLS = new AtomicInteger();

  private final SnakeBridgeRuntime runtime;
  private final CallSpans calls;
  private final String handlerId;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SnakeBridgeTracing(SnakeBridgeRuntime runtime, Tracer tracer) {
    this.runtime = runtime;
    this.calls = new CallSpans(tracer);
    this.handlerId = "snakebridge-opentelemetry-" + INSTALLS.incrementAndGet();
  }

  /**
   * Traces every call of {@code runtime} with {@code openTelemetry}'s tracer, and turns the spans of
   * Python code into spans of the same traces. Replaces any other {@link dev.snakebridge.CallTracer} of
   * the runtime.
   */
  public static SnakeBridgeTracing install(SnakeBridgeRuntime runtime, OpenTelemetry openTelemetry) {
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(openTelemetry, "openTelemetry");
    SnakeBridgeTracing tracing = new SnakeBridgeTracing(runtime, openTelemetry.getTracer(INSTRUMENTATION_NAME));
    runtime.telemetry().setCallTracer(tracing.calls);
    // Python spans reach the JVM as <name>.stop / <name>.exception events; only theirs carry a traceparent.
    runtime.telemetry().attach(tracing.handlerId, "*", new PythonSpans(tracing.calls.tracer()));
    return tracing;
  }

  /** Removes the tracer and the handler of Python spans. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      runtime.telemetry().setCallTracer(null);
      runtime.telemetry().detach(handlerId);
    }
  }
}
