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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every Java snippet of docs/BEST_PRACTICES.md, compiled and run here. Each snippet lives between
 * {@code // snippet:<name>} and {@code // end-snippet}; the test below checks that the guide shows
 * exactly these lines, so the guide cannot drift from code that works.
 */
class GuideSnippetsIT {
  @AfterAll
  static void stop() {
    SnakeBridge.shutdown();
  }

  @Test
  void universalCalls() {
    // snippet:universal
    double root = SnakeBridge.call(Double.class, "math", "sqrt", 2.0);
    Object sorted = SnakeBridge.call("builtins", "sorted", List.of(3, 1, 2), Kwargs.kw("reverse", true));
    // end-snippet
    assertThat(root).isEqualTo(Math.sqrt(2));
    assertThat(sorted).isEqualTo(List.of(3L, 2L, 1L));
  }

  @Test
  void explicitSession() throws Exception {
    // snippet:session
    try (Session pipeline = SnakeBridge.session("pipeline-42")) {
      PyRef items = (PyRef) pipeline.call("collections", "deque");
      CompletableFuture<Object> other = CompletableFuture.supplyAsync(() ->
          SnakeBridge.withSession("pipeline-42", () -> items.call("extend", List.of("a", "b", "a"))));
      other.join();
      Object count = items.call("count", "a");      // 2
    }                                               // releases every ref of pipeline-42
    // end-snippet
  }

  @Test
  void errors() {
    // snippet:errors
    try {
      SnakeBridge.call("operator", "getitem", java.util.Map.of("a", 1), "b");
    } catch (PythonException e) {
      switch (e.pythonType()) {
        case "KeyError" -> System.out.println("missing key: " + e.pythonMessage());
        default -> throw e;
      }
      assertThat(e.is("LookupError")).isTrue();    // follows the Python class hierarchy
    }
    String outcome = switch (SnakeBridge.tryCall("math", "sqrt", -1)) {
      case Result.Ok(Object value) -> "root " + value;
      case Result.Err(SnakeBridgeException e) -> "failed: " + e.getMessage();
    };
    // end-snippet
    assertThat(outcome).startsWith("failed: ValueError");
  }

  @Test
  void translatedErrors() {
    // snippet:translated
    try (SnakeBridgeRuntime ml = SnakeBridgeRuntime.create(SnakeBridgeConfig.builder()
        .errorMode(ErrorMode.TRANSLATED).poolSize(1).build())) {
      PyRef a = (PyRef) ml.call("numpy", "ones", List.of(2, 3));
      PyRef b = (PyRef) ml.call("numpy", "ones", List.of(4, 5));
      try {
        ml.call("numpy", "matmul", a, b);
      } catch (ShapeMismatchException e) {
        System.out.println(e.leftShape() + " x " + e.rightShape() + ": " + e.suggestion());
      }
    }
    // end-snippet
  }

  @Test
  void iterationStyles() {
    // snippet:iteration
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
    // snippet:with
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
    // snippet:roundtrips
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
  void pitfalls() {
    // snippet:pitfall-released
    PyRef pattern = (PyRef) SnakeBridge.call("re", "compile", "a+");
    pattern.release();
    try {
      pattern.call("match", "aaa");
    } catch (RefNotFoundException e) {
      System.out.println(e.getMessage());          // names the ref and says it was released
    }
    // end-snippet
    // snippet:pitfall-bytes
    Object asText = SnakeBridge.call("builtins", "len", "héllo");                       // str: 5
    Object asBytes = SnakeBridge.call("builtins", "len", SnakeBridge.bytes("héllo"));   // bytes: 6
    // end-snippet
    assertThat(asText).isEqualTo(5L);
    assertThat(asBytes).isEqualTo(6L);
    // snippet:pitfall-generator
    PyRef squares = (PyRef) SnakeBridge.call("builtins", "map", (Function<Object, Object>) x -> (Long) x * (Long) x,
        List.of(1, 2, 3));
    long first = SnakeBridge.stream(squares).count();   // 3
    long second = SnakeBridge.stream(squares).count();  // 0: a map object, like a generator, is single-use
    // end-snippet
    assertThat(first).isEqualTo(3);
    assertThat(second).isZero();
  }

  @Test
  void theGuideShowsExactlyTheseSnippets() throws Exception {
    String source = Files.readString(Path.of("src/test/java/dev/snakebridge/examples/GuideSnippetsIT.java"),
        StandardCharsets.UTF_8);
    String guide = Files.readString(Path.of("../docs/BEST_PRACTICES.md"), StandardCharsets.UTF_8);
    Matcher snippet = Pattern.compile("// snippet:(\\S+)\\n(.*?)\\n\\s*// end-snippet", Pattern.DOTALL).matcher(source);
    int found = 0;
    while (snippet.find()) {
      found++;
      String code = dedent(snippet.group(2));
      assertThat(guide).as("docs/BEST_PRACTICES.md shows snippet '%s'", snippet.group(1)).contains(code);
    }
    assertThat(found).isGreaterThanOrEqualTo(10);
  }

  private static String dedent(String block) {
    List<String> lines = block.lines().toList();
    int indent = lines.stream().filter(l -> !l.isBlank())
        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    return String.join("\n", lines.stream().map(l -> l.length() >= indent ? l.substring(indent) : l.strip()).toList());
  }
}
