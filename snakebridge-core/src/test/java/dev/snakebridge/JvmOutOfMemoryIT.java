package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The JVM's own {@link OutOfMemoryError} while answers arrive fails that call, and the runtime goes on:
 * later sync and async calls all succeed (in a child JVM with a 96 MiB heap).
 */
class JvmOutOfMemoryIT {
  @Test
  void anOutOfMemoryErrorWhileAnswersArriveLeavesTheRuntimeWorking() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process jvm = new ProcessBuilder(java, "-Xmx96m", "-cp", System.getProperty("java.class.path"),
        JvmOomProbe.class.getName())
        .redirectErrorStream(true)
        .start();
    String out = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(jvm.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(out.lines()).as(out).contains("oom", "survived 70");
    assertThat(jvm.exitValue()).as(out).isZero();
  }
}
