package dev.snakebridge.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin picks the interpreter the runtime would: configured, SNAKEBRIDGE_PYTHON, VIRTUAL_ENV, PATH. */
class PythonInterpreterTest {
  static Path executable(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Path p = Files.createFile(dir.resolve(name));
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  @Test
  void followsTheRuntimesOrder(@TempDir Path dir) throws IOException {
    Path venvPython = executable(dir.resolve("venv/bin"), "python");
    Path onPath = executable(dir.resolve("bin"), "python3");
    Map<String, String> env = Map.of("SNAKEBRIDGE_PYTHON", "/opt/sb/python", "VIRTUAL_ENV",
        dir.resolve("venv").toString(), "PATH", dir.resolve("bin").toString());
    assertThat(PythonInterpreter.resolve("/custom/python", env))
        .isEqualTo(new PythonInterpreter("/custom/python", "configured"));
    assertThat(PythonInterpreter.resolve(null, env).source()).isEqualTo("SNAKEBRIDGE_PYTHON");
    assertThat(PythonInterpreter.resolve(" ", Map.of("VIRTUAL_ENV", dir.resolve("venv").toString(), "PATH", "")))
        .isEqualTo(new PythonInterpreter(venvPython.toString(), "VIRTUAL_ENV"));
    assertThat(PythonInterpreter.resolve(null, Map.of("PATH", dir.resolve("bin").toString())))
        .isEqualTo(new PythonInterpreter(onPath.toString(), "PATH"));
    assertThatThrownBy(() -> PythonInterpreter.resolve(null, Map.of("PATH", "/nowhere")))
        .isInstanceOf(CodegenException.class).hasMessageContaining("no Python interpreter");
  }
}
