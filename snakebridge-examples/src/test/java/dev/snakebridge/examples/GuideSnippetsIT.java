package dev.snakebridge.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.snakebridge.CallOptions;
import dev.snakebridge.ErrorMode;
import dev.snakebridge.Kwargs;
import dev.snakebridge.PoolConfig;
import dev.snakebridge.PoolStats;
import dev.snakebridge.PyContext;
import dev.snakebridge.PyRef;
import dev.snakebridge.PyTuple;
import dev.snakebridge.PythonException;
import dev.snakebridge.RefNotFoundException;
import dev.snakebridge.Result;
import dev.snakebridge.Session;
import dev.snakebridge.ShapeMismatchException;
import dev.snakebridge.SnakeBridge;
import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.SnakeBridgeException;
import dev.snakebridge.SnakeBridgeRuntime;
import dev.snakebridge.TelemetryEvent;
import dev.snakebridge.WorkerProfile;
import dev.snakebridge.junit.SnakeBridgeTest;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

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
 *       in a test source of this package (usually inside {@code name()}; a whole test class, such as
 *       {@link WordCountTest}, in its own file), with the common indentation removed.
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
  void extractBeforeRelease() {
    // snippet: extractBeforeRelease
    double[] values;
    PyTuple shape;
    double mean;
    PyRef array;
    try (Session scratch = SnakeBridge.session("scratch")) {
      array = (PyRef) scratch.call("numpy", "arange", 6.0);
      values = SnakeBridge.toNDArray(array).toDoubleArray();     // a Java copy of the numbers
      shape = (PyTuple) array.attr("shape");                     // plain data crosses by value: (6,)
      mean = scratch.call(Double.class, "numpy", "mean", array); // 2.5
    }
    // values, shape and mean are Java values and stay; the array went with its session
    String why = null;
    try {
      array.attr("shape");
    } catch (RefNotFoundException e) {
      why = e.getMessage();                         // "ref … (numpy.ndarray) is gone: its session scratch was released …"
    }
    // end-snippet
    assertThat(values).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(shape).isEqualTo(PyTuple.of(6L));
    assertThat(mean).isEqualTo(2.5);
    assertThat(why).isEqualTo("ref " + array.id() + " (numpy.ndarray) is gone: its session scratch was released (closed)");
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
  void helpers() {
    // snippet: helpers
    // src/main/resources/snakebridge/helpers/guide_stats.py, found on the classpath
    Object summary = SnakeBridge.callHelper("guide_stats.summary", List.of(2.0, 4.0, 4.0, 5.0));
    // {n=4, mean=3.75, stdev=1.2583…}: three steps in Python, one round trip
    Object greeting;
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(SnakeBridgeConfig.builder()
        .addHelperPath(Path.of("python/helpers"))       // a directory of helper modules
        .poolSize(1).build())) {
      greeting = py.callHelper("greetings.hello", "Ann"); // "hello, Ann"
    }
    // end-snippet
    assertThat(summary).isInstanceOfSatisfying(Map.class, m -> {
      assertThat(m.get("n")).isEqualTo(4L);
      assertThat(m.get("mean")).isEqualTo(3.75);
      assertThat((Double) m.get("stdev")).isCloseTo(1.2583, org.assertj.core.data.Offset.offset(1e-4));
    });
    assertThat(greeting).isEqualTo("hello, Ann");
  }

  @Test
  void batches() {
    // snippet: batches
    PyRef words = (PyRef) SnakeBridge.call("re", "compile", "\\w+");
    List<Result> results = SnakeBridge.batch()
        .call("math", "sqrt", 16)
        .call("math", "log", -1)                       // ValueError: fails alone, the others still run
        .method(words, "findall", "one two three")
        .get("math", "pi")
        .execute();                                    // one round trip; one Result per call, in order
    Object root = results.get(0).getOrThrow();         // 4.0
    Object found = results.get(2).getOrThrow();        // [one, two, three]
    String failure = switch (results.get(1)) {
      case Result.Ok(Object value) -> "no error";
      case Result.Err(SnakeBridgeException e) -> e.getMessage();   // "ValueError: math domain error (in math.log)"
    };
    // end-snippet
    assertThat(results).hasSize(4);
    assertThat(root).isEqualTo(4.0);
    assertThat(found).isEqualTo(List.of("one", "two", "three"));
    assertThat(failure).isEqualTo("ValueError: math domain error (in math.log)");
    assertThat(((Result.Err) results.get(1)).exception()).isInstanceOf(PythonException.class);
    assertThat(results.get(3).getOrThrow()).isEqualTo(Math.PI);
  }

  @Test
  void asyncCalls() {
    // snippet: asyncCalls
    // independent calls in flight at once, spread over the pool; no thread waits per call
    List<CompletableFuture<Object>> futures = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      futures.add(SnakeBridge.callAsync("math", "factorial", i));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    Object factorial5 = futures.get(5).join();         // 120
    // a Python error completes the future exceptionally
    String outcome = SnakeBridge.callAsync("math", "sqrt", -1)
        .handle((root, error) -> error == null ? "root " + root : "failed: " + error.getMessage())
        .join();                                       // "failed: ValueError: math domain error (in math.sqrt)"
    // end-snippet
    assertThat(factorial5).isEqualTo(120L);
    assertThat(futures.get(20).join()).isEqualTo(2_432_902_008_176_640_000L);
    assertThat(outcome).isEqualTo("failed: ValueError: math domain error (in math.sqrt)");
  }

  @Test
  void asyncTelemetry() throws Exception {
    try {
      // snippet: asyncTelemetry
      LongAdder finished = new LongAdder();
      SnakeBridge.telemetry().attach("count-calls", "call.stop", event -> finished.increment());
      Object value = SnakeBridge.callAsync("math", "factorial", 10).join();   // 3628800
      // finished counts this call: async calls emit call.start and call.stop (or call.exception) too
      // end-snippet
      assertThat(value).isEqualTo(3_628_800L);
      awaitUntil(() -> finished.sum() >= 1);
      assertThat(finished.sum()).isEqualTo(1);
    } finally {
      SnakeBridge.telemetry().detach("count-calls");
    }
  }

  @Test
  void poolSizing() {
    // snippet: poolSizing
    int cores = Runtime.getRuntime().availableProcessors();
    SnakeBridgeConfig config = SnakeBridgeConfig.builder()
        .poolSize(cores)                               // "default": CPU-bound work, one process per core
        .pool(PoolConfig.builder("io").size(2)         // I/O-bound work: few processes, many calls each
            .profile(WorkerProfile.THREAD).threadsPerWorker(16).build())
        .build();
    PoolStats stats;
    Object cpuBlasThreads;
    Object ioBlasThreads;
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(config)) {
      cpuBlasThreads = py.call("os", "getenv", "OPENBLAS_NUM_THREADS");   // "1" under PROCESS
      ioBlasThreads = py.call("os", "getenv", "OPENBLAS_NUM_THREADS", CallOptions.defaults().pool("io"));
      stats = py.stats();
    }
    int cpuWorkers = stats.pool("default").workers();  // cores
    int ioWorkers = stats.pool("io").workers();        // 2
    // end-snippet
    assertThat(cpuWorkers).isEqualTo(cores);
    assertThat(ioWorkers).isEqualTo(2);
    assertThat(stats.pools().keySet()).containsExactlyInAnyOrder("default", "io");
    // PROCESS pins the BLAS libraries to one thread unless the JVM's environment already says otherwise.
    String inherited = System.getenv("OPENBLAS_NUM_THREADS");
    assertThat(cpuBlasThreads).isEqualTo(inherited == null ? "1" : inherited);
    assertThat(ioBlasThreads).isEqualTo(inherited);
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
      ctx.complete();
    }
    // end-snippet
    assertThat(Files.readString(file)).isEqualTo("written in a with block!");
  }

  @Test
  void tryWithResources() {
    // snippet: tryWithResources
    PyRef db = (PyRef) SnakeBridge.call("sqlite3", "connect", ":memory:", Kwargs.kw("check_same_thread", false));
    db.call("execute", "CREATE TABLE orders (id INTEGER)");
    try (PyContext tx = SnakeBridge.enter(db)) {
      tx.value().call("execute", "INSERT INTO orders VALUES (1)");
      tx.complete();                                   // committed by __exit__
    }
    try (PyContext tx = SnakeBridge.enter(db)) {
      tx.value().call("execute", "INSERT INTO orders VALUES (2)");
      checkStock(2);                                   // throws: out of stock
      tx.complete();
    } catch (IllegalStateException e) {
      // never reached complete(): __exit__ saw a JavaException and rolled back
    }
    PyRef cursor = (PyRef) db.call("execute", "SELECT count(*) FROM orders");
    Object count = ((List<?>) cursor.call("fetchone")).get(0);   // 1
    // end-snippet
    assertThat(count).isEqualTo(1L);
  }

  @Test
  void threadBound() {
    // snippet: threadBound
    Object count;
    try (Session db = SnakeBridge.session("orders-db").threadBound()) {
      PyRef conn = (PyRef) db.call("sqlite3", "connect", ":memory:");   // no check_same_thread=False
      conn.call("execute", "CREATE TABLE t (x INTEGER)");
      for (int i = 0; i < 3; i++) {
        SnakeBridge.call("time", "sleep", 0.01);       // meanwhile the worker's reading moves between threads
        conn.call("execute", "INSERT INTO t VALUES (?)", List.of(i));
      }
      PyRef rows = (PyRef) conn.call("execute", "SELECT count(*) FROM t");
      count = ((List<?>) rows.call("fetchone")).get(0);                   // 3
    }
    // end-snippet
    assertThat(count).isEqualTo(3L);
  }

  /** The guide's stand-in for a check that fails inside a transaction. */
  private static void checkStock(int orderId) {
    throw new IllegalStateException("out of stock for order " + orderId);
  }

  @Test
  void cleanupErrors() throws Exception {
    // A short cleanup timeout, so that a worker kept busy for a few seconds misses it.
    SnakeBridgeConfig config = SnakeBridgeConfig.builder().poolSize(1).sessionCleanupTimeout(Duration.ofMillis(200)).build();
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(config)) {
      // snippet: cleanupErrors
      List<String> alerts = new CopyOnWriteArrayList<>();
      py.telemetry().attach("cleanup-errors", "session.cleanup.error", event -> alerts.add(
          "objects of session " + event.metadata().get("session") + " may still live in worker "
              + event.metadata().get("worker") + ": " + event.metadata().get("error")));
      // end-snippet
      CompletableFuture<TelemetryEvent> holding = new CompletableFuture<>();
      py.telemetry().attach("holding", "guide.gil_held", holding::complete);
      Session report = py.session("report-7");
      report.call("collections", "deque");
      // The worker holds the GIL for 3 s, so it cannot answer the release of report-7 within 200 ms.
      CompletableFuture<Object> busy = report.callAsync("guide_test_support", "hold_gil", 3);
      holding.get(60, TimeUnit.SECONDS);
      report.close();
      awaitUntil(() -> !alerts.isEmpty());
      assertThat(alerts).singleElement().asString()
          .startsWith("objects of session report-7 may still live in worker default-w0: ")
          .contains("TimeoutException");
      assertThat(busy.get(60, TimeUnit.SECONDS)).isEqualTo(3L);
    }
  }

  @Test
  void testing() {
    EngineExecutionResults shown = runUnderTestKit(WordCountTest.class);
    assertThat(shown.testEvents().succeeded().count()).isEqualTo(1);
    assertThat(shown.testEvents().failed().count()).isZero();

    EngineExecutionResults leaking = runUnderTestKit(LeakingWordCountTest.class);
    assertThat(leaking.testEvents().failed().count()).isEqualTo(1);
    Throwable failure = leaking.testEvents().failed().list().get(0)
        .getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class).getThrowable().orElseThrow();
    assertThat(failure).hasMessageContaining("1 Python ref was still live in the test's session");
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

  /** {@link WordCountTest} without its release: the extension's leak check fails it, as the guide says. */
  @RunByGuideTest
  @SnakeBridgeTest
  static class LeakingWordCountTest {
    static PyRef words;
    static PyRef kept;

    @BeforeAll
    static void compile() {
      words = (PyRef) SnakeBridge.call("re", "compile", "\\w+");
    }

    @Test
    void findsTheFirstWord() {
      PyRef match = (PyRef) words.call("search", "  hello world");
      assertThat(match.call("group")).isEqualTo("hello");
      kept = match; // reachable, so that the garbage collector cannot release it before the check
    }
  }

  /** Marks a sample test class: it runs only under {@link #runUnderTestKit}, never on its own. */
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @ExtendWith(OnlyUnderTestKit.class)
  @interface RunByGuideTest {}

  private static final String UNDER_TEST_KIT = "snakebridge.guide.samples";

  static final class OnlyUnderTestKit implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context.getConfigurationParameter(UNDER_TEST_KIT).isPresent()
          ? ConditionEvaluationResult.enabled("run by GuideSnippetsIT")
          : ConditionEvaluationResult.disabled("an example of docs/BEST_PRACTICES.md, run by GuideSnippetsIT.testing");
    }
  }

  private static EngineExecutionResults runUnderTestKit(Class<?> testClass) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameter(UNDER_TEST_KIT, "true")
        .selectors(selectClass(testClass))
        .execute();
  }

  /** Waits (up to a minute, not a timing assertion) for something that happens in the background. */
  private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }
}
