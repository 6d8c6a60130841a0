package dev.snakebridge.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snakebridge.SnakeBridgeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterpreterResolverTest {
  @TempDir Path dir;

  private Path script(Path where, String body) throws Exception {
    Files.createDirectories(where.getParent());
    Files.writeString(where, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(where, PosixFilePermissions.fromString("rwxr-xr-x"));
    return where;
  }

  @Test
  void configuredInterpreterIsLaunchedExactlyAsGiven() {
    var chosen = InterpreterResolver.resolve(Optional.of("my-wrapper --flag"), Map.of("SNAKEBRIDGE_PYTHON", "/x"));
    assertThat(chosen.executable()).isEqualTo("my-wrapper --flag");
  }

  @Test
  void environmentVariableComesNextAndIsNotResolved() throws Exception {
    Path wrapper = script(dir.resolve("taskset-python"), "exec /usr/bin/python3 \"$@\"");
    var chosen = InterpreterResolver.resolve(Optional.empty(),
        Map.of("SNAKEBRIDGE_PYTHON", wrapper.toString(), "VIRTUAL_ENV", "/nowhere"));
    assertThat(chosen.executable()).isEqualTo(wrapper.toString());
    assertThat(chosen.source()).isEqualTo("SNAKEBRIDGE_PYTHON");
  }

  @Test
  void virtualEnvironmentComesBeforePath() throws Exception {
    Path python = script(dir.resolve("venv/bin/python"), "exec /usr/bin/python3 \"$@\"");
    var chosen = InterpreterResolver.resolve(Optional.empty(),
        Map.of("VIRTUAL_ENV", dir.resolve("venv").toString(), "PATH", "/usr/bin"));
    assertThat(chosen.executable()).isEqualTo(python.toString());
  }

  @Test
  void pythonOnPathIsResolvedPastShims() throws Exception {
    Path bin = dir.resolve("shims");
    script(bin.resolve("python3"), "exec /usr/bin/python3 \"$@\"");
    var chosen = InterpreterResolver.resolve(Optional.empty(), Map.of("PATH", bin.toString()));
    assertThat(chosen.executable()).isEqualTo("/usr/bin/python3");
    assertThat(chosen.source()).contains(bin.toString());
  }

  @Test
  void noInterpreterAnywhereIsAClearError() {
    assertThatThrownBy(() -> InterpreterResolver.resolve(Optional.empty(), Map.of("PATH", dir.toString())))
        .isInstanceOf(SnakeBridgeException.class)
        .hasMessageContaining("SNAKEBRIDGE_PYTHON");
  }
}
