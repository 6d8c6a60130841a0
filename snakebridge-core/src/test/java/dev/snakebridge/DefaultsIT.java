package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The documented defaults, and the paths they lead to, each exercised once with real workers. */
class DefaultsIT {
  @Test
  void theDocumentedDefaults() {
    SnakeBridgeConfig config = SnakeBridgeConfig.builder().build();
    assertThat(config.affinity()).isEqualTo(Affinity.HINT);
    assertThat(config.maxRefsPerSession()).isEqualTo(10_000);
    assertThat(config.sessionCleanupTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.pools().get("default").maxQueue()).isEqualTo(1_000_000);
    assertThat(config.callTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(config.timeoutProfile("default")).contains(Duration.ofSeconds(120));
    assertThat(config.timeoutProfile("streaming")).contains(Duration.ofSeconds(120));
    assertThat(config.timeoutProfile("mlInference")).contains(Duration.ofSeconds(600));
    assertThat(config.timeoutProfile("batchJob")).isEqualTo(Optional.empty());
    assertThatThrownBy(() -> config.timeoutProfile("nobody")).isInstanceOf(IllegalArgumentException.class);
  }

  /** HINT: a session's calls go to its home worker while it has room, elsewhere when it is busy. */
  @Test
  void hintIsTheDefaultAffinityAndMovesCallsOffABusyHome() throws Exception {
    try (SnakeBridgeRuntime py = Workers.start(2); Session s = py.session("hint")) {
      long home = (Long) s.callHelper("sb_test_helpers.pid");
      assertThat((Long) s.callHelper("sb_test_helpers.pid")).isEqualTo(home);
      var busy = s.callAsync("sb_test_helpers", "pid_after", 1.0, "busy");
      Thread.sleep(300);
      assertThat((Long) s.callHelper("sb_test_helpers.pid")).as("the home is busy: another worker answers").isNotEqualTo(home);
      assertThat(((List<?>) busy.get()).get(0)).isEqualTo(home);
    }
  }

  /** Beyond 10,000 live refs a session releases its least recently used one. */
  @Test
  void theTenThousandRefCapEvictsTheLeastRecentlyUsedRef() {
    try (SnakeBridgeRuntime py = Workers.start(1); Session s = py.session("cap")) {
      List<PyRef> refs = new ArrayList<>();
      for (int i = 0; i <= 10_000; i++) {
        refs.add((PyRef) s.call("sb_test_helpers", "Box", i));
      }
      assertThat(refs.get(0).isReleased()).as("the oldest of 10,001 refs").isTrue();
      assertThat(refs.get(1).isReleased()).isFalse();
      assertThat(s.method(refs.get(10_000), "get")).isEqualTo(10_000L);
      assertThatThrownBy(() -> s.method(refs.get(0), "get")).isInstanceOf(RefNotFoundException.class)
          .hasMessageContaining("10000");
    }
  }

  @Test
  void clearAutoSessionReleasesTheThreadsRefsAndStartsANewSession() {
    SnakeBridge.configure(Workers.config(1).build());
    try {
      PyRef box = (PyRef) SnakeBridge.call("sb_test_helpers", "Box", 1);
      String before = SnakeBridge.currentSession();
      SnakeBridge.clearAutoSession();
      assertThat(SnakeBridge.currentSession()).isNotEqualTo(before);
      assertThat(box.isReleased()).isTrue();
      assertThat(SnakeBridge.call("math", "sqrt", 9)).isEqualTo(3.0);
    } finally {
      SnakeBridge.shutdown();
    }
  }

  @Test
  void aBadInterpreterPathFailsTheStartWithAMessageThatNamesIt() {
    SnakeBridgeConfig config = Workers.config(1).pythonExecutable("/no/such/python3").build();
    assertThatThrownBy(() -> SnakeBridgeRuntime.create(config).close())
        .isInstanceOf(SnakeBridgeException.class)
        .hasMessageContaining("/no/such/python3");
  }
}
