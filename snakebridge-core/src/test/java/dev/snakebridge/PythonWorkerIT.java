package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the Python worker's own test suite (src/test/python, stdlib unittest) with the test interpreter. */
class PythonWorkerIT {
  @Test
  void workerUnitTestsPass() throws Exception {
    Process p = new ProcessBuilder(Workers.python(), "-m", "unittest", "-v", "test_worker", "test_environment")
        .directory(Path.of("src/test/python").toFile())
        .redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("OK").doesNotContain("skipped 'numpy");
  }
}
