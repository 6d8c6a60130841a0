package dev.snakebridge;

import java.time.Instant;
import java.util.Map;

/**
 * One telemetry event, such as {@code call.stop} or {@code session.cleanup.error}.
 *
 * @param name the event name (docs/TELEMETRY.md lists them)
 * @param time when it happened
 * @param measurements numbers: {@code duration_us}, {@code live_refs}, …
 * @param metadata facts: {@code module}, {@code function}, {@code pool}, {@code worker}, {@code session}, …
 */
public record TelemetryEvent(
    String name, Instant time, Map<String, Number> measurements, Map<String, Object> metadata) {
  public TelemetryEvent {
    measurements = Map.copyOf(measurements);
    metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
  }
}
