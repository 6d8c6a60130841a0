package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the Python worker's own test suites (src/test/python, stdlib unittest) with the test interpreter. */
class PythonWorkerIT {
  @Test
  void workerUnitTestsPass() throws Exception {
    String out = unittest("test_worker", "") + unittest("test_environment", "");
    assertThat(out).contains("OK").doesNotContain("skipped 'numpy");
  }

  /** The worker keeps to the language and standard library of Python 3.9, the oldest the README promises. */
  @Test
  void workerSourceStaysWithinPython39() throws Exception {
    assertThat(unittest("test_compat", "")).contains("OK");
  }

  /** Fork FIFO directories are 0700, buffer files and arena slots 0600, whatever the umask. */
  @Test
  void workerFilesAreOwnerOnly() throws Exception {
    assertThat(unittest("test_file_modes", "")).contains("OK");
  }

  /**
   * The fuzz loop of the worker's decoder: {@code -Dsnakebridge.fuzz.inputs=N} inputs (20,000 by default;
   * the long profile runs a million).
   */
  @Test
  void workerDecoderSurvivesFuzzing() throws Exception {
    String out = unittest("test_decoder_fuzz", System.getProperty("snakebridge.fuzz.inputs", "20000"));
    assertThat(out).contains("OK").contains("decoder fuzz:");
    // unittest -v writes its own progress on the same stream: the line may not start with it.
    String rest = out.substring(out.indexOf("decoder fuzz: ") + "decoder fuzz: ".length());
    String figures = rest.lines().findFirst().orElse("");
    java.nio.file.Path file = Path.of("target", "reliability", "fuzz-python.txt");
    java.nio.file.Files.createDirectories(file.getParent());
    java.nio.file.Files.writeString(file, "fuzz-python: " + figures + " (stdlib loop)\n", StandardCharsets.UTF_8);
  }

  private static String unittest(String module, String fuzzInputs) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(Workers.python(), "-m", "unittest", "-v", module)
        .directory(Path.of("src/test/python").toFile())
        .redirectErrorStream(true);
    if (!fuzzInputs.isEmpty()) {
      builder.environment().put("SNAKEBRIDGE_FUZZ_INPUTS", fuzzInputs);
    }
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
