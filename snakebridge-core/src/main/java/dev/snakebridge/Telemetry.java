package dev.snakebridge;

import dev.snakebridge.internal.telemetry.JfrTelemetryEvent;
import dev.snakebridge.internal.telemetry.Logs;
import java.time.Instant;
import jdk.jfr.FlightRecorder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;

/**
 * Telemetry of a runtime, in the spirit of Erlang's {@code telemetry.attach(handlerId, eventName,
 * handler)}:
 *
 * <pre>{@code
 * SnakeBridge.telemetry().attach("slow-calls", "call.stop", e -> {
 *   if (e.measurements().get("duration_us").longValue() > 100_000) log.warn("slow: {}", e.metadata());
 * });
 * }</pre>
 *
 * <p>An event name may be exact ({@code "call.stop"}), a prefix ending in {@code ".*"} ({@code
 * "worker.*"}) or {@code "*"}. Every event is also a JFR event ({@code dev.snakebridge.Event}), so {@code
 * jcmd <pid> JFR.start} records them. Python code emits its own events with {@code
 * snakebridge.emit(name, measurements, metadata)} and {@code with snakebridge.span(name):}.
 *
 * <p>Thread-safe.
 */
public final class Telemetry {
  private record Attachment(String handlerId, String pattern, TelemetryHandler handler) {
    boolean matches(String name) {
      return pattern.equals("*")
          || pattern.equals(name)
          || (pattern.endsWith(".*") && name.startsWith(pattern.substring(0, pattern.length() - 1)));
    }
  }

  private final List<Attachment> attachments = new CopyOnWriteArrayList<>();
  private final Set<String> ids = ConcurrentHashMap.newKeySet();
  /** Whether any handler wants call events: checked on every call, so kept as one volatile read. */
  private volatile boolean callHandlers;
  private volatile CallTracer callTracer;

  Telemetry() {}

  /**
   * Attaches {@code handler} to events named {@code eventName} under the id {@code handlerId}.
   *
   * @throws IllegalArgumentException when {@code handlerId} is already attached
   */
  public void attach(String handlerId, String eventName, TelemetryHandler handler) {
    if (!ids.add(handlerId)) {
      throw new IllegalArgumentException("telemetry handler '" + handlerId + "' is already attached");
    }
    attachments.add(new Attachment(handlerId, eventName, handler));
    refreshCallHandlers();
  }

  private void refreshCallHandlers() {
    boolean any = false;
    for (Attachment a : attachments) {
      any |= a.matches("call.start") || a.matches("call.stop") || a.matches("call.exception");
    }
    callHandlers = any;
  }

  /** Whether call events would reach a handler or JFR; the runtime skips timing calls when not. */
  boolean observesCalls() {
    return callHandlers || jfrRecording();
  }

  /**
   * Whether a JFR recording that includes SnakeBridge events runs. Asked of {@link FlightRecorder} first:
   * touching the event class when no recorder was ever started loads and initialises JFR's event
   * machinery, which costs a program hundreds of milliseconds before its first call.
   */
  private static boolean jfrRecording() {
    return FlightRecorder.isInitialized() && JfrTelemetryEvent.isRecording();
  }

  /**
   * Installs the tracer asked about every call from now on (see {@link CallTracer}), replacing any
   * before it; null removes it. A runtime has at most one tracer.
   */
  public void setCallTracer(CallTracer tracer) {
    this.callTracer = tracer;
  }

  /** The tracer asked about every call, or null. */
  CallTracer callTracer() {
    return callTracer;
  }

  /** Detaches the handler; returns false when none had that id. */
  public boolean detach(String handlerId) {
    ids.remove(handlerId);
    boolean removed = attachments.removeIf(a -> a.handlerId().equals(handlerId));
    refreshCallHandlers();
    return removed;
  }

  /** Whether an event of this name would reach a handler or JFR (to skip building it when not). */
  public boolean isObserved(String name) {
    if (jfrRecording()) {
      return true;
    }
    for (Attachment a : attachments) {
      if (a.matches(name)) {
        return true;
      }
    }
    return false;
  }

  /** Emits an event to the matching handlers and to JFR. Programs may emit their own events too. */
  public void emit(String name, Map<String, ? extends Number> measurements, Map<String, ?> metadata) {
    if (!isObserved(name)) {
      return;
    }
    @SuppressWarnings("unchecked")
    TelemetryEvent event = new TelemetryEvent(
        name, Instant.now(), (Map<String, Number>) measurements, (Map<String, Object>) metadata);
    if (jfrRecording()) {
      JfrTelemetryEvent.commit(event.name(), event.measurements().toString(), event.metadata().toString());
    }
    for (Attachment a : attachments) {
      if (a.matches(name)) {
        try {
          a.handler().handle(event);
        } catch (RuntimeException e) {
          detach(a.handlerId());
          log().warn("telemetry handler '{}' threw on {} and was detached", a.handlerId(), name, e);
        }
      }
    }
  }

  private static Logger log() {
    return Logs.get("snakebridge.telemetry");
  }
}
