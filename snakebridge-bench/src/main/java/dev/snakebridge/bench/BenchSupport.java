package dev.snakebridge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the benchmarks share: the Python command, the echo script, and facts about CPU pinning. */
final class BenchSupport {
  /** System property naming the Python command; else {@code SNAKEBRIDGE_PYTHON}; else {@code python3}. */
  static final String PYTHON_PROPERTY = "snakebridge.bench.python";

  /** System property by which the JMH host JVM tells its forks the CPUs it was pinned to. */
  static final String PARENT_CPUS_PROPERTY = "snakebridge.bench.parentCpus";

  private static final String SCRIPTS = "/dev/snakebridge/bench/";

  private BenchSupport() {}

  /**
   * The command that starts Python, for the echo child and the runtime's worker alike. run.sh makes it a
   * wrapper script that pins Python to its own core; JMH forks inherit both the environment and the
   * parent's JVM arguments, so every fork sees the same value.
   */
  static String python() {
    String fromProperty = System.getProperty(PYTHON_PROPERTY);
    if (fromProperty != null && !fromProperty.isBlank()) {
      return fromProperty;
    }
    String fromEnv = System.getenv("SNAKEBRIDGE_PYTHON");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    return "python3";
  }

  /**
   * The interpreter through a wrapper that lets it run on every core (run.sh passes it as {@code
   * SNAKEBRIDGE_BENCH_RAW_PYTHON}; a child would otherwise inherit the JVM's core), for measurements
   * that pinning would distort, such as four workers starting at once; else {@link #python()}.
   */
  static String rawPython() {
    String raw = System.getenv("SNAKEBRIDGE_BENCH_RAW_PYTHON");
    return raw != null && !raw.isBlank() ? raw : python();
  }

  /**
   * The command line of a fresh JVM running {@code mainClass} of this jar (this JVM's {@code java} and
   * class path, no other options: a JVM as a user's {@code java -cp app.jar Main} starts it).
   */
  static List<String> childJvm(Class<?> mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(args));
    return command;
  }

  /** Copies a Python script of the bench's resources into a temporary file, deleted when the JVM exits. */
  static Path extractScript(String name) {
    try (InputStream in = BenchSupport.class.getResourceAsStream(SCRIPTS + name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + SCRIPTS + name + " is missing from the benchmarks jar");
      }
      Path script = Files.createTempFile("snakebridge-bench-", "-" + name);
      script.toFile().deleteOnExit();
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
      return script;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + name, e);
    }
  }

  /**
   * Prints, from a JMH fork, the CPUs the fork may run on; warns when they are not the host JVM's
   * (the affinity set by taskset on the host is meant to be inherited).
   */
  static void reportForkPinning() {
    String mine = jvmCpus();
    String parent = System.getProperty(PARENT_CPUS_PROPERTY, "?");
    System.out.println("# fork CPUs allowed: " + mine + " (host JVM: " + parent + "); Python command: " + python());
    if (!mine.equals(parent)) {
      System.out.println("# WARNING: this fork is not pinned like the host JVM; the numbers mix scheduling regimes");
    }
  }

  /** The CPUs this JVM may run on ({@code Cpus_allowed_list} of /proc/self/status), or "?" off Linux. */
  static String jvmCpus() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("Cpus_allowed_list:")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: nothing to report.
    }
    return "?";
  }

  /**
   * Runs the Python command with {@code -c code} and returns its trimmed output, or a message starting
   * with "unavailable" when it fails.
   */
  static String askPython(String code) {
    List<String> command = new ArrayList<>(List.of(python(), "-I", "-S", "-c", code));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "unavailable (timed out)";
      }
      return p.exitValue() == 0 ? out : "unavailable (exit " + p.exitValue() + "): " + out;
    } catch (IOException e) {
      return "unavailable (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unavailable (interrupted)";
    }
  }
}
