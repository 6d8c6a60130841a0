package dev.snakebridge;

import java.util.Map;

/**
 * Hooks a tracing system (OpenTelemetry, for one) into every call of a runtime: installed with {@link
 * Telemetry#setCallTracer}. Where {@link TelemetryHandler}s see events after the fact, a tracer is asked
 * before a call's request is written, on the thread that makes the call, so that it can open a span in
 * that thread's context and hand the span's W3C {@code traceparent} to Python: the worker makes it the
 * call's trace context ({@code snakebridge.current_traceparent()} in Python).
 *
 * <p>Every kind of call is traced once: {@code sync}, {@code async}, {@code batch} (one trace for the
 * whole batch), {@code stream} (opening an iterator and each fetch) and {@code push}.
 *
 * <p>Implementations must be thread-safe and quick; a tracer that throws is ignored for that call.
 */
@FunctionalInterface
public interface CallTracer {
  /**
   * A call is about to be written; returns its trace, or null to leave it untraced.
   *
   * @param kind {@code sync}, {@code async}, {@code batch}, {@code stream} or {@code push}
   * @param module the Python module, or null for calls on objects and for batches
   * @param function the function, method or attribute; {@code batch} for a batch
   */
  Trace start(String kind, String module, String function);

  /** One traced call. */
  interface Trace {
    /**
     * The W3C trace context carried to Python ({@code 00-<trace id>-<span id>-<flags>}), or null to
     * carry none. Asked once, before the request is written.
     */
    String traceparent();

    /**
     * The call ended, on whichever thread completed it; called once.
     *
     * @param metadata what {@code call.stop} and {@code call.exception} carry: {@code pool}, {@code
     *     worker}, {@code session}, {@code kind}, {@code outcome}… ({@code pool} and {@code worker} are
     *     absent when the request could not even be written)
     * @param error null when the call succeeded; a {@link PythonException} carries the Python type
     */
    void end(Map<String, Object> metadata, Throwable error);
  }
}
