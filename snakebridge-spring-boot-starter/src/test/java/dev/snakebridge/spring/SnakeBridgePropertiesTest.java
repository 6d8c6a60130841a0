package dev.snakebridge.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snakebridge.Affinity;
import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.Transport;
import dev.snakebridge.WorkerProfile;
import dev.snakebridge.internal.config.ConfigOption;
import dev.snakebridge.internal.config.PoolOptions;
import dev.snakebridge.internal.config.RuntimeOptions;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The application properties cover every runtime option, under the runtime's own names. */
class SnakeBridgePropertiesTest {
  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  private static String metadata() throws Exception {
    try (InputStream in = SnakeBridgePropertiesTest.class.getResourceAsStream(
        "/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("spring-configuration-metadata.json is generated").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void everyRuntimeOptionHasAnApplicationPropertyWithIdeMetadata() throws Exception {
    String json = metadata();
    for (ConfigOption<?, ?, ?> option : RuntimeOptions.TABLE.options()) {
      String name = "snakebridge." + kebab(option.property().replaceAll("\\..*", ""));
      assertThat(json).as("metadata of %s (runtime option %s)", name, option.property())
          .contains("\"name\": \"" + name + "\"");
    }
  }

  @Test
  void everyPoolOptionHasAPoolProperty() {
    List<String> getters = java.util.Arrays.stream(SnakeBridgeProperties.Pool.class.getMethods())
        .map(m -> m.getName()).toList();
    for (ConfigOption<?, ?, ?> option : PoolOptions.TABLE.options()) {
      String property = option.property().replaceAll("\\..*", "");
      assertThat(getters).as("snakebridge.pool.<name>.%s", property)
          .contains("get" + Character.toUpperCase(property.charAt(0)) + property.substring(1));
    }
  }

  @Test
  void boundValuesReachTheRuntimeConfiguration() {
    SnakeBridgeProperties p = new SnakeBridgeProperties();
    p.setPoolSize(3);
    p.setCallTimeout(Duration.ofSeconds(90));
    p.setAffinity(Affinity.STRICT_QUEUE);
    p.setTransport(Transport.PIPE);
    p.setHelperPaths(List.of("/opt/a", "/opt/b"));
    p.getEnvironment().put("OMP_NUM_THREADS", "1");
    p.getTimeoutProfile().put("slow", "none");
    SnakeBridgeProperties.Pool gpu = new SnakeBridgeProperties.Pool();
    gpu.setSize(2);
    gpu.setProfile(WorkerProfile.THREAD);
    gpu.setStartupImports(List.of("json", "math"));
    gpu.setQueueTimeout(Duration.ofSeconds(5));
    p.getPool().put("gpu", gpu);

    Properties runtime = RuntimeConfigFactory.toRuntimeProperties(p);
    assertThat(runtime).containsEntry("snakebridge.poolSize", "3")
        .containsEntry("snakebridge.pool.gpu.startupImports", "json,math")
        .containsEntry("snakebridge.environment.OMP_NUM_THREADS", "1");
    SnakeBridgeConfig config = RuntimeConfigFactory.create(p);
    assertThat(config.poolSize()).isEqualTo(3);
    assertThat(config.callTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.affinity()).isEqualTo(Affinity.STRICT_QUEUE);
    assertThat(config.transport()).isEqualTo(Transport.PIPE);
    assertThat(config.helperPaths()).hasSize(2);
    assertThat(config.environment()).containsEntry("OMP_NUM_THREADS", "1");
    assertThat(config.pools().get("gpu").size()).isEqualTo(2);
    assertThat(config.pools().get("gpu").profile()).isEqualTo(WorkerProfile.THREAD);
    assertThat(config.pools().get("gpu").queueTimeout()).contains(Duration.ofSeconds(5));
  }

  @Test
  void unsetOptionsKeepTheRuntimesDefaults() {
    assertThat(RuntimeConfigFactory.toRuntimeProperties(new SnakeBridgeProperties())).isEmpty();
    assertThat(RuntimeConfigFactory.create(new SnakeBridgeProperties()).toString())
        .isEqualTo(SnakeBridgeConfig.defaults().toString());
  }
}
