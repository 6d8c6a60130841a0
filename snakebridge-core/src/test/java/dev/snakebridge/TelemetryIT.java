package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Telemetry events from Java and Python reach handlers and JFR. */
class TelemetryIT {
  @TempDir Path temp;

  private static void await(List<TelemetryEvent> events, String name) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5000;
    while (events.stream().noneMatch(e -> e.name().equals(name)) && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
  }

  @Test
  void callEventsCarryDurationAndContext() {
    try (SnakeBridgeRuntime py = Workers.start(1)) {
      List<TelemetryEvent> events = new CopyOnWriteArrayList<>();
      py.telemetry().attach("calls", "call.*", events::add);
      py.call("math", "sqrt", 16);
      assertThatThrownBy(() -> py.call("math", "sqrt", -1)).isInstanceOf(PythonException.class);
      assertThat(events).extracting(TelemetryEvent::name)
          .containsExactly("call.start", "call.stop", "call.start", "call.exception");
      TelemetryEvent stop = events.get(1);
      assertThat(stop.measurements().get("duration_us").longValue()).isPositive();
      assertThat(stop.metadata()).containsEntry("module", "math").containsEntry("function", "sqrt")
          .containsEntry("pool", "default").containsEntry("worker", "default-w0")
          .containsEntry("session", py.currentSession());
      assertThat(events.get(3).metadata()).containsEntry("exception", "PythonException");
      assertThat(py.telemetry().detach("calls")).isTrue();
    }
  }

  @Test
  void aHandlerThatThrowsIsDetachedAndCallsGoOn() {
    try (SnakeBridgeRuntime py = Workers.start(1)) {
      List<String> seen = new CopyOnWriteArrayList<>();
      py.telemetry().attach("broken", "call.stop", e -> {
        throw new IllegalStateException("handler bug");
      });
      py.telemetry().attach("fine", "call.stop", e -> seen.add(e.name()));
      assertThat(py.call("math", "sqrt", 4)).isEqualTo(2.0);
      assertThat(py.call("math", "sqrt", 9)).isEqualTo(3.0);
      assertThat(py.telemetry().detach("broken")).isFalse();
      assertThat(seen).hasSize(2);
      assertThatThrownBy(() -> py.telemetry().attach("fine", "*", e -> { }))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void workerCrashAndRestartAreReported() throws Exception {
    try (SnakeBridgeRuntime py = Workers.start(1)) {
      List<TelemetryEvent> events = new CopyOnWriteArrayList<>();
      py.telemetry().attach("workers", "worker.*", events::add);
      assertThatThrownBy(() -> py.callHelper("sb_test_helpers.exit_now", 1)).isInstanceOf(WorkerCrashedException.class);
      await(events, "worker.restart");
      assertThat(events).extracting(TelemetryEvent::name).contains("worker.crash", "worker.start", "worker.ready", "worker.restart");
    }
  }

  @Test
  void pythonEmitsItsOwnEventsAndSpans() throws Exception {
    try (SnakeBridgeRuntime py = Workers.start(1)) {
      List<TelemetryEvent> events = new CopyOnWriteArrayList<>();
      py.telemetry().attach("python", "python.*", events::add);
      assertThat(py.callHelper("sb_test_helpers.emit_events", "t1")).isEqualTo("emitted");
      await(events, "python.work.stop");
      assertThat(events).extracting(TelemetryEvent::name)
          .containsExactly("python.custom", "python.work.start", "python.work.stop");
      assertThat(events.get(0).measurements()).containsEntry("value", 42L);
      assertThat(events.get(0).metadata()).containsEntry("tag", "t1").containsEntry("worker", "default-w0");
      assertThat(events.get(2).measurements().get("duration_us").longValue()).isGreaterThanOrEqualTo(10_000);
    }
  }

  @Test
  void aFailedSessionCleanupIsReportedWithoutBlockingTheCaller() throws Exception {
    SnakeBridgeConfig config = Workers.config(1).sessionCleanupTimeout(Duration.ofSeconds(1)).build();
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(config)) {
      List<TelemetryEvent> events = new CopyOnWriteArrayList<>();
      py.telemetry().attach("cleanup", "session.*", events::add);
      Session doomed = py.session("doomed");
      doomed.call("sb_test_helpers", "Box", 1);
      // The worker holds the GIL in C for seconds: it cannot answer the session's release in time.
      CompletableFuture<Object> hog = py.callAsync("sb_test_helpers", "gil_hog", 27);
      Thread.sleep(100);
      long start = System.nanoTime();
      doomed.close();
      // Waiting for the cleanup would take the whole 1 s timeout (the hog holds the GIL for ~4 s).
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(500);
      await(events, "session.cleanup.error");
      TelemetryEvent error = events.stream().filter(e -> e.name().equals("session.cleanup.error")).findFirst().orElseThrow();
      assertThat(error.metadata()).containsEntry("session", "doomed").containsKey("error");
      assertThat(events).extracting(TelemetryEvent::name).contains("session.create", "session.release");
      hog.get();
    }
  }

  @Test
  void eventsAreRecordedByJfr() throws Exception {
    try (SnakeBridgeRuntime py = Workers.start(1); Recording recording = new Recording()) {
      recording.enable("dev.snakebridge.Event");
      recording.start();
      py.call("math", "sqrt", 25);
      recording.stop();
      Path file = temp.resolve("events.jfr");
      recording.dump(file);
      List<RecordedEvent> recorded = RecordingFile.readAllEvents(file);
      assertThat(recorded).anyMatch(e -> e.getEventType().getName().equals("dev.snakebridge.Event")
          && "call.stop".equals(e.getString("name")) && e.getString("metadata").contains("function=sqrt"));
    }
  }
}
