package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request path's guarantees, against real workers: what a call leaves behind when it fails or ends late. */
class CallEngineIT {
  static SnakeBridgeRuntime py;
  @TempDir Path temp;

  @BeforeAll
  static void start() {
    py = Workers.start(1);
  }

  @AfterAll
  static void stop() {
    py.close();
  }

  private static long liveObjects() {
    return ((Number) py.callHelper("sb_test_helpers.live_objects")).longValue();
  }

  @Test
  void theObjectsOfAnAnswerThatCameAfterItsTimeoutAreReleased() throws Exception {
    long before = liveObjects();
    assertThatThrownBy(() -> py.call("sb_test_helpers", "stubborn_box", 0.4,
        CallOptions.defaults().timeout(Duration.ofMillis(100))))
        .isInstanceOf(CallTimeoutException.class);
    // The late answer (a new Box) reaches the JVM after the timeout; its ref must not stay in the worker.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    long now;
    do {
      Thread.sleep(50);
      now = liveObjects();
    } while (now != before && System.nanoTime() < deadline);
    assertThat(now).isEqualTo(before);
  }

  @Test
  void aCallWhoseLaterArgumentFailsToEncodeKeepsNoCallback() throws Exception {
    byte[] payload = new byte[1 << 20];
    Object[] arguments = {(Function<Object, Object>) x -> payload.length, new Object()};
    WeakReference<Object> weak = new WeakReference<>(arguments[0]);
    assertThatThrownBy(() -> py.call("sb_test_helpers", "apply", arguments))
        .isInstanceOf(SerializationException.class);
    arguments[0] = null;
    for (int i = 0; i < 50 && weak.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(weak.get()).as("the lambda of a call that was never sent is not kept").isNull();
  }

  @Test
  void aRefOfAnotherRuntimeIsRefusedBeforeAnythingIsSent() {
    try (SnakeBridgeRuntime other = Workers.start(1)) {
      PyRef foreign = (PyRef) other.call("sb_test_helpers", "Box", 7);
      assertThatThrownBy(() -> py.call("builtins", "repr", foreign))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(other.toString())
          .hasMessageContaining(py.toString());
      assertThat(foreign.attr("value")).as("the ref still works in its own runtime").isEqualTo(7L);
    }
  }

  @Test
  void onlyLambdasMethodReferencesAndPyCallablesBecomePythonCallables() {
    Runnable lambda = () -> { };
    assertThat(py.call("builtins", "callable", lambda)).isEqualTo(true);
    Function<Object, Object> methodRef = String::valueOf;
    assertThat(py.call("sb_test_helpers", "apply", methodRef, 42)).isEqualTo("42");
    PyCallable callable = (args, kwargs) -> args.size();
    assertThat(py.call("sb_test_helpers", "apply", callable, 1, 2)).isEqualTo(2L);
    assertThatThrownBy(() -> py.call("builtins", "callable", new Thread()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("java.lang.Thread");
    assertThatThrownBy(() -> py.call("builtins", "callable", new java.util.concurrent.FutureTask<>(() -> 1)))
        .isInstanceOf(SerializationException.class);
  }

  @Test
  void aContextClosedWithoutCompletingNeverCommits() {
    String db = temp.resolve("t.db").toString();
    PyRef conn = (PyRef) py.call("sqlite3", "connect", db, Kwargs.kw("check_same_thread", false));
    conn.call("execute", "CREATE TABLE t (x INTEGER)");
    conn.call("commit");
    assertThatThrownBy(() -> {
      try (PyContext tx = py.enter(conn)) {
        tx.value().call("execute", "INSERT INTO t VALUES (1)");
        throw new IllegalStateException("the block fails after its insert");
      }
    }).isInstanceOf(IllegalStateException.class);
    assertThat(rows(conn)).as("the failed block was rolled back").isZero();
    try (PyContext tx = py.enter(conn)) {
      tx.value().call("execute", "INSERT INTO t VALUES (2)");
      tx.complete();
    }
    assertThat(rows(conn)).as("the completed block was committed").isEqualTo(1L);
    conn.call("close");
  }

  private static long rows(PyRef conn) {
    PyRef cursor = (PyRef) conn.call("execute", "SELECT count(*) FROM t");
    return ((Number) ((List<?>) cursor.call("fetchone")).get(0)).longValue();
  }

  @Test
  void aPushConsumerRunsInThePushersSessionAndItsCallsComplete() {
    String session = py.currentSession();
    List<String> sessions = Collections.synchronizedList(new ArrayList<>());
    List<Object> nested = Collections.synchronizedList(new ArrayList<>());
    // One worker: the stream holds it while the consumer's own calls run there too.
    long n = py.pushEach(item -> {
      sessions.add(py.currentSession());
      nested.add(py.call("operator", "add", item, 10));
    }, "sb_test_helpers", "count", 3);
    assertThat(n).isEqualTo(3);
    assertThat(nested).containsExactly(10L, 11L, 12L);
    assertThat(sessions).containsOnly(session);
  }

  @Test
  void pushHonoursThePerItemTimeoutOfItsTimeoutProfile() {
    try (SnakeBridgeRuntime rt = SnakeBridgeRuntime.create(Workers.config(1)
        .timeoutProfile("quick", Duration.ofMillis(300)).build())) {
      List<Object> items = Collections.synchronizedList(new ArrayList<>());
      assertThatThrownBy(() -> rt.pushEach(items::add, "sb_test_helpers", "slow_items", 3, 2.0,
          CallOptions.defaults().timeoutProfile("quick")))
          .isInstanceOf(CallTimeoutException.class)
          .hasMessageContaining("per-item");
      assertThat(items).isEmpty();
      // Without the profile the same stream runs to its end.
      assertThat(rt.pushEach(items::add, "sb_test_helpers", "slow_items", 2, 0.05)).isEqualTo(2);
    }
  }

  @Test
  void everyKindOfCallIsObserved() throws Exception {
    Set<String> kinds = ConcurrentHashMap.newKeySet();
    py.telemetry().attach("kinds", "call.stop", e -> kinds.add((String) e.metadata().get("kind")));
    try {
      py.call("math", "sqrt", 4);
      py.callAsync("math", "sqrt", 9).get();
      py.batch().call("math", "sqrt", 16).execute();
      py.iterator((PyRef) py.call("builtins", "iter", List.of(1, 2))).forEachRemaining(x -> { });
      py.pushEach(x -> { }, "sb_test_helpers", "count", 2);
      // call.stop of an async call or a stream may come just after its result.
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (kinds.size() < 5 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    } finally {
      py.telemetry().detach("kinds");
    }
    assertThat(kinds).containsExactlyInAnyOrder("sync", "async", "batch", "stream", "push");
  }

  @Test
  void aThreadBoundSessionKeepsThreadBoundObjectsWorking() {
    String db = temp.resolve("bound.db").toString();
    try (Session session = py.session("bound-" + System.nanoTime()).threadBound()) {
      assertThat(session.isThreadBound()).isTrue();
      // No check_same_thread=False: the connection works only in the Python thread that made it.
      PyRef conn = (PyRef) session.call("sqlite3", "connect", db);
      conn.call("execute", "CREATE TABLE t (x INTEGER)");
      for (int i = 0; i < 5; i++) {
        // A call of ~20 ms hands the worker's reading over to another thread; unbound calls would
        // then run on that one.
        py.call("sb_test_helpers", "busy_loop", 0.02);
        conn.call("execute", "INSERT INTO t VALUES (?)", List.of(i));
        session.method(conn, "commit");
      }
      assertThat(rows(conn)).isEqualTo(5L);
      conn.call("close");
    }
  }

  @Test
  void withoutBindingTheSameObjectsFailAcrossThreads() {
    PyRef conn = (PyRef) py.call("sqlite3", "connect", temp.resolve("free.db").toString());
    assertThatThrownBy(() -> {
      for (int i = 0; i < 20; i++) {
        py.call("sb_test_helpers", "busy_loop", 0.02);
        conn.call("execute", "SELECT 1");
      }
    }).isInstanceOf(PythonException.class).hasMessageContaining("same thread");
  }
}
