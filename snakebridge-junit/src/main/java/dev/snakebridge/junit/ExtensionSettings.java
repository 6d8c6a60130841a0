package dev.snakebridge.junit;

import dev.snakebridge.SnakeBridgeConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * What one {@link SnakeBridgeExtension} does, from {@link SnakeBridgeTest} or the extension's builder.
 *
 * @param config the default runtime's configuration, or null to leave it alone
 */
record ExtensionSettings(
    boolean isolatedSession, boolean failOnLeaks, Duration workerRecovery, int outputLines, SnakeBridgeConfig config) {
  static final ExtensionSettings DEFAULTS = new ExtensionSettings(false, true, Duration.ofSeconds(10), 50, null);

  ExtensionSettings {
    Objects.requireNonNull(workerRecovery, "workerRecovery");
    if (workerRecovery.isNegative()) {
      throw new IllegalArgumentException("workerRecovery must not be negative, got " + workerRecovery);
    }
    if (outputLines < 0) {
      throw new IllegalArgumentException("outputLines must not be negative, got " + outputLines);
    }
  }

  static ExtensionSettings of(SnakeBridgeTest a) {
    return new ExtensionSettings(a.isolatedSession(), a.failOnLeaks(),
        Duration.ofMillis(a.workerRecoveryMillis()), a.outputLines(), null);
  }
}
