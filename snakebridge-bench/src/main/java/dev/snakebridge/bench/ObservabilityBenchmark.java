package dev.snakebridge.bench;

import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.SnakeBridgeRuntime;
import dev.snakebridge.micrometer.SnakeBridgeMetrics;
import dev.snakebridge.opentelemetry.SnakeBridgeTracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What observing calls costs: {@code math.sqrt(16)} on a runtime of one worker with nothing attached
 * ({@code none}, the baseline of the same run), with the Micrometer meters bound to a simple registry,
 * with every call traced by the OpenTelemetry SDK (spans exported to an exporter that counts them), and
 * with both.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class ObservabilityBenchmark {
  @Param({"none", "micrometer", "opentelemetry", "both"})
  public String observer;

  private SnakeBridgeRuntime runtime;
  private SnakeBridgeMetrics metrics;
  private SnakeBridgeTracing tracing;
  private OpenTelemetrySdk otel;
  private final LongAdder exported = new LongAdder();

  /** Counts spans, so that the SDK does its whole job, without keeping them. */
  private final class CountingExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      exported.add(spans.size());
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  @Setup(Level.Trial)
  public void start() {
    BenchSupport.reportForkPinning();
    runtime = SnakeBridgeRuntime.create(SnakeBridgeConfig.builder()
        .pythonExecutable(BenchSupport.python()).poolSize(1).build());
    if (observer.equals("micrometer") || observer.equals("both")) {
      metrics = SnakeBridgeMetrics.builder(runtime).build();
      metrics.bindTo(new SimpleMeterRegistry());
    }
    if (observer.equals("opentelemetry") || observer.equals("both")) {
      otel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
          .addSpanProcessor(SimpleSpanProcessor.create(new CountingExporter())).build()).build();
      tracing = SnakeBridgeTracing.install(runtime, otel);
    }
    Object root = runtime.call("math", "sqrt", 16);
    if (!(root instanceof Double d) || d != 4.0) {
      throw new IllegalStateException("math.sqrt(16) returned " + root + ", expected 4.0");
    }
    if (otel != null && exported.sum() != 1) {
      throw new IllegalStateException("one call should have exported one span, not " + exported.sum());
    }
  }

  @Benchmark
  public Object sqrt() {
    return runtime.call("math", "sqrt", 16);
  }

  @TearDown(Level.Trial)
  public void stop() {
    if (tracing != null) {
      tracing.close();
      otel.close();
    }
    if (metrics != null) {
      metrics.close();
    }
    runtime.close();
  }
}
