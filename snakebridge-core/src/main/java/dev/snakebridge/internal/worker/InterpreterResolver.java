package dev.snakebridge.internal.worker;

import dev.snakebridge.SnakeBridgeException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Chooses the Python interpreter: configured → {@code SNAKEBRIDGE_PYTHON} → {@code $VIRTUAL_ENV/bin/python}
 * → {@code python3} on {@code PATH}. An interpreter given explicitly is launched exactly as given (it may
 * be a wrapper script such as {@code taskset} or a container launcher); only one found on PATH is resolved
 * to the real binary ({@code sys.executable}), once per JVM, because a pyenv shim costs ~60 ms per start.
 */
public final class InterpreterResolver {
  /** The interpreter to launch and where the choice came from (for messages). */
  public record Interpreter(String executable, String source) {}

  private static final Map<String, String> RESOLVED_SHIMS = new ConcurrentHashMap<>();

  private InterpreterResolver() {}

  public static Interpreter resolve(Optional<String> configured, Map<String, String> env) {
    if (configured.isPresent()) {
      return new Interpreter(configured.get(), "configuration (pythonExecutable)");
    }
    String fromEnv = env.get("SNAKEBRIDGE_PYTHON");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new Interpreter(fromEnv, "SNAKEBRIDGE_PYTHON");
    }
    String venv = env.get("VIRTUAL_ENV");
    if (venv != null && !venv.isBlank()) {
      Path python = Path.of(venv, "bin", "python");
      if (Files.isExecutable(python)) {
        return new Interpreter(python.toString(), "VIRTUAL_ENV");
      }
    }
    Path onPath = findOnPath("python3", env.getOrDefault("PATH", ""))
        .orElseThrow(() -> new SnakeBridgeException(
            "no Python interpreter found: set SNAKEBRIDGE_PYTHON or SnakeBridgeConfig.pythonExecutable,"
                + " activate a virtual environment, or put python3 on PATH"));
    String real = RESOLVED_SHIMS.computeIfAbsent(onPath.toString(), InterpreterResolver::realExecutable);
    return new Interpreter(real, "python3 on PATH (" + onPath + ")");
  }

  static Optional<Path> findOnPath(String name, String path) {
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
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
}
