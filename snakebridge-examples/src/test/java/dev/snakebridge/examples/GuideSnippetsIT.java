package dev.snakebridge.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snakebridge.Affinity;
import dev.snakebridge.CallOptions;
import dev.snakebridge.ErrorMode;
import dev.snakebridge.Kwargs;
import dev.snakebridge.PyContext;
import dev.snakebridge.PyRef;
import dev.snakebridge.PythonException;
import dev.snakebridge.RefNotFoundException;
import dev.snakebridge.Result;
import dev.snakebridge.Session;
import dev.snakebridge.ShapeMismatchException;
import dev.snakebridge.SnakeBridge;
import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.SnakeBridgeException;
import dev.snakebridge.SnakeBridgeRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every Java block of docs/BEST_PRACTICES.md, compiled and run here with real Python workers, with the
 * result the guide states asserted.
 *
 * <p>The link between the guide and these tests, checked both ways by {@link GuideSnippetLinkTest} (a plain
 * unit test, no Python):
 *
 * <ul>
 *   <li>In the guide, each {@code ```java} block is preceded by the line {@code <!-- snippet: name -->}
 *       (invisible when the page is rendered).
 *   <li>Here, the {@code @Test} method {@code name()} runs that block: every block has its method, and
 *       every {@code @Test} method of this class has its block. One block per method.
 *   <li>The block's text is exactly the code between {@code // snippet: name} and {@code // end-snippet}
 *       in a test source of this package (usually inside {@code name()}; a whole test class in its own
 *       file), with the common indentation removed.
 * </ul>
 *
 * <p>To add a section: write the block in the guide under its {@code <!-- snippet: name -->} line, add
 * {@code void name()} here with the same code between the markers, and assert the results the guide's
 * comments state. A test that cannot pass yet (a behaviour another change brings) keeps its block and is
 * {@code @Disabled} with the reason.
 */
class GuideSnippetsIT {
  @AfterAll
  static void stop() {
    SnakeBridge.shutdown();
  }

  @Test
  void universalCalls() {
    // snippet: universalCalls
    double root = SnakeBridge.call(Double.class, "math", "sqrt", 2.0);
    Object sorted = SnakeBridge.call("builtins", "sorted", List.of(3, 1, 2), Kwargs.kw("reverse", true));
    // end-snippet
    assertThat(root).isEqualTo(Math.sqrt(2));
    assertThat(sorted).isEqualTo(List.of(3L, 2L, 1L));
  }

  @Test
  void explicitSession() {
    // snippet: explicitSession
    PyRef items;
    Object count;
    try (Session pipeline = SnakeBridge.session("pipeline-42")) {
      items = (PyRef) pipeline.call("collections", "deque");
      CompletableFuture<Object> other = CompletableFuture.supplyAsync(() ->
          SnakeBridge.withSession("pipeline-42", () -> items.call("extend", List.of("a", "b", "a"))));
      other.join();
      count = items.call("count", "a");             // 2: the other thread's work is visible here
    }                                               // releases every ref of pipeline-42
    boolean gone = items.isReleased();              // true
    // end-snippet
    assertThat(count).isEqualTo(2L);
    assertThat(items.sessionId()).isEqualTo("pipeline-42");
    assertThat(gone).isTrue();
  }

  @Test
  void errors() {
    // snippet: errors
    String missing = null;
    boolean lookupError = false;
    try {
      SnakeBridge.call("operator", "getitem", Map.of("a", 1), "b");
    } catch (PythonException e) {
      switch (e.pythonType()) {
        case "KeyError" -> missing = e.pythonMessage();   // "'b'"
        default -> throw e;
      }
      lookupError = e.is("LookupError");                // true: follows the Python class hierarchy
    }
    String outcome = switch (SnakeBridge.tryCall("math", "sqrt", -1)) {
      case Result.Ok(Object value) -> "root " + value;
      case Result.Err(SnakeBridgeException e) -> "failed: " + e.getMessage();
    };                                                  // "failed: ValueError: math domain error (in math.sqrt)"
    // end-snippet
    assertThat(missing).isEqualTo("'b'");
    assertThat(lookupError).isTrue();
    assertThat(outcome).isEqualTo("failed: ValueError: math domain error (in math.sqrt)");
  }

  @Test
  void translatedErrors() {
    // snippet: translatedErrors
    String explained = null;
    try (SnakeBridgeRuntime ml = SnakeBridgeRuntime.create(SnakeBridgeConfig.builder()
        .errorMode(ErrorMode.TRANSLATED).poolSize(1).build())) {
      PyRef a = (PyRef) ml.call("numpy", "ones", List.of(2, 3));
      PyRef b = (PyRef) ml.call("numpy", "ones", List.of(4, 5));
      try {
        ml.call("numpy", "matmul", a, b);
      } catch (ShapeMismatchException e) {
        explained = e.leftShape() + " x " + e.rightShape() + ": " + e.suggestion();
      }
    }
    // "[2, 3] x [4, 5]: transpose the second operand or reshape so inner dimensions match (3 vs 4)"
    // end-snippet
    assertThat(explained).startsWith("[2, 3] x [4, 5]: ").contains("(3 vs 4)");
  }

  @Test
  void iterationStyles() {
    // snippet: iterationStyles
    // < ~1,000 items: one call that returns a list
    List<?> small = (List<?>) SnakeBridge.call("builtins", "list", SnakeBridge.call("builtins", "range", 100));
    // up to ~100,000: a lazy stream, fetched in growing batches
    PyRef range = (PyRef) SnakeBridge.call("builtins", "range", 100_000);
    long sum = SnakeBridge.stream(range).mapToLong(o -> (Long) o).sum();
    // more: push streaming, no request per item, backpressure by demand
    AtomicLong count = new AtomicLong();
    SnakeBridge.pushEach(item -> count.incrementAndGet(), "itertools", "repeat", "x", 200_000);
    // end-snippet
    assertThat(small).hasSize(100);
    assertThat(sum).isEqualTo(99_999L * 100_000 / 2);
    assertThat(count.get()).isEqualTo(200_000);
  }

  @Test
  void contextManagers() throws Exception {
    Path file = Files.createTempFile("guide", ".txt");
    String path = file.toString();
    // snippet: contextManagers
    PyRef handle = (PyRef) SnakeBridge.call("builtins", "open", path, "w");
    SnakeBridge.withPython(handle, f -> f.call("write", "written in a with block"));
    // the file is closed here, even if the body threw
    try (PyContext ctx = SnakeBridge.enter((PyRef) SnakeBridge.call("builtins", "open", path, "a"))) {
      ctx.value().call("write", "!");
    }
    // end-snippet
    assertThat(Files.readString(file)).isEqualTo("written in a with block!");
  }

  @Test
  void fewerRoundTrips() throws Exception {
    // snippet: fewerRoundTrips
    // 100 independent calls in flight at once instead of one after another
    List<CompletableFuture<Object>> futures = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      futures.add(SnakeBridge.callAsync("math", "factorial", i));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    // a call may say how long it may take and where it may run
    CallOptions quick = CallOptions.defaults().timeout(java.time.Duration.ofSeconds(2)).affinity(Affinity.HINT);
    SnakeBridge.call("time", "sleep", 0.01, quick);
    // end-snippet
    assertThat(futures.get(5).get()).isEqualTo(120L);
  }

  @Test
  void pitfallReleasedRef() {
    // snippet: pitfallReleasedRef
    PyRef pattern = (PyRef) SnakeBridge.call("re", "compile", "a+");
    pattern.release();
    String why = null;
    try {
      pattern.call("match", "aaa");
    } catch (RefNotFoundException e) {
      why = e.getMessage();                           // "ref … (re.Pattern) is gone: released by releaseRef"
    }
    // end-snippet
    assertThat(why).isEqualTo("ref " + pattern.id() + " (re.Pattern) is gone: released by releaseRef");
  }

  @Test
  void pitfallBytes() {
    // snippet: pitfallBytes
    Object asText = SnakeBridge.call("builtins", "len", "héllo");                       // str: 5
    Object asBytes = SnakeBridge.call("builtins", "len", SnakeBridge.bytes("héllo"));   // bytes: 6
    // end-snippet
    assertThat(asText).isEqualTo(5L);
    assertThat(asBytes).isEqualTo(6L);
  }

  @Test
  void pitfallGenerator() {
    // snippet: pitfallGenerator
    PyRef squares = (PyRef) SnakeBridge.call("builtins", "map", (Function<Object, Object>) x -> (Long) x * (Long) x,
        List.of(1, 2, 3));
    long first = SnakeBridge.stream(squares).count();   // 3
    long second = SnakeBridge.stream(squares).count();  // 0: a map object, like a generator, is single-use
    // end-snippet
    assertThat(first).isEqualTo(3);
    assertThat(second).isZero();
  }
}
