package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Automatic and explicit sessions, and every release strategy, against real workers. */
class SessionsIT {
  static SnakeBridgeRuntime py;
  static final List<TelemetryEvent> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    py = SnakeBridgeRuntime.create(Workers.config(2).maxRefsPerSession(50).build());
    py.telemetry().attach("sessions-it", "*", events::add);
  }

  @AfterAll
  static void stop() {
    py.close();
  }

  @Test
  void eachThreadHasItsOwnAutomaticSession() throws Exception {
    String mine = py.currentSession();
    assertThat(mine).matches("auto_[0-9a-f]{32}");
    assertThat(py.currentSession()).isEqualTo(mine);
    AtomicReference<String> other = new AtomicReference<>();
    Thread t = new Thread(() -> other.set(py.currentSession()));
    t.start();
    t.join();
    assertThat(other.get()).startsWith("auto_").isNotEqualTo(mine);
  }

  @Test
  void explicitSessionsAreSharedAcrossThreads() throws Exception {
    PyRef created = py.withSession("shared_pipeline", () -> (PyRef) py.call("sb_test_helpers", "Box", 42));
    assertThat(created.sessionId()).isEqualTo("shared_pipeline");
    AtomicReference<Object> seen = new AtomicReference<>();
    Thread t = new Thread(() -> py.withSession("shared_pipeline", () -> {
      assertThat(py.currentSession()).isEqualTo("shared_pipeline");
      seen.set(created.call("get"));
    }));
    t.start();
    t.join();
    assertThat(seen.get()).isEqualTo(42L);
    py.session("shared_pipeline").close();
  }

  @Test
  void aRefIsACapabilityUsableFromAnotherSession() throws Exception {
    PyRef box = (PyRef) py.call("sb_test_helpers", "Box", 7);
    AtomicReference<Object> seen = new AtomicReference<>();
    Thread t = new Thread(() -> seen.set(py.callHelper("sb_test_helpers.add", box.call("get"), 1)));
    t.start();
    t.join();
    assertThat(seen.get()).isEqualTo(8L);
    Object viaOtherSession = py.withSession("other", () -> py.callHelper("sb_test_helpers.type_name", box));
    assertThat(viaOtherSession).isEqualTo("sb_test_helpers.Box");
  }

  @Test
  void closingASessionReleasesItsRefsInTheWorker() throws Exception {
    try (SnakeBridgeRuntime one = Workers.start(1)) {
      long before = (Long) one.callHelper("sb_test_helpers.live_objects");
      PyRef box;
      try (Session s = one.session("closing")) {
        box = (PyRef) s.call("sb_test_helpers", "Box", 1);
        s.call("sb_test_helpers", "Box", 2);
        assertThat(s.method(box, "get")).isEqualTo(1L);
        assertThat(one.callHelper("sb_test_helpers.live_objects")).isEqualTo(before + 2);
      }
      assertThat(box.isReleased()).isTrue();
      RefNotFoundException e = catchThrowableOfType(RefNotFoundException.class, () -> box.call("get"));
      assertThat(e.getMessage()).contains("session closing was released");
      long deadline = System.currentTimeMillis() + 5000;
      while ((Long) one.callHelper("sb_test_helpers.live_objects") > before && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      assertThat(one.callHelper("sb_test_helpers.live_objects")).isEqualTo(before);
    }
  }

  @Test
  void releaseAutoSessionReleasesRefsAndStartsANewSession() {
    String first = py.currentSession();
    PyRef box = (PyRef) py.call("sb_test_helpers", "Box", 1);
    py.releaseAutoSession();
    assertThatThrownBy(() -> box.call("get")).isInstanceOf(RefNotFoundException.class)
        .hasMessageContaining("releaseAutoSession");
    assertThat(py.currentSession()).isNotEqualTo(first);
  }

  @Test
  void aThreadsSessionIsReleasedWhenTheThreadEnds() throws Exception {
    AtomicReference<PyRef> leaked = new AtomicReference<>();
    Thread t = new Thread(() -> leaked.set((PyRef) py.call("sb_test_helpers", "Box", 1)));
    t.start();
    t.join();
    long deadline = System.currentTimeMillis() + 5000;
    while (!leaked.get().isReleased() && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(leaked.get().isReleased()).isTrue();
    assertThatThrownBy(() -> leaked.get().call("get")).hasMessageContaining("its thread ended");
    assertThat(events).anyMatch(e -> e.name().equals("session.release")
        && e.metadata().get("session").equals(leaked.get().sessionId()));
  }

  @Test
  void theRefCapEvictsTheLeastRecentlyUsed() {
    py.withSession("capped", () -> {
      PyRef first = (PyRef) py.call("sb_test_helpers", "Box", 0);
      PyRef kept = (PyRef) py.call("sb_test_helpers", "Box", 1);
      for (int i = 0; i < 49; i++) {
        py.call("sb_test_helpers", "Box", i);
        kept.call("get");
      }
      assertThat(first.isReleased()).isTrue();
      assertThatThrownBy(() -> first.call("get")).isInstanceOf(RefNotFoundException.class).hasMessageContaining("evicted");
      assertThat(kept.call("get")).isEqualTo(1L);
    });
    py.session("capped").close();
    assertThat(events).anyMatch(e -> e.name().equals("ref.evicted"));
  }

  @Test
  void refsOfTwoWorkersInOneCallAreAClearError() {
    PyRef a = py.withSession("on-w0", () -> (PyRef) py.call("sb_test_helpers", "Box", 1));
    PyRef b = null;
    for (int i = 0; i < 10 && (b == null || b.workerId().equals(a.workerId())); i++) {
      int n = i;
      b = py.withSession("spread-" + n, () -> (PyRef) py.call("sb_test_helpers", "Box", 2));
    }
    assertThat(b.workerId()).isNotEqualTo(a.workerId());
    PyRef other = b;
    assertThatThrownBy(() -> py.callHelper("sb_test_helpers.add", a, other))
        .isInstanceOf(SnakeBridgeException.class)
        .hasMessageContaining(a.workerId())
        .hasMessageContaining(other.workerId());
  }

  @Test
  void refTtlExpiresIdleRefs() throws Exception {
    try (SnakeBridgeRuntime ttl = SnakeBridgeRuntime.create(
        Workers.config(1).refTtl(Duration.ofMillis(300)).build())) {
      PyRef idle = (PyRef) ttl.call("sb_test_helpers", "Box", 1);
      PyRef busy = (PyRef) ttl.call("sb_test_helpers", "Box", 2);
      long end = System.currentTimeMillis() + 1000;
      while (System.currentTimeMillis() < end) {
        busy.call("get");
        Thread.sleep(50);
      }
      RefNotFoundException e = catchThrowableOfType(RefNotFoundException.class, () -> idle.call("get"));
      assertThat(e.getMessage()).contains("expired");
      assertThat(busy.call("get")).isEqualTo(2L);
    }
  }
}
