package dev.snakebridge.internal.telemetry;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** Every SnakeBridge telemetry event as a JFR event, so {@code jcmd <pid> JFR.start} records them. */
@Name("dev.snakebridge.Event")
@Label("SnakeBridge Event")
@Category("SnakeBridge")
@Description("A SnakeBridge telemetry event: calls, workers, sessions, refs, and Python's own events")
public final class JfrTelemetryEvent extends Event {
  @Label("Name")
  String name;

  @Label("Measurements")
  String measurements;

  @Label("Metadata")
  String metadata;

  /** Whether a recording that includes this event is running (cheap: a volatile read when none). */
  public static boolean isRecording() {
    return FlightRecorder.isInitialized() && new JfrTelemetryEvent().isEnabled();
  }

  public static void commit(String name, String measurements, String metadata) {
    JfrTelemetryEvent e = new JfrTelemetryEvent();
    if (e.isEnabled()) {
      e.name = name;
      e.measurements = measurements;
      e.metadata = metadata;
      e.commit();
    }
  }
}
