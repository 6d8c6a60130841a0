package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Context managers and Python calling Java, against real workers. */
class ContextAndCallbacksIT {
  static SnakeBridgeRuntime py;
  @TempDir Path temp;

  @BeforeAll
  static void start() {
    py = Workers.start(2);
  }

  @AfterAll
  static void stop() {
    py.close();
  }

  @Test
  void aFileOpenedInWithIsClosedWhenTheBlockEnds() throws Exception {
    Path file = temp.resolve("out.txt");
    PyRef handle = (PyRef) py.call("builtins", "open", file.toString(), "w");
    Object written = py.withPython(handle, f -> f.call("write", "hello from java"));
    assertThat(written).isEqualTo(15L);
    assertThat(handle.attr("closed")).isEqualTo(true);
    assertThat(Files.readString(file)).isEqualTo("hello from java");
    PyRef again = (PyRef) py.call("builtins", "open", file.toString(), "a");
    try (PyContext ctx = py.enter(again)) {
      ctx.value().call("write", "!");
    }
    assertThat(again.attr("closed")).isEqualTo(true);
    assertThat(Files.readString(file)).isEqualTo("hello from java!");
  }

  @Test
  void exitSeesTheExceptionAndMaySuppressIt() {
    PyRef suppressing = (PyRef) py.call("sb_test_helpers", "Recorder", true);
    Object result = py.withPython(suppressing, value -> {
      throw new IllegalStateException("boom in java");
    });
    assertThat(result).isNull();
    List<?> seen = (List<?>) py.callHelper("sb_test_helpers.last_exit");
    assertThat(seen.get(0)).isEqualTo("JavaException");
    assertThat((String) seen.get(1)).startsWith("java.lang.IllegalStateException: boom in java");
    PyRef strict = (PyRef) py.call("sb_test_helpers", "Recorder", false);
    assertThatThrownBy(() -> py.withPython(strict, value -> py.call("math", "sqrt", -1)))
        .isInstanceOf(PythonException.class);
    assertThat(py.callHelper("sb_test_helpers.last_exit")).isEqualTo(List.of("ValueError", "math domain error"));
    String typeName = py.withPython(strict, value -> value.typeName());
    assertThat(typeName).isEqualTo("builtins.int");
    assertThat(py.callHelper("sb_test_helpers.last_exit")).isNull();
  }

  @Test
  void javaFunctionsOfEveryShapeArePythonCallables() {
    Function<Object, Object> twice = x -> ((Long) x) * 2;
    BiFunction<Object, Object, Object> add = (a, b) -> (Long) a + (Long) b;
    Supplier<Object> answer = () -> 42;
    List<Object> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    Consumer<Object> sink = seen::add;
    PyCallable keywords = (args, kwargs) -> args.get(0) + "/" + kwargs.get("sep") + "/" + kwargs.keySet();
    assertThat(py.callHelper("sb_test_helpers.apply", twice, 21)).isEqualTo(42L);
    assertThat(py.callHelper("sb_test_helpers.apply", add, 2, 3)).isEqualTo(5L);
    assertThat(py.callHelper("sb_test_helpers.apply", answer)).isEqualTo(42L);
    assertThat(py.callHelper("sb_test_helpers.apply", sink, "x")).isNull();
    assertThat(seen).containsExactly("x");
    assertThat(py.callHelper("sb_test_helpers.apply", keywords, "a", Kwargs.kw("sep", "-").and("z", 1)))
        .isEqualTo("a/-/[sep, z]");
    assertThat(py.call("builtins", "list", py.call("builtins", "map", twice, List.of(1, 2, 3))))
        .isEqualTo(List.of(2L, 4L, 6L));
  }

  @Test
  void callbacksNestTenDeep() {
    PyCallable[] self = new PyCallable[1];
    self[0] = (args, kwargs) -> {
      long depth = (Long) args.get(0);
      return depth == 0 ? "bottom" : py.callHelper("sb_test_helpers.nest", self[0], depth - 1);
    };
    assertThat(py.callHelper("sb_test_helpers.nest", self[0], 10)).isEqualTo("bottom");
  }

  @Test
  void eightPythonThreadsCallBackAtOnce() {
    Function<Object, Object> square = x -> {
      long v = (Long) x;
      return py.call("math", "pow", v, 2);
    };
    Object results = py.callHelper("sb_test_helpers.call_concurrently", square, 8);
    assertThat(results).isEqualTo(List.of(0.0, 1.0, 4.0, 9.0, 16.0, 25.0, 36.0, 49.0));
  }

  @Test
  void aCallbackRunsInTheSessionOfTheCallThatInvokedIt() {
    String outer = py.withSession("cb-session", () -> (String) py.callHelper("sb_test_helpers.apply",
        (Supplier<Object>) py::currentSession));
    assertThat(outer).isEqualTo("cb-session");
  }

  @Test
  void registeredCallbacksAreReachableByNameAndMayInvokeEachOther() {
    py.registerCallback("double", (Function<Object, Object>) x -> (Long) x * 2);
    py.registerCallback("quadruple", (Function<Object, Object>) x ->
        py.callHelper("sb_test_helpers.invoke_named", "double", py.callHelper("sb_test_helpers.invoke_named", "double", x)));
    assertThat(py.callHelper("sb_test_helpers.invoke_named", "quadruple", 5)).isEqualTo(20L);
    assertThat(py.invokeCallback("double", 4L)).isEqualTo(8L);
    assertThat(py.unregisterCallback("double")).isTrue();
    PythonException gone = catchThrowableOfType(PythonException.class,
        () -> py.callHelper("sb_test_helpers.invoke_named", "double", 1));
    assertThat(gone.pythonType()).isEqualTo("JavaException");
    assertThat(gone.pythonMessage()).contains("no callback is registered under the name 'double'");
  }

  @Test
  void anExceptionCrossesTheBoundaryTwice() {
    IllegalArgumentException original = new IllegalArgumentException("bad input from java");
    Supplier<Object> failing = () -> {
      throw original;
    };
    List<?> caught = (List<?>) py.callHelper("sb_test_helpers.catch_java", failing);
    assertThat(caught.get(0)).isEqualTo("JavaException");
    assertThat(caught.get(1)).isEqualTo("java.lang.IllegalArgumentException");
    assertThat((String) caught.get(2)).startsWith("java.lang.IllegalArgumentException: bad input from java");
    PythonException e = catchThrowableOfType(PythonException.class, () -> py.callHelper("sb_test_helpers.apply", failing));
    assertThat(e.pythonType()).isEqualTo("JavaException");
    assertThat(e.pythonMessage()).contains("java.lang.IllegalArgumentException: bad input from java");
    assertThat(e.getCause()).isSameAs(original);
  }

  /**
   * A Java function passed to Python is held by the runtime until Python lets go of it, not until its
   * session ends: a loop that passes lambdas in one long-lived session must not accumulate them.
   */
  @Test
  void aCallbackPythonLetGoOfIsNoLongerHeldByTheRuntime() throws Exception {
    try (Session s = py.session("callback-drops")) {
      List<WeakReference<Object>> passed = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        long k = i;
        Function<Object, Object> f = x -> k; // a new object each round
        passed.add(new WeakReference<>(f));
        assertThat(s.callHelper("sb_test_helpers.apply", f, 0)).isEqualTo(k);
      }
      String word = "kept";
      Function<Object, Object> kept = x -> word; // capturing: a lambda without captures is a constant
      WeakReference<Object> keptRef = new WeakReference<>(kept);
      PyRef holder = (PyRef) s.call("functools", "partial", kept);
      kept = null;
      s.call("math", "sqrt", 4.0); // the answer that carries the last drops
      assertThat(awaitCollected(passed)).as("lambdas Python dropped, still reachable").isZero();
      assertThat(keptRef.get()).as("a lambda Python still holds").isNotNull();
      assertThat(s.callHelper("sb_test_helpers.apply", holder, 1)).isEqualTo("kept");
      holder.release();
      s.call("math", "sqrt", 4.0);
      assertThat(awaitCollected(List.of(keptRef))).isZero();
    }
  }

  /** Collects garbage until every reference is cleared or 10 s passed; returns how many are not. */
  private static long awaitCollected(List<WeakReference<Object>> refs) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    long left;
    do {
      System.gc();
      Thread.sleep(20);
      left = refs.stream().filter(r -> r.get() != null).count();
    } while (left > 0 && System.nanoTime() < deadline);
    return left;
  }

  @Test
  void aCallbackOfAReleasedSessionFailsClearly() {
    PyRef partial = py.withSession("short-lived", () ->
        (PyRef) py.call("functools", "partial", (Function<Object, Object>) x -> x));
    PyRef box = py.withSession("keeper", () -> (PyRef) py.call("sb_test_helpers", "Box", partial));
    py.session("short-lived").close();
    assertThat(partial.isReleased()).isTrue();
    PythonException e = catchThrowableOfType(PythonException.class, () -> py.withSession("keeper", () ->
        py.callHelper("sb_test_helpers.apply", box.attr("value"), 1)));
    assertThat(e.pythonType()).isEqualTo("JavaException");
    assertThat(e.pythonMessage()).contains("the session that passed it was released");
    py.session("keeper").close();
  }
}
