package dev.snakebridge.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snakebridge.PoolConfig;
import dev.snakebridge.SnakeBridge;
import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.SnakeBridgeException;
import dev.snakebridge.SnakeBridgeRuntime;
import dev.snakebridge.WorkerCrashedException;
import dev.snakebridge.micrometer.SnakeBridgeMetrics;
import dev.snakebridge.opentelemetry.SnakeBridgeTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration in application contexts that start real Python workers. */
class SnakeBridgeAutoConfigurationIT {
  static String python() {
    String env = System.getenv("SNAKEBRIDGE_PYTHON");
    return env == null || env.isBlank() ? "/usr/bin/python3" : env;
  }

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(SnakeBridgeAutoConfiguration.class))
      .withPropertyValues("snakebridge.python=" + python(), "snakebridge.pool-size=1",
          "snakebridge.startup-timeout=60s");

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(condition.getAsBoolean()).as("condition met within 20 s").isTrue();
  }

  @Test
  void propertiesWithRelaxedNamesConfigureTheRuntimeAndItsNamedPools() {
    runner.withPropertyValues("snakebridge.callTimeout=PT45S", "snakebridge.environment.SB_GREETING=hello",
        "snakebridge.pool.batch.size=1", "snakebridge.pool.batch.startup-imports=json,math",
        "snakebridge.timeout-profile.slow=none").run(context -> {
          SnakeBridgeRuntime py = context.getBean(SnakeBridgeRuntime.class);
          SnakeBridgeConfig config = py.config();
          assertThat(config.poolSize()).isEqualTo(1);
          assertThat(config.callTimeout()).isEqualTo(Duration.ofSeconds(45));
          assertThat(config.pools()).containsKey("batch");
          PoolConfig batch = config.pools().get("batch");
          assertThat(batch.size()).isEqualTo(1);
          assertThat(py.stats().pools()).containsKeys("default", "batch");
          assertThat(py.call("os", "getenv", "SB_GREETING")).isEqualTo("hello");
          assertThat(py.call("math", "sqrt", 16)).isEqualTo(4.0);
        });
  }

  @Test
  void aBadValueFailsTheContextNamingTheProperty() {
    runner.withPropertyValues("snakebridge.pool.gpu.size=0").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).hasStackTraceContaining("snakebridge.pool.gpu.size")
          .hasStackTraceContaining("at least 1");
    });
  }

  @Test
  void disabledMeansNoRuntime() {
    runner.withPropertyValues("snakebridge.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(SnakeBridgeRuntime.class));
  }

  @Test
  void aRuntimeBeanOfTheApplicationWins() {
    runner.withUserConfiguration(OwnRuntime.class).run(context -> {
      assertThat(context).hasSingleBean(SnakeBridgeRuntime.class);
      assertThat(context.getBean(SnakeBridgeRuntime.class).config().poolSize()).isEqualTo(2);
    });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnRuntime {
    @Bean(destroyMethod = "close")
    SnakeBridgeRuntime ownRuntime() {
      return SnakeBridgeRuntime.create(SnakeBridgeConfig.builder().pythonExecutable(python()).poolSize(2).build());
    }
  }

  @Test
  void customizersAdjustTheConfiguration() {
    runner.withBean(SnakeBridgeConfigCustomizer.class, () -> b -> b.callTimeout(Duration.ofSeconds(7)))
        .run(context -> assertThat(context.getBean(SnakeBridgeRuntime.class).config().callTimeout())
            .isEqualTo(Duration.ofSeconds(7)));
  }

  @Test
  void theStaticFacadeCallsTheBeanWhileTheContextLivesAndClosingDrainsAndLetsGo() {
    AtomicReference<SnakeBridgeRuntime> bean = new AtomicReference<>();
    runner.run(context -> {
      bean.set(context.getBean(SnakeBridgeRuntime.class));
      assertThat(SnakeBridge.runtimeIfStarted()).containsSame(bean.get());
      assertThat(SnakeBridge.call("math", "sqrt", 81)).isEqualTo(9.0);
      assertThat(bean.get().stats().pool("default").callsAnswered()).isPositive();
    });
    assertThat(SnakeBridge.runtimeIfStarted()).isEmpty();
    assertThatThrownBy(() -> bean.get().call("math", "sqrt", 4)).isInstanceOf(SnakeBridgeException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void theStaticFacadeIsLeftAloneWhenAskedTo() {
    runner.withPropertyValues("snakebridge.static-facade=false")
        .run(context -> assertThat(SnakeBridge.runtimeIfStarted()).isEmpty());
  }

  @Test
  void healthShowsThePoolsAndTheLastCrash() throws Exception {
    runner.run(context -> {
      assertThat(context).hasBean("snakebridgeHealthIndicator");
      SnakeBridgeHealthIndicator indicator = context.getBean(SnakeBridgeHealthIndicator.class);
      Health health = indicator.health(true);
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      @SuppressWarnings("unchecked")
      Map<String, Map<String, Object>> pools = (Map<String, Map<String, Object>>) health.getDetails().get("pools");
      assertThat(pools.get("default")).containsEntry("workers", 1).containsEntry("queued", 0);
      assertThat(health.getDetails()).doesNotContainKey("lastCrash");

      SnakeBridgeRuntime py = context.getBean(SnakeBridgeRuntime.class);
      assertThatThrownBy(() -> py.call("os", "_exit", 1)).isInstanceOf(WorkerCrashedException.class);
      await(() -> indicator.health(true).getDetails().containsKey("lastCrash"));
      @SuppressWarnings("unchecked")
      Map<String, Object> crash = (Map<String, Object>) indicator.health(true).getDetails().get("lastCrash");
      assertThat(crash).containsEntry("worker", "default-w0").containsEntry("pool", "default");
      await(() -> indicator.health(true).getStatus().equals(Status.UP));
    });
  }

  @Test
  void healthIndicatorCanBeTurnedOff() {
    runner.withPropertyValues("management.health.snakebridge.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(SnakeBridgeHealthIndicator.class));
  }

  @Test
  void metricsAreBoundToTheApplicationsRegistry() {
    runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
        SimpleMetricsExportAutoConfiguration.class)).run(context -> {
          assertThat(context).hasSingleBean(SnakeBridgeMetrics.class);
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          context.getBean(SnakeBridgeRuntime.class).call("math", "sqrt", 16);
          assertThat(registry.get("snakebridge.calls").tags("pool", "default", "kind", "sync", "outcome", "success")
              .timer().count()).isEqualTo(1);
          assertThat(registry.get("snakebridge.workers.live").tags("pool", "default").gauge().value()).isEqualTo(1);
        });
  }

  @Test
  void withoutMicrometerOrTheBinderModuleThereAreNoMeters() {
    runner.withClassLoader(new FilteredClassLoader(SnakeBridgeMetrics.class))
        .run(context -> assertThat(context).hasSingleBean(SnakeBridgeRuntime.class)
            .doesNotHaveBean(SnakeBridgeMetrics.class));
    runner.withPropertyValues("snakebridge.metrics.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(SnakeBridgeMetrics.class));
  }

  @Test
  void callsAreTracedWhenTheApplicationHasOpenTelemetry() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    runner.withBean(OpenTelemetry.class, () -> OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .build()).run(context -> {
          Object seen = context.getBean(SnakeBridgeRuntime.class).call("snakebridge", "current_traceparent");
          assertThat(exporter.getFinishedSpanItems()).singleElement().satisfies(span -> {
            assertThat(span.getName()).isEqualTo("snakebridge.current_traceparent");
            assertThat(seen).isEqualTo("00-" + span.getTraceId() + "-" + span.getSpanId() + "-01");
          });
        });
  }

  @Test
  void withoutAnOpenTelemetryBeanOrModuleCallsAreNotTraced() {
    runner.run(context -> {
      assertThat(context).doesNotHaveBean(TracingInstaller.class);
      assertThat(context.getBean(SnakeBridgeRuntime.class).call("snakebridge", "current_traceparent")).isNull();
    });
    runner.withClassLoader(new FilteredClassLoader(SnakeBridgeTracing.class))
        .withBean(OpenTelemetry.class, OpenTelemetry::noop)
        .run(context -> assertThat(context).doesNotHaveBean(TracingInstaller.class));
  }
}
