package dev.snakebridge.samples.environment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snakebridge.SnakeBridge;
import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.SnakeBridgeRuntime;
import dev.snakebridge.py.Tinygreet;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Calls the package that {@code snakebridge:setup} installed from a local wheel, through the wrappers that
 * {@code generate} made from it. Nothing names an interpreter: the runtime finds the project environment
 * through {@code META-INF/snakebridge/environment.json} in the build's classes.
 */
class ProjectEnvironmentSampleIT {
  @AfterAll
  static void stop() {
    SnakeBridge.shutdown();
  }

  @Test
  void theInstalledPackageAnswersThroughItsWrappers() {
    assertThat(Tinygreet.greet("Java")).isEqualTo("hello, Java! (tinygreet 1.0)");
    assertThat(Tinygreet.wordLengths("snakes on a bridge")).isEqualTo(List.of(6L, 2L, 1L, 6L));
  }

  @Test
  void theRuntimeRunsTheProjectEnvironmentsInterpreter() {
    String executable = (String) SnakeBridge.get("sys", "executable");
    assertThat(Path.of(executable)).isEqualTo(Path.of(System.getProperty("basedir", "."), ".snakebridge", "venv", "bin",
        "python").toAbsolutePath().normalize());
  }

  @Test
  void theEnvironmentMatchesTheLockEvenUnderTheStrictCheck() {
    // Strict: any package, or wrapper library, whose version differs from the lock would fail create().
    try (SnakeBridgeRuntime strict = SnakeBridgeRuntime.create(
        SnakeBridgeConfig.load().toBuilder().poolSize(1).strictEnvironment(true).build())) {
      assertThat(strict.call("tinygreet", "greet", "strict")).isEqualTo("hello, strict! (tinygreet 1.0)");
    }
  }

  @Test
  void numpyComesFromTheSystemSitePackages() {
    String file = (String) SnakeBridge.get("numpy", "__file__");
    assertThat(file).doesNotContain(".snakebridge");
    assertThat(SnakeBridge.call(Double.class, "numpy", "mean", List.of(1, 2, 3, 4))).isEqualTo(2.5);
  }
}
