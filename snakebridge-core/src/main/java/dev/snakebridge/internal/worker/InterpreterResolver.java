package dev.snakebridge.internal.worker;

import dev.snakebridge.PoolConfig;
import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.SnakeBridgeException;
import dev.snakebridge.internal.environment.InterpreterPaths;
import dev.snakebridge.internal.environment.ProjectEnvironment;
import dev.snakebridge.internal.telemetry.Logs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Chooses the Python interpreter: configured → {@code SNAKEBRIDGE_PYTHON} → the project environment that
 * the build recorded in {@code META-INF/snakebridge/environment.json} → {@code $VIRTUAL_ENV/bin/python} →
 * {@code python3} on {@code PATH}. An interpreter given explicitly is launched exactly as given (it may
 * be a wrapper script such as {@code taskset} or a container launcher); only one found on PATH is resolved
 * to the real binary ({@code sys.executable}), once per JVM, because a pyenv shim costs ~60 ms per start.
 */
public final class InterpreterResolver {
  /** The interpreter to launch and where the choice came from (for messages). */
  public record Interpreter(String executable, String source) {}

  private static final Map<String, String> RESOLVED_SHIMS = new ConcurrentHashMap<>();

  private InterpreterResolver() {}

  /** The interpreter of {@code pool}: its own when it names one, else the runtime's, else as found below. */
  public static Interpreter forPool(SnakeBridgeConfig config, PoolConfig pool) {
    Optional<String> configured = pool.pythonExecutable().isPresent() ? pool.pythonExecutable() : config.pythonExecutable();
    return resolve(configured, System.getenv());
  }

  public static Interpreter resolve(Optional<String> configured, Map<String, String> env) {
    return resolve(configured, env, configured.isPresent() ? Optional.empty() : ProjectEnvironment.find());
  }

  /**
   * Resolves with {@code project} as the project environment found on the classpath.
   *
   * @throws SnakeBridgeException naming every place tried when none has an interpreter
   */
  public static Interpreter resolve(Optional<String> configured, Map<String, String> env,
      Optional<ProjectEnvironment> project) {
    if (configured.isPresent()) {
      return new Interpreter(configured.get(), "configuration (pythonExecutable)");
    }
    String fromEnv = env.get("SNAKEBRIDGE_PYTHON");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new Interpreter(fromEnv, "SNAKEBRIDGE_PYTHON");
    }
    List<String> tried = new ArrayList<>(List.of("pythonExecutable (unset)", "SNAKEBRIDGE_PYTHON (unset)"));
    if (project.isPresent()) {
      if (project.get().exists()) {
        return new Interpreter(project.get().interpreter().toString(), "project environment (" + project.get().source() + ")");
      }
      // A clone whose environment is not set up yet: carry on, and let the start-up check say what is missing.
      log().warn("the project environment {} (recorded in {}) does not exist; run `{}`; looking further",
          project.get().interpreter(), project.get().source(), project.get().fixCommand());
      tried.add("project environment " + project.get().interpreter() + " (missing)");
    } else {
      tried.add("project environment (no " + ProjectEnvironment.RESOURCE + " on the classpath)");
    }
    String venv = env.get("VIRTUAL_ENV");
    if (venv != null && !venv.isBlank()) {
      Path python = Path.of(venv, "bin", "python");
      if (Files.isExecutable(python)) {
        return new Interpreter(python.toString(), "VIRTUAL_ENV");
      }
      tried.add("VIRTUAL_ENV " + python + " (missing)");
    } else {
      tried.add("VIRTUAL_ENV (unset)");
    }
    String path = env.getOrDefault("PATH", "");
    tried.add("python3 on PATH (" + path + ")");
    Optional<Path> found = findOnPath("python3", path);
    if (found.isEmpty()) {
      throw new SnakeBridgeException("no Python interpreter found; tried " + String.join(", ", tried)
          + ". Set SNAKEBRIDGE_PYTHON or SnakeBridgeConfig.pythonExecutable, run `mvn snakebridge:setup`,"
          + " activate a virtual environment, or put python3 on PATH");
    }
    Path onPath = found.get();
    String real = RESOLVED_SHIMS.computeIfAbsent(onPath.toString(), InterpreterResolver::realExecutable);
    return new Interpreter(real, "python3 on PATH (" + onPath + ")");
  }

  static Optional<Path> findOnPath(String name, String path) {
    return InterpreterPaths.findOnPath(name, path);
  }

  /** Asks the interpreter for {@code sys.executable}; falls back to the path itself on any failure. */
  private static String realExecutable(String path) {
    try {
      Process p = new ProcessBuilder(path, "-I", "-S", "-c", "import sys; print(sys.executable)")
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty() && Files.isExecutable(Path.of(out))) {
        return out;
      }
      p.destroyForcibly();
    } catch (IOException e) {
      // Fall through: launching the path as found is always correct, only slower for a shim.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return path;
  }

  private static Logger log() {
    return Logs.get("snakebridge.worker");
  }
}
