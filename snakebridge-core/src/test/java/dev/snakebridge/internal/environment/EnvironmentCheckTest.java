package dev.snakebridge.internal.environment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The comparison behind the start-up check, on answers shaped as the worker's query returns them. */
class EnvironmentCheckTest {
  private static final ProjectEnvironment EXPECTED = new ProjectEnvironment("test", Path.of("/venv/bin/python"),
      Path.of("/p/snakebridge.lock.json"), Map.of("tinypkg", "1.0", "tinyextra", "1.0"), Map.of("numpy", "1.24.2"),
      "mvn snakebridge:setup", null, AutoInstall.NEVER);

  private static Map<String, Object> answer(String python, Map<String, Object> dists, Map<String, Object> imports) {
    return Map.of("python", python, "distributions", dists, "imports", imports);
  }

  @Test
  void whatTheLockSaysIsNoProblem() {
    var found = answer("3.11.2", Map.of("tinypkg", "1.0", "tinyextra", "1.0"), Map.of("numpy", "1.24.2"));
    assertThat(EnvironmentCheck.problems(EXPECTED, found)).isEmpty();
  }

  @Test
  void aDifferentVersionAndAMissingPackageAreNamedWithBothVersions() {
    Map<String, Object> dists = new HashMap<>();
    dists.put("tinypkg", "2.0");
    dists.put("tinyextra", null);
    var problems = EnvironmentCheck.problems(EXPECTED, answer("3.11.2", dists, Map.of("numpy", "1.26.4")));
    assertThat(problems).containsExactlyInAnyOrder("tinypkg wants 1.0, found 2.0", "tinyextra 1.0 is missing",
        "wrappers of numpy wants 1.24.2, found 1.26.4");
    String message = EnvironmentCheck.message(EXPECTED, "/usr/bin/python3 (from PATH)", problems);
    assertThat(message).contains("snakebridge.lock.json", "/usr/bin/python3", "Fix: mvn snakebridge:setup");
  }

  @Test
  void pythonOlderThan39IsTheOnlyProblemReported() {
    var problems = EnvironmentCheck.problems(EXPECTED, answer("3.8.10", Map.of(), Map.of()));
    assertThat(problems).containsExactly("Python 3.8.10 is older than 3.9, which SnakeBridge needs");
    assertThat(EnvironmentCheck.tooOld("3.9.0")).isFalse();
    assertThat(EnvironmentCheck.tooOld("2.7.18")).isTrue();
  }

  @Test
  void anAnswerThatIsNoMapIsAProblemNotACrash() {
    assertThat(EnvironmentCheck.problems(EXPECTED, List.of())).hasSize(1);
  }
}
