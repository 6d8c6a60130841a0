package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SnakeBridgeConfigTest {
  @Test
  void defaultsAreDocumented() {
    SnakeBridgeConfig c = SnakeBridgeConfig.defaults();
    assertThat(c.pythonExecutable()).isEmpty();
    assertThat(c.poolSize()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(c.errorMode()).isEqualTo(ErrorMode.RAW);
    assertThat(c.callTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(c.startupTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.helperPaths()).isEmpty();
  }

  @Test
  void propertiesOverrideDefaults() {
    Properties p = new Properties();
    p.setProperty("snakebridge.python", "/opt/py/bin/python");
    p.setProperty("snakebridge.poolSize", "3");
    p.setProperty("snakebridge.errorMode", "translated");
    p.setProperty("snakebridge.callTimeout", "PT5S");
    p.setProperty("snakebridge.startupTimeout", "7");
    p.setProperty("snakebridge.helperPaths", "/a" + java.io.File.pathSeparator + "/b");
    SnakeBridgeConfig c = SnakeBridgeConfig.fromProperties(p);
    assertThat(c.pythonExecutable()).contains("/opt/py/bin/python");
    assertThat(c.poolSize()).isEqualTo(3);
    assertThat(c.errorMode()).isEqualTo(ErrorMode.TRANSLATED);
    assertThat(c.callTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.startupTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(c.helperPaths()).containsExactly(Path.of("/a"), Path.of("/b"));
  }

  @Test
  void badValuesAreRejectedNamingTheProperty() {
    Properties p = new Properties();
    p.setProperty("snakebridge.poolSize", "many");
    assertThatThrownBy(() -> SnakeBridgeConfig.fromProperties(p)).hasMessageContaining("snakebridge.poolSize");
    assertThatThrownBy(() -> SnakeBridgeConfig.builder().poolSize(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SnakeBridgeConfig.builder().callTimeout(Duration.ZERO)).hasMessageContaining("callTimeout");
  }

  @Test
  void builderIsIndependentOfBuiltConfig() {
    SnakeBridgeConfig a = SnakeBridgeConfig.builder().poolSize(2).build();
    SnakeBridgeConfig b = a.toBuilder().poolSize(5).build();
    assertThat(a.poolSize()).isEqualTo(2);
    assertThat(b.poolSize()).isEqualTo(5);
  }

  @Test
  void largeBufferSettings() {
    SnakeBridgeConfig d = SnakeBridgeConfig.defaults();
    assertThat(d.largeBufferThreshold()).isEqualTo(1 << 20);
    assertThat(d.largeBufferDirectory()).isNotNull();
    Properties p = new Properties();
    p.setProperty("snakebridge.largeBufferThreshold", "4096");
    p.setProperty("snakebridge.largeBufferDirectory", "/tmp");
    SnakeBridgeConfig c = SnakeBridgeConfig.fromProperties(p);
    assertThat(c.largeBufferThreshold()).isEqualTo(4096);
    assertThat(c.largeBufferDirectory()).isEqualTo(Path.of("/tmp"));
    assertThat(c.toBuilder().build().largeBufferThreshold()).isEqualTo(4096);
    p.setProperty("snakebridge.largeBufferThreshold", "1MB");
    assertThatThrownBy(() -> SnakeBridgeConfig.fromProperties(p))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("snakebridge.largeBufferThreshold");
    assertThatThrownBy(() -> SnakeBridgeConfig.builder().largeBufferThreshold(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 byte");
  }
}
