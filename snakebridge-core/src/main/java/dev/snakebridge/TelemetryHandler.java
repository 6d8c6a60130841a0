package dev.snakebridge;

/**
 * Receives telemetry events. Runs on the thread that emitted the event (a caller, a worker's reader, the
 * housekeeper), so it should be quick. A handler that throws is detached, with a log line.
 */
@FunctionalInterface
public interface TelemetryHandler {
  void handle(TelemetryEvent event);
}
