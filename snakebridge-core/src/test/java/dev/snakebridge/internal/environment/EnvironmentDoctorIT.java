package dev.snakebridge.internal.environment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snakebridge.PythonEnvironment;
import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.TinyWheels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code doctor} on a good environment and on broken ones, with real interpreters and workers. */
class EnvironmentDoctorIT {
  @TempDir static Path project;
  static Path lock;

  @BeforeAll
  static void setUp() throws Exception {
    Path wheels = project.resolve("wheels");
    TinyWheels.write(wheels, "tinypkg", "1.0");
    lock = project.resolve("snakebridge.lock.json");
    PythonEnvironment.builder(project.resolve(".snakebridge/venv")).basePython(python())
        .require("tinypkg==1.0").findLinks(wheels).noIndex(true).lockFile(lock).build().setup(line -> {});
  }

  private static String python() {
    String env = System.getenv("SNAKEBRIDGE_PYTHON");
    return env != null && !env.isBlank() ? env : "/usr/bin/python3";
  }

  private static ProjectEnvironment recorded() {
    return ProjectEnvironment.fromLock(lock, LockFile.environment(lock).orElseThrow(), "mvn snakebridge:setup");
  }

  @Test
  void aGoodEnvironmentHasNoProblemsAndSaysWhatItSees() {
    List<String> out = new ArrayList<>();
    List<String> problems = new EnvironmentDoctor(SnakeBridgeConfig.builder().build(), Map.of("PATH", "/usr/bin:/bin"),
        Optional.of(recorded()), out::add).run();

    String report = String.join("\n", out);
    assertThat(problems).as(report).isEmpty();
    assertThat(report).contains("found through: project environment", recorded().interpreter().toString(),
        "Python:        3.", "declared:      tinypkg==1.0", "worker start:", "/dev/shm", "CPUs:", "No problems found.");
    assertThat(out).anyMatch(l -> l.matches("\\s+tinypkg\\s+1\\.0\\s+1\\.0\\s+ok"));
  }

  @Test
  void anInterpreterWithoutTheLockedPackagesIsAProblemWithItsFix() {
    List<String> out = new ArrayList<>();
    // SNAKEBRIDGE_PYTHON points past the project environment, at an interpreter without tinypkg.
    List<String> problems = new EnvironmentDoctor(SnakeBridgeConfig.builder().build(),
        Map.of("SNAKEBRIDGE_PYTHON", python(), "PATH", "/usr/bin:/bin"), Optional.of(recorded()), out::add).run();

    assertThat(problems).as(String.join("\n", out)).anyMatch(p -> p.contains("tinypkg 1.0 is missing")
        && p.contains("fix: mvn snakebridge:setup"));
    assertThat(out).anyMatch(l -> l.contains("tinypkg") && l.contains("MISSING"));
  }

  @Test
  void aMissingEnvironmentAndNoInterpreterAreProblemsAndTheCommandExitsNonZero() {
    ProjectEnvironment gone = new ProjectEnvironment("test", project.resolve("gone/bin/python"), lock,
        Map.of("tinypkg", "1.0"), Map.of(), "mvn snakebridge:setup", null, AutoInstall.NEVER);
    List<String> out = new ArrayList<>();
    List<String> problems = new EnvironmentDoctor(SnakeBridgeConfig.builder().build(), Map.of("PATH", "/nowhere"),
        Optional.of(gone), out::add).run();
    assertThat(problems).singleElement().asString().contains("no Python interpreter found",
        "project environment " + project.resolve("gone/bin/python") + " (missing)");

    List<String> err = new ArrayList<>();
    int exit = EnvironmentCommand.run(new String[] {"doctor", "--lock", lock.toString()}, out::add, err::add);
    // The command line uses this JVM's environment: SNAKEBRIDGE_PYTHON, which lacks tinypkg.
    assertThat(exit).as(String.join("\n", out)).isEqualTo(System.getenv("SNAKEBRIDGE_PYTHON") != null ? 1 : 0);
  }
}
