package dev.snakebridge.internal.environment;

import dev.snakebridge.PythonException;
import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.SnakeBridgeException;
import dev.snakebridge.internal.telemetry.Logs;
import dev.snakebridge.internal.worker.InterpreterResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * The start-up check: does the interpreter hold what the lock says the project environment holds? One
 * query in the first worker ({@code snakebridge.environment.describe}), its answer cached per interpreter
 * and expectation for the life of the JVM. A missing package or a different version is one warning that
 * names each package, the version wanted and found, the interpreter, and the fix; in strict mode it is a
 * {@link SnakeBridgeException}. An interpreter older than 3.9 is always an error. Thread-safe.
 */
public final class EnvironmentCheck {
  /** The oldest Python the worker supports. */
  public static final int MIN_MINOR = 9;
  private static final Map<String, List<String>> CHECKED = new ConcurrentHashMap<>();

  /** Sends the query to a worker: {@code module.function(args)}, the answer as decoded by the runtime. */
  @FunctionalInterface
  public interface Query {
    Object call(String module, String function, Object... args);
  }

  private EnvironmentCheck() {}

  /**
   * The check a new runtime makes: nothing when no project environment is on the classpath; else against
   * the default pool's interpreter. A query that fails for another reason than a mismatch is logged, not
   * thrown, unless strict.
   *
   * @throws SnakeBridgeException as {@link #run} does
   */
  public static void atStartup(SnakeBridgeConfig config, Query query) {
    Optional<ProjectEnvironment> expected = ProjectEnvironment.find();
    if (expected.isEmpty() || (expected.get().packages().isEmpty() && expected.get().wrappers().isEmpty())) {
      return;
    }
    var interpreter = InterpreterResolver.resolve(config.pythonExecutable(), System.getenv(), expected);
    try {
      run(expected.get(), interpreter.executable(), interpreter.source(), config.strictEnvironment(), query);
    } catch (PythonException e) {
      if (config.strictEnvironment()) {
        throw new SnakeBridgeException("cannot check the Python environment of " + interpreter.executable() + ": "
            + e.getMessage(), e);
      }
      log().warn("cannot check the Python environment of {}: {}", interpreter.executable(), e.getMessage());
    }
  }

  /**
   * Runs the check for {@code interpreter} (described as {@code interpreterSource}) against {@code expected}.
   *
   * @return the problems found (empty when all is well); they have been logged as one warning
   * @throws SnakeBridgeException when {@code strict} and there are problems, or the interpreter is too old
   */
  public static List<String> run(ProjectEnvironment expected, String interpreter, String interpreterSource,
      boolean strict, Query query) {
    String key = interpreter + "\u0000" + expected.packages() + "\u0000" + expected.wrappers();
    List<String> problems = CHECKED.get(key);
    if (problems == null) {
      problems = problems(expected, query.call("snakebridge.environment", "describe",
          new ArrayList<>(expected.packages().keySet()), new ArrayList<>(expected.wrappers().keySet())));
      CHECKED.put(key, problems);
    }
    if (problems.isEmpty()) {
      return problems;
    }
    String message = message(expected, interpreter + " (from " + interpreterSource + ")", problems);
    if (strict || problems.get(0).startsWith("Python ")) {
      throw new SnakeBridgeException(message + (strict ? " [snakebridge.strictEnvironment=true]" : ""));
    }
    log().warn("{}", message);
    return problems;
  }

  /** One message: what differs, which interpreter, and the fix. */
  public static String message(ProjectEnvironment expected, String interpreter, List<String> problems) {
    return "the Python environment does not match " + (expected.lockFile() != null ? expected.lockFile().getFileName()
        : expected.source()) + ": " + String.join("; ", problems) + ". Interpreter: " + interpreter
        + ". Fix: " + expected.fixCommand();
  }

  /** Compares the worker's answer with what is expected. */
  static List<String> problems(ProjectEnvironment expected, Object answer) {
    List<String> problems = new ArrayList<>();
    if (!(answer instanceof Map<?, ?> found)) {
      problems.add("the worker's answer to the environment query was " + answer);
      return problems;
    }
    String python = String.valueOf(found.get("python"));
    if (tooOld(python)) {
      problems.add("Python " + python + " is older than 3." + MIN_MINOR + ", which SnakeBridge needs");
      return problems;
    }
    Map<?, ?> dists = found.get("distributions") instanceof Map<?, ?> d ? d : Map.of();
    expected.packages().forEach((name, version) -> compare("", name, version, dists.get(name), problems));
    Map<?, ?> imports = found.get("imports") instanceof Map<?, ?> i ? i : Map.of();
    expected.wrappers().forEach((name, version) -> compare("wrappers of ", name, version, imports.get(name), problems));
    return List.copyOf(problems);
  }

  private static void compare(String what, String name, String wanted, Object found, List<String> problems) {
    if (found == null) {
      problems.add(what + name + " " + wanted + " is missing");
    } else if (!Objects.equals(wanted, found.toString())) {
      problems.add(what + name + " wants " + wanted + ", found " + found);
    }
  }

  static boolean tooOld(String version) {
    String[] parts = version.split("\\.");
    try {
      return parts.length >= 2 && (Integer.parseInt(parts[0]) < 3
          || (Integer.parseInt(parts[0]) == 3 && Integer.parseInt(parts[1]) < MIN_MINOR));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Forgets cached answers (an environment was just set up in this JVM). */
  public static void forget() {
    CHECKED.clear();
  }

  private static Logger log() {
    return Logs.get("snakebridge.environment");
  }
}
