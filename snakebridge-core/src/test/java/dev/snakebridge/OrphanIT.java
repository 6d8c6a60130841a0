package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Workers (and a pool's fork server) exit on their own when their JVM dies, even by SIGKILL. */
class OrphanIT {
  @Test
  void workersExitWhenTheJvmIsKilled() throws Exception {
    assertNothingOutlivesAKilledJvm("direct", 2);
  }

  @Test
  void forkedWorkersAndTheirTemplateExitWhenTheJvmIsKilled() throws Exception {
    assertNothingOutlivesAKilledJvm("fork", 3);
  }

  private static void assertNothingOutlivesAKilledJvm(String mode, int processes) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process jvm = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), OrphanProbe.class.getName(), mode)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    List<Long> workers = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null && !line.equals("ready"); ) {
        if (line.startsWith("worker ")) {
          workers.add(Long.parseLong(line.substring(7)));
        }
      }
      assertThat(workers).hasSize(processes);
      assertThat(workers).allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
      jvm.destroyForcibly().waitFor();
      long deadline = System.currentTimeMillis() + 5000;
      while (workers.stream().anyMatch(OrphanIT::alive) && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertThat(workers).noneMatch(OrphanIT::alive);
    } finally {
      jvm.destroyForcibly();
    }
  }

  private static boolean alive(long pid) {
    // A dead but unreaped child shows as a zombie; /proc/<pid>/stat state Z counts as gone.
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !zombie(pid);
  }

  private static boolean zombie(long pid) {
    try {
      String stat = java.nio.file.Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (java.io.IOException e) {
      return true;
    }
  }
}
