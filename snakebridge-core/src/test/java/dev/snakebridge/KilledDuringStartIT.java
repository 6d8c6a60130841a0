package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Nothing outlives a JVM killed with SIGKILL while its pool starts: no process at once, and by the next
 * runtime's start no ring file, buffer file or FIFO directory. The kill lands at a random moment of the
 * start (the seed is printed); {@code -Dsnakebridge.faults.runs=N} repeats it N times (default 3).
 */
class KilledDuringStartIT {
  @ParameterizedTest
  @ValueSource(strings = {"fork", "direct"})
  void aJvmKilledWhileItsWorkersStartLeavesNothingBehind(String mode) throws Exception {
    long seed = Long.getLong("snakebridge.faults.seed", System.nanoTime());
    Random random = new Random(seed);
    int runs = Integer.getInteger("snakebridge.faults.runs", 3);
    for (int run = 0; run < runs; run++) {
      killDuringStart(mode, random.nextInt(1500), "seed " + seed + ", run " + run);
    }
    KILLED.addAndGet(runs);
    Path out = Path.of("target", "reliability", "killed-during-start.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, "killed during start: " + KILLED.get() + " JVMs killed with SIGKILL while their pool"
        + " started; no process, ring file, buffer file or FIFO directory left\n");
  }

  private static final java.util.concurrent.atomic.AtomicInteger KILLED = new java.util.concurrent.atomic.AtomicInteger();

  private static void killDuringStart(String mode, int delayMillis, String what) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process jvm = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        StartKillProbe.class.getName(), mode)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    long pid = jvm.pid();
    List<ProcessHandle> started;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("starting");
      Thread.sleep(delayMillis);
      started = jvm.toHandle().descendants().toList();
      jvm.destroyForcibly().waitFor();
    } finally {
      jvm.destroyForcibly();
    }
    // Whatever it had started exits on its own: workers at end of file of their input, the template at
    // end of file of its control pipe (killing the workers it forked).
    long deadline = System.currentTimeMillis() + 10_000;
    while (started.stream().anyMatch(KilledDuringStartIT::alive) && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertThat(started).as("processes left, %s, killed after %d ms", what, delayMillis)
        .noneMatch(KilledDuringStartIT::alive);
    // The next start sweeps what the dead JVM could not remove itself.
    try (SnakeBridgeRuntime next = Workers.start(1)) {
      assertThat(next.call("math", "sqrt", 4)).isEqualTo(2.0);
    }
    assertThat(Workers.ringFiles(pid)).as("ring files left, %s, killed after %d ms", what, delayMillis).isZero();
    assertThat(files(Path.of("/dev/shm"), "snakebridge-bulk-" + pid + "-")).as("buffer files left").isEmpty();
    for (ProcessHandle p : started) {
      assertThat(files(Path.of(System.getProperty("java.io.tmpdir")), "snakebridge-fork-" + p.pid() + "-"))
          .as("FIFO directories left, %s", what).isEmpty();
    }
  }

  private static List<Path> files(Path dir, String prefix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
    }
  }

  private static boolean alive(ProcessHandle p) {
    // A dead but unreaped child shows as a zombie; /proc/<pid>/stat state Z counts as gone.
    if (!p.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
      return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return false;
    }
  }
}
