package dev.snakebridge.codegen;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Python interpreter that introspects libraries: the same choice the runtime makes, so that the
 * wrappers describe the libraries the program will call. In order: the configured one ({@code <python>}),
 * {@code $SNAKEBRIDGE_PYTHON}, {@code $VIRTUAL_ENV/bin/python}, {@code python3} on {@code PATH}.
 *
 * @param executable the interpreter to run
 * @param source why this one: "configured", "SNAKEBRIDGE_PYTHON", "VIRTUAL_ENV" or "PATH"
 */
public record PythonInterpreter(String executable, String source) {

  /**
   * Resolves the interpreter from the configured value (may be null or blank) and the environment.
   *
   * @throws CodegenException when none is configured and no {@code python3} is on {@code PATH}
   */
  public static PythonInterpreter resolve(String configured, Map<String, String> env) {
    if (configured != null && !configured.isBlank()) {
      return new PythonInterpreter(configured.trim(), "configured");
    }
    String sb = env.get("SNAKEBRIDGE_PYTHON");
    if (sb != null && !sb.isBlank()) {
      return new PythonInterpreter(sb.trim(), "SNAKEBRIDGE_PYTHON");
    }
    String venv = env.get("VIRTUAL_ENV");
    if (venv != null && !venv.isBlank()) {
      Path p = Path.of(venv, "bin", "python");
      if (Files.isExecutable(p)) {
        return new PythonInterpreter(p.toString(), "VIRTUAL_ENV");
      }
    }
    String path = env.getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "python3"))) {
        return new PythonInterpreter(Path.of(dir, "python3").toString(), "PATH");
      }
    }
    throw new CodegenException("no Python interpreter: set <python> in the plugin configuration, SNAKEBRIDGE_PYTHON,"
        + " or VIRTUAL_ENV, or put python3 on PATH (PATH=" + path + ")");
  }

  /** Resolves from the configured value and this process's environment. */
  public static PythonInterpreter resolve(String configured) {
    return resolve(configured, System.getenv());
  }

  @Override
  public String toString() {
    return executable + " (from " + source + ")";
  }
}
