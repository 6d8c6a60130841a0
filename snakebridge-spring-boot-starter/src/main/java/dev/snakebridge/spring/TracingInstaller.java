package dev.snakebridge.spring;

import dev.snakebridge.SnakeBridgeRuntime;
import dev.snakebridge.opentelemetry.SnakeBridgeTracing;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.beans.factory.DisposableBean;

/** Traces the runtime's calls with the context's {@link OpenTelemetry} until the context closes. */
final class TracingInstaller implements DisposableBean {
  private final SnakeBridgeTracing tracing;

  TracingInstaller(SnakeBridgeRuntime runtime, OpenTelemetry openTelemetry) {
    this.tracing = SnakeBridgeTracing.install(runtime, openTelemetry);
  }

  @Override
  public void destroy() {
    tracing.close();
  }
}
