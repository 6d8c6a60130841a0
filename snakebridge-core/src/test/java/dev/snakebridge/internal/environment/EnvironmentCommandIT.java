package dev.snakebridge.internal.environment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snakebridge.TinyWheels;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line for builds without Maven: {@code PythonEnvironment setup ...}. */
class EnvironmentCommandIT {
  @TempDir Path dir;

  private static String python() {
    String env = System.getenv("SNAKEBRIDGE_PYTHON");
    return env != null && !env.isBlank() ? env : "/usr/bin/python3";
  }

  @Test
  void setupInstallsRecordsTheResourceAndIsANoOpTheSecondTime() throws Exception {
    Path wheels = dir.resolve("wheels");
    TinyWheels.write(wheels, "tinypkg", "1.0");
    String[] args = {"setup", "--dir", dir.resolve("venv").toString(), "--python", python(), "--find-links",
        wheels.toString(), "--no-index", "--lock", dir.resolve("snakebridge.lock.json").toString(), "--resource",
        dir.resolve("classes").toString(), "tinypkg==1.0"};
    List<String> out = new ArrayList<>();
    List<String> err = new ArrayList<>();

    assertThat(EnvironmentCommand.run(args, out::add, err::add)).as(String.join("\n", out) + err).isZero();
    assertThat(out).anyMatch(l -> l.startsWith("set up " + dir.resolve("venv")));
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.resolve("classes").toUri().toURL()}, null)) {
      ProjectEnvironment recorded = ProjectEnvironment.find(loader).orElseThrow();
      assertThat(recorded.interpreter()).isEqualTo(dir.resolve("venv/bin/python"));
      assertThat(recorded.packages()).containsEntry("tinypkg", "1.0");
    }

    out.clear();
    assertThat(EnvironmentCommand.run(args, out::add, err::add)).isZero();
    assertThat(out).singleElement().asString().startsWith("up to date: ");
  }

  @Test
  void badArgumentsExitWithTwoAndTheUsage() {
    List<String> err = new ArrayList<>();
    assertThat(EnvironmentCommand.run(new String[] {"setup", "--frobnicate"}, line -> {}, err::add)).isEqualTo(2);
    assertThat(err).contains("unknown option --frobnicate").anyMatch(l -> l.contains("usage: PythonEnvironment setup"));
    assertThat(EnvironmentCommand.run(new String[] {}, line -> {}, err::add)).isEqualTo(2);
    assertThat(EnvironmentCommand.run(new String[] {"setup", "not a requirement!"}, line -> {}, err::add)).isEqualTo(2);
  }
}
