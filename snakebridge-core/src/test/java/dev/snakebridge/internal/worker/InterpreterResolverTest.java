package dev.snakebridge.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snakebridge.SnakeBridgeException;
import dev.snakebridge.internal.environment.AutoInstall;
import dev.snakebridge.internal.environment.ProjectEnvironment;
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

  private ProjectEnvironment project(Path python) {
    return new ProjectEnvironment("file:/p/target/classes/" + ProjectEnvironment.RESOURCE, python, null, Map.of(),
        Map.of(), ProjectEnvironment.DEFAULT_FIX, null, AutoInstall.NEVER);
  }

  @Test
  void theProjectEnvironmentComesAfterTheVariableAndBeforeVirtualEnv() throws Exception {
    Path venvPython = script(dir.resolve("project/.snakebridge/venv/bin/python"), "exec /usr/bin/python3 \"$@\"");
    Path active = script(dir.resolve("active/bin/python"), "exec /usr/bin/python3 \"$@\"");
    Map<String, String> env = Map.of("VIRTUAL_ENV", dir.resolve("active").toString(), "PATH", "/usr/bin");

    var chosen = InterpreterResolver.resolve(Optional.empty(), env, Optional.of(project(venvPython)));
    assertThat(chosen.executable()).isEqualTo(venvPython.toString());
    assertThat(chosen.source()).startsWith("project environment");

    var fromVariable = InterpreterResolver.resolve(Optional.empty(), Map.of("SNAKEBRIDGE_PYTHON", active.toString()),
        Optional.of(project(venvPython)));
    assertThat(fromVariable.executable()).isEqualTo(active.toString());
  }

  @Test
  void aProjectEnvironmentNotSetUpYetIsPassedOverAndNamedWhenNothingElseIsFound() {
    Path missing = dir.resolve("clone/.snakebridge/venv/bin/python");
    assertThatThrownBy(() -> InterpreterResolver.resolve(Optional.empty(), Map.of("PATH", dir.toString()),
        Optional.of(project(missing))))
        .isInstanceOf(SnakeBridgeException.class)
        .hasMessageContaining("project environment " + missing + " (missing)")
        .hasMessageContaining("VIRTUAL_ENV (unset)")
        .hasMessageContaining("python3 on PATH (" + dir + ")");
  }
}
