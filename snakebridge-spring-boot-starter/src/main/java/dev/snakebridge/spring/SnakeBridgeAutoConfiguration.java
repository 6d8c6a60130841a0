package dev.snakebridge.spring;

import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.SnakeBridgeRuntime;
import dev.snakebridge.micrometer.SnakeBridgeMetrics;
import dev.snakebridge.opentelemetry.SnakeBridgeTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A {@link SnakeBridgeRuntime} bean configured from {@code snakebridge.*} properties, started with the
 * context (its pools take calls when the context is ready) and closed with it (calls in flight drain
 * first).
 * The static {@code SnakeBridge} facade calls it while the context lives ({@code
 * snakebridge.static-facade=false} to leave the facade alone). With Spring Boot's health support: the
 * {@code snakebridge} health indicator; with Micrometer and {@code snakebridge-micrometer}: the SnakeBridge
 * meters; with an {@code OpenTelemetry} bean and {@code snakebridge-opentelemetry}: a span per call.
 * {@code snakebridge.enabled=false} turns it all off.
 */
// After the auto-configurations that may define the OpenTelemetry bean (Boot's, the OpenTelemetry
// instrumentation starter's): @ConditionalOnBean sees only beans defined before it.
@AutoConfiguration(afterName = {
    "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration",
    "io.opentelemetry.instrumentation.spring.autoconfigure.OpenTelemetryAutoConfiguration"})
@ConditionalOnClass(SnakeBridgeRuntime.class)
@ConditionalOnBooleanProperty(name = "snakebridge.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SnakeBridgeProperties.class)
public class SnakeBridgeAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public SnakeBridgeConfig snakeBridgeConfig(SnakeBridgeProperties properties,
      ObjectProvider<SnakeBridgeConfigCustomizer> customizers) {
    SnakeBridgeConfig fromProperties = RuntimeConfigFactory.create(properties);
    if (customizers.orderedStream().findAny().isEmpty()) {
      return fromProperties;
    }
    SnakeBridgeConfig.Builder builder = fromProperties.toBuilder();
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }

  /** Started here, so the context is ready only once the runtime takes calls; closed (drained) with it. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public SnakeBridgeRuntime snakeBridgeRuntime(SnakeBridgeConfig config) {
    return SnakeBridgeRuntime.create(config);
  }

  @Bean
  @ConditionalOnBooleanProperty(name = "snakebridge.static-facade", matchIfMissing = true)
  StaticFacadeBinding snakeBridgeStaticFacade(SnakeBridgeRuntime runtime) {
    return new StaticFacadeBinding(runtime);
  }

  /** The health indicator, when Spring Boot's health support is on the classpath. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnEnabledHealthIndicator("snakebridge")
  static class HealthConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "snakebridgeHealthIndicator")
    SnakeBridgeHealthIndicator snakebridgeHealthIndicator(SnakeBridgeRuntime runtime) {
      return new SnakeBridgeHealthIndicator(runtime);
    }
  }

  /** The meters, bound by Spring Boot to every meter registry of the application. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MeterRegistry.class, SnakeBridgeMetrics.class})
  @ConditionalOnBooleanProperty(name = "snakebridge.metrics.enabled", matchIfMissing = true)
  static class MetricsConfiguration {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    SnakeBridgeMetrics snakeBridgeMetrics(SnakeBridgeRuntime runtime, SnakeBridgeProperties properties) {
      return SnakeBridgeMetrics.builder(runtime)
          .moduleAndFunctionTags(properties.getMetrics().isModuleAndFunctionTags())
          .build();
    }
  }

  /** A span per call, when the application has an OpenTelemetry bean. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({OpenTelemetry.class, SnakeBridgeTracing.class})
  @ConditionalOnBooleanProperty(name = "snakebridge.tracing.enabled", matchIfMissing = true)
  static class TracingConfiguration {
    @Bean
    @ConditionalOnBean(OpenTelemetry.class)
    TracingInstaller snakeBridgeTracing(SnakeBridgeRuntime runtime, OpenTelemetry openTelemetry) {
      return new TracingInstaller(runtime, openTelemetry);
    }
  }
}
