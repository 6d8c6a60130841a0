package dev.snakebridge.examples;

import dev.snakebridge.Kwargs;
import dev.snakebridge.PyRef;
import dev.snakebridge.PythonException;
import dev.snakebridge.Result;
import dev.snakebridge.SnakeBridge;
import dev.snakebridge.SnakeBridgeException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The README's demo: real Python through local worker processes (the default runtime). Uses only the
 * standard library, and numpy when the interpreter has it.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) {
    long start = System.nanoTime();
    show("math.sqrt(16)", SnakeBridge.call("math", "sqrt", 16));
    System.out.printf("  (pool started and first call answered in %d ms)%n", (System.nanoTime() - start) / 1_000_000);
    show("math.pi", SnakeBridge.get("math", "pi"));
    show("sorted([3, 1, 2], reverse=True)",
        SnakeBridge.call("builtins", "sorted", List.of(3, 1, 2), Kwargs.kw("reverse", true)));
    show("int factorial(25) as BigInteger", SnakeBridge.call("math", "factorial", 25));
    show("date + timedelta", SnakeBridge.call("operator", "add", LocalDate.of(2024, 2, 28), Duration.ofDays(2)));
    show("json.dumps(dict)", SnakeBridge.call("json", "dumps", Map.of("answer", 42)));

    show("Counter (a dict subclass: by value)",
        SnakeBridge.call("collections", "Counter", List.of("a", "b", "a", "c", "a")));
    PyRef pattern = (PyRef) SnakeBridge.call("re", "compile", "(\\w+)@(\\w+)");
    show("re.compile(...) stays in Python", pattern);
    show("pattern.findall(...)", pattern.call("findall", "ann@home bob@work"));
    pattern.release();

    try {
      SnakeBridge.call("math", "sqrt", -1);
    } catch (PythonException e) {
      show("math.sqrt(-1) raised", e.pythonType() + " — " + e.pythonMessage());
    }
    String outcome = switch (SnakeBridge.tryCall("json", "loads", "{not json")) {
      case Result.Ok(Object value) -> "parsed " + value;
      case Result.Err(SnakeBridgeException e) -> "failed: " + e.getMessage().lines().findFirst().orElse("");
    };
    show("tryCall json.loads", outcome);

    if (SnakeBridge.call("importlib.util", "find_spec", "numpy") != null) {
      PyRef matrix = (PyRef) SnakeBridge.call("numpy", "array", List.of(List.of(1.0, 2.0), List.of(3.0, 4.0)));
      show("numpy matrix", matrix);
      show("numpy.linalg.det", SnakeBridge.call("numpy.linalg", "det", matrix));
      show("numpy.mean(double[])", SnakeBridge.call("numpy", "mean", new double[] {1, 2, 3, 4}));
    } else {
      System.out.println("  (numpy is not installed for this interpreter: set SNAKEBRIDGE_PYTHON to one that has it)");
    }
    System.out.println("done.");
  }

  private static void show(String what, Object value) {
    System.out.printf("%-34s → %s%n", what, value);
  }
}
