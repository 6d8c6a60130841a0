package dev.snakebridge.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snakebridge.PythonException;
import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.SnakeBridgeRuntime;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client spans of real calls, the traceparent Python sees, and Python's spans in the same trace. */
class SnakeBridgeTracingIT {
  /** What the Python side saw: its traceparent, inside a snakebridge.span of its own. */
  private static final String HELPER = """
      import snakebridge

      def traced_work(rows):
          with snakebridge.span("preprocess", {"rows": str(rows)}):
              return snakebridge.current_traceparent()

      def failing_work():
          with snakebridge.span("load"):
              raise LookupError("no such model")
      """;

  @TempDir Path helpers;
  private SnakeBridgeRuntime py;
  private InMemorySpanExporter exporter;
  private OpenTelemetrySdk otel;
  private SnakeBridgeTracing tracing;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(helpers.resolve("sb_otel_helpers.py"), HELPER);
    String python = System.getenv("SNAKEBRIDGE_PYTHON");
    py = SnakeBridgeRuntime.create(SnakeBridgeConfig.builder()
        .pythonExecutable(python == null || python.isBlank() ? "/usr/bin/python3" : python)
        .poolSize(1)
        .addHelperPath(helpers)
        .startupTimeout(Duration.ofSeconds(60))
        .build());
    exporter = InMemorySpanExporter.create();
    otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .build();
    tracing = SnakeBridgeTracing.install(py, otel);
  }

  @AfterEach
  void stop() {
    tracing.close();
    py.close();
    otel.close();
  }

  private SpanData span(String name) {
    return exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name + " in " + exporter.getFinishedSpanItems()));
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(condition.getAsBoolean()).as("condition met within 10 s").isTrue();
  }

  @Test
  void aCallIsAClientSpanUnderTheCallersSpanAndPythonSeesItsTraceparent() throws Exception {
    Tracer app = otel.getTracer("app");
    Span request = app.spanBuilder("GET /predict").startSpan();
    Object seen;
    try (Scope ignored = request.makeCurrent()) {
      seen = py.call("sb_otel_helpers", "traced_work", 10);
    } finally {
      request.end();
    }
    SpanData call = span("sb_otel_helpers.traced_work");
    assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(call.getTraceId()).isEqualTo(request.getSpanContext().getTraceId());
    assertThat(call.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
    assertThat(seen).isEqualTo("00-" + call.getTraceId() + "-" + call.getSpanId() + "-01");
    assertThat(call.getAttributes().get(CallSpans.POOL)).isEqualTo("default");
    assertThat(call.getAttributes().get(CallSpans.WORKER)).isEqualTo("default-w0");
    assertThat(call.getAttributes().get(CallSpans.SESSION)).isEqualTo(py.currentSession());
    assertThat(call.getAttributes().get(CallSpans.KIND)).isEqualTo("sync");
    assertThat(call.getAttributes().get(CallSpans.OUTCOME)).isEqualTo("success");
    assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

    // The Python span joins the same trace, under the call's span.
    await(() -> exporter.getFinishedSpanItems().stream().anyMatch(s -> s.getName().equals("preprocess")));
    SpanData python = span("preprocess");
    assertThat(python.getTraceId()).isEqualTo(call.getTraceId());
    assertThat(python.getParentSpanId()).isEqualTo(call.getSpanId());
    assertThat(python.getAttributes().get(io.opentelemetry.api.common.AttributeKey.stringKey(
        "snakebridge.python.rows"))).isEqualTo("10");
    assertThat(python.getEndEpochNanos()).isGreaterThanOrEqualTo(python.getStartEpochNanos());
  }

  @Test
  void withoutACurrentSpanACallStartsItsOwnTrace() {
    Object seen = py.call("snakebridge", "current_traceparent");
    SpanData call = span("snakebridge.current_traceparent");
    assertThat(call.getParentSpanContext().isValid()).isFalse();
    assertThat(seen).isEqualTo("00-" + call.getTraceId() + "-" + call.getSpanId() + "-01");
  }

  @Test
  void aPythonErrorMarksTheSpanWithItsPythonType() throws Exception {
    assertThatThrownBy(() -> py.call("sb_otel_helpers", "failing_work")).isInstanceOf(PythonException.class);
    SpanData call = span("sb_otel_helpers.failing_work");
    assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(call.getAttributes().get(CallSpans.ERROR_TYPE)).isEqualTo("builtins.LookupError");
    assertThat(call.getAttributes().get(CallSpans.OUTCOME)).isEqualTo("python_error");
    assertThat(call.getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
    await(() -> exporter.getFinishedSpanItems().stream().anyMatch(s -> s.getName().equals("load")));
    SpanData load = span("load");
    assertThat(load.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(load.getParentSpanId()).isEqualTo(call.getSpanId());
  }

  @Test
  void asyncCallsAndBatchesAreSpansToo() throws Exception {
    py.callAsync("math", "sqrt", 4).get();
    py.batch().call("math", "sqrt", 9).call("math", "sqrt", 16).execute();
    assertThat(span("math.sqrt").getAttributes().get(CallSpans.KIND)).isEqualTo("async");
    assertThat(span("batch").getAttributes().get(CallSpans.KIND)).isEqualTo("batch");
  }

  @Test
  void afterCloseCallsAreNotTraced() {
    tracing.close();
    assertThat(py.call("snakebridge", "current_traceparent")).isNull();
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertThat(spans).isEmpty();
  }
}
