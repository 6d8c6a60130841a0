package dev.snakebridge.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Settings without Python: the annotation and the builder agree on defaults and reject nonsense. */
class ExtensionSettingsTest {
  @SnakeBridgeTest
  private static final class Defaults {}

  @SnakeBridgeTest(isolatedSession = true, failOnLeaks = false, workerRecoveryMillis = 250, outputLines = 7)
  private static final class Custom {}

  @Test
  void annotationDefaultsAreTheBuildersDefaults() {
    ExtensionSettings fromAnnotation = ExtensionSettings.of(Defaults.class.getAnnotation(SnakeBridgeTest.class));
    assertThat(fromAnnotation).isEqualTo(ExtensionSettings.DEFAULTS);
  }

  @Test
  void annotationAttributesAreRead() {
    assertThat(ExtensionSettings.of(Custom.class.getAnnotation(SnakeBridgeTest.class)))
        .isEqualTo(new ExtensionSettings(true, false, Duration.ofMillis(250), 7, null));
  }

  @Test
  void builderRejectsNegativeValues() {
    assertThatThrownBy(() -> SnakeBridgeExtension.builder().workerRecovery(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workerRecovery");
    assertThatThrownBy(() -> SnakeBridgeExtension.builder().outputLines(-1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outputLines");
  }
}
