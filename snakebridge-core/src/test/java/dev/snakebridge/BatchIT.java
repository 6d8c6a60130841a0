package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Several calls in one round trip, in order, each failure isolated. */
class BatchIT {
  static SnakeBridgeRuntime py;

  @BeforeAll
  static void start() {
    py = Workers.start(2);
  }

  @AfterAll
  static void stop() {
    py.close();
  }

  @Test
  void resultsInOrderWithFailuresIsolated() {
    PyRef pattern = (PyRef) py.call("re", "compile", "a+");
    PyRef released = (PyRef) py.call("re", "compile", "b");
    released.release();
    List<Result> results = py.batch()
        .call("math", "sqrt", 16)
        .call("math", "log", -1)
        .method(pattern, "findall", "caab")
        .attr(pattern, "pattern")
        .get("math", "pi")
        .method(released, "findall", "b")
        .call("math", "sqrt", new Object())
        .invoke((PyRef) py.call("functools", "partial", py.get("operator", "mul"), 6), 7)
        .callHelper("sb_test_helpers.echo_args", 1, Kwargs.kw("k", "v"))
        .call("fractions", "Fraction", 1, 3)
        .execute();
    assertThat(results).hasSize(10);
    assertThat(results.get(0)).isEqualTo(new Result.Ok(4.0));
    assertThat(((Result.Err) results.get(1)).exception()).isInstanceOf(PythonException.class)
        .hasMessageContaining("math domain error");
    assertThat(((PythonException) ((Result.Err) results.get(1)).exception()).pythonType()).isEqualTo("ValueError");
    assertThat(results.get(2).getOrThrow()).isEqualTo(List.of("aa"));
    assertThat(results.get(3).getOrThrow()).isEqualTo("a+");
    assertThat(results.get(4).getOrThrow()).isEqualTo(Math.PI);
    assertThat(((Result.Err) results.get(5)).exception()).isInstanceOf(RefNotFoundException.class);
    assertThat(((Result.Err) results.get(6)).exception()).isInstanceOf(SerializationException.class);
    assertThat(results.get(7).getOrThrow()).isEqualTo(42L);
    assertThat(results.get(8).isOk()).isTrue();
    PyRef fraction = (PyRef) results.get(9).getOrThrow();
    assertThat(fraction.typeName()).isEqualTo("fractions.Fraction");
    assertThat(fraction.str()).isEqualTo("1/3");
    assertThat(fraction.sessionId()).isEqualTo(py.currentSession());
  }

  @Test
  void callsRunInOrderOnOneWorker() {
    PyRef list = (PyRef) py.call("collections", "deque");
    Batch batch = py.batch();
    for (int i = 0; i < 100; i++) {
      batch.method(list, "append", i);
    }
    List<Result> results = batch.method(list, "__len__").execute();
    assertThat(results).hasSize(101).allMatch(Result::isOk);
    assertThat(results.get(100).getOrThrow()).isEqualTo(100L);
    assertThat(list.call("__getitem__", 99)).isEqualTo(99L);
    assertThat(batch.size()).isEqualTo(101);
    assertThat(py.batch().execute()).isEmpty();
  }

  @Test
  void perCallArraysOptionAndWholeBatchFailures() {
    List<Result> results = py.batch()
        .call("numpy", "arange", 3, CallOptions.defaults().arraysAsNDArray())
        .call("numpy", "arange", 3)
        .execute();
    assertThat(((NDArray) results.get(0).getOrThrow()).toLongArray()).containsExactly(0, 1, 2);
    assertThat(results.get(1).getOrThrow()).isInstanceOf(PyRef.class);

    List<Result> timedOut = py.batch()
        .call("time", "sleep", 1)
        .call("math", "sqrt", 4)
        .options(CallOptions.defaults().timeout(java.time.Duration.ofMillis(300)))
        .execute();
    assertThat(timedOut).hasSize(2).allMatch(r -> r instanceof Result.Err e && e.exception() instanceof CallTimeoutException);
  }

  @Test
  void sessionsBatchInTheirSession() {
    try (Session s = py.session("batch-session")) {
      List<Result> results = s.batch().call("fractions", "Fraction", 1, 2).execute();
      assertThat(((PyRef) results.get(0).getOrThrow()).sessionId()).isEqualTo("batch-session");
    }
  }

  @Test
  void facadeBatch() {
    SnakeBridge.configure(Workers.config(1).build());
    try {
      assertThat(SnakeBridge.batch().call("math", "sqrt", 9).execute()).containsExactly(new Result.Ok(3.0));
    } finally {
      SnakeBridge.shutdown();
    }
  }
}
