package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A runtime owned by a container (Spring) serves the static facade without the facade closing it. */
class UseRuntimeIT {
  @AfterEach
  void letGo() {
    SnakeBridge.useRuntime(null);
    SnakeBridge.shutdown();
  }

  @Test
  void theFacadeCallsAGivenRuntimeAndNeverClosesIt() {
    try (SnakeBridgeRuntime owned = Workers.start(1)) {
      SnakeBridge.useRuntime(owned);
      assertThat(SnakeBridge.runtimeIfStarted()).containsSame(owned);
      assertThat(SnakeBridge.call("math", "sqrt", 49)).isEqualTo(7.0);
      assertThat(owned.stats().pool("default").callsAnswered()).isPositive();

      SnakeBridge.shutdown();
      assertThat(SnakeBridge.runtimeIfStarted()).isEmpty();
      assertThat(owned.call("math", "sqrt", 4)).isEqualTo(2.0);
    }
  }

  @Test
  void aSecondRuntimeIsRefusedUntilTheFirstIsLetGo() {
    try (SnakeBridgeRuntime first = Workers.start(1); SnakeBridgeRuntime second = Workers.start(1)) {
      SnakeBridge.useRuntime(first);
      assertThatThrownBy(() -> SnakeBridge.useRuntime(second)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already uses");
      SnakeBridge.useRuntime(first);
      SnakeBridge.useRuntime(null);
      assertThat(SnakeBridge.runtimeIfStarted()).isEmpty();
      SnakeBridge.useRuntime(second);
      assertThat(SnakeBridge.runtimeIfStarted()).containsSame(second);
      assertThat(first.call("math", "sqrt", 9)).isEqualTo(3.0);
    }
  }
}
