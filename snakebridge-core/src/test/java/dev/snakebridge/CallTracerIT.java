package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A CallTracer sees every kind of call, and its traceparent reaches the Python code of that call. */
class CallTracerIT {
  /** One started trace, as the tracer saw it. */
  record Seen(String kind, String module, String function, String traceparent, List<Map<String, Object>> ends,
      List<Throwable> errors) {}

  /** Gives each call a distinct traceparent and records what it was told. */
  static final class RecordingTracer implements CallTracer {
    final List<Seen> traces = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger(1);

    @Override
    public Trace start(String kind, String module, String function) {
      String traceparent = String.format("00-%032x-%016x-01", 0xabcL, next.getAndIncrement());
      Seen seen = new Seen(kind, module, function, traceparent, new CopyOnWriteArrayList<>(),
          new CopyOnWriteArrayList<>());
      traces.add(seen);
      return new Trace() {
        @Override
        public String traceparent() {
          return traceparent;
        }

        @Override
        public void end(Map<String, Object> metadata, Throwable error) {
          seen.ends().add(metadata);
          if (error != null) {
            seen.errors().add(error);
          }
        }
      };
    }
  }

  @Test
  void syncAndAsyncCallsCarryTheirTraceparentToPython() throws Exception {
    try (SnakeBridgeRuntime py = Workers.start(1)) {
      RecordingTracer tracer = new RecordingTracer();
      py.telemetry().setCallTracer(tracer);
      Object sync = py.callHelper("sb_tracing_helpers.seen");
      Object async = py.callAsync("sb_tracing_helpers", "seen").get();
      assertThat(tracer.traces).extracting(Seen::kind).containsExactly("sync", "async");
      assertThat(sync).isEqualTo(tracer.traces.get(0).traceparent());
      assertThat(async).isEqualTo(tracer.traces.get(1).traceparent());
      Seen first = tracer.traces.get(0);
      assertThat(first.module()).isEqualTo("sb_tracing_helpers");
      assertThat(first.function()).isEqualTo("seen");
      assertThat(first.ends()).singleElement().satisfies(meta -> assertThat(meta)
          .containsEntry("pool", "default").containsEntry("worker", "default-w0")
          .containsEntry("session", py.currentSession()).containsEntry("outcome", "success"));
      assertThat(first.errors()).isEmpty();
    }
  }

  @Test
  void withoutATracerNothingIsCarried() {
    try (SnakeBridgeRuntime py = Workers.start(1)) {
      assertThat(py.callHelper("sb_tracing_helpers.seen")).isNull();
      RecordingTracer tracer = new RecordingTracer();
      py.telemetry().setCallTracer(tracer);
      assertThat(py.callHelper("sb_tracing_helpers.seen")).isNotNull();
      py.telemetry().setCallTracer(null);
      assertThat(py.callHelper("sb_tracing_helpers.seen")).isNull();
      assertThat(tracer.traces).hasSize(1);
    }
  }

  @Test
  void aPythonErrorEndsTheTraceWithTheExceptionAndItsOutcome() {
    try (SnakeBridgeRuntime py = Workers.start(1)) {
      RecordingTracer tracer = new RecordingTracer();
      py.telemetry().setCallTracer(tracer);
      List<TelemetryEvent> events = new CopyOnWriteArrayList<>();
      py.telemetry().attach("exceptions", "call.exception", events::add);
      assertThatThrownBy(() -> py.callHelper("sb_tracing_helpers.fail")).isInstanceOf(PythonException.class);
      Seen seen = tracer.traces.get(0);
      assertThat(seen.errors()).singleElement().isInstanceOfSatisfying(PythonException.class,
          e -> assertThat(e.pythonType()).isEqualTo("KeyError"));
      assertThat(seen.ends().get(0)).containsEntry("outcome", "python_error");
      assertThat(events).singleElement().satisfies(e -> assertThat(e.metadata()).containsEntry("outcome", "python_error"));
    }
  }

  @Test
  void aBatchIsOneTraceAndEveryCallInItSeesIt() {
    try (SnakeBridgeRuntime py = Workers.start(1)) {
      RecordingTracer tracer = new RecordingTracer();
      py.telemetry().setCallTracer(tracer);
      Batch batch = py.batch();
      batch.call("sb_tracing_helpers", "seen");
      batch.call("sb_tracing_helpers", "seen");
      List<Object> values = new ArrayList<>();
      for (Result r : batch.execute()) {
        values.add(((Result.Ok) r).value());
      }
      assertThat(tracer.traces).singleElement().satisfies(t -> {
        assertThat(t.kind()).isEqualTo("batch");
        assertThat(values).containsOnly(t.traceparent());
      });
    }
  }

  @Test
  void aPushStreamsGeneratorRunsInTheStreamsTraceContext() {
    try (SnakeBridgeRuntime py = Workers.start(1)) {
      RecordingTracer tracer = new RecordingTracer();
      py.telemetry().setCallTracer(tracer);
      List<Object> items = new CopyOnWriteArrayList<>();
      py.pushEach(items::add, "sb_tracing_helpers", "seen_twice");
      Seen push = tracer.traces.stream().filter(t -> t.kind().equals("push")).findFirst().orElseThrow();
      assertThat(items).hasSize(2).containsOnly(push.traceparent());
    }
  }

  @Test
  void aTracerThatThrowsLeavesCallsUntraced() {
    try (SnakeBridgeRuntime py = Workers.start(1)) {
      py.telemetry().setCallTracer((kind, module, function) -> {
        throw new IllegalStateException("tracer bug");
      });
      assertThat(py.call("math", "sqrt", 16)).isEqualTo(4.0);
      assertThat(py.callHelper("sb_tracing_helpers.seen")).isNull();
    }
  }
}
