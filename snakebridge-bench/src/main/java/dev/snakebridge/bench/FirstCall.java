package dev.snakebridge.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The first call as users pay it: a fresh JVM ({@link FirstCallProbe}) from fork to the result of its
 * first {@code SnakeBridge.call("math", "sqrt", 16)}, default configuration, against a fresh JVM that
 * starts the same Python with {@code -c} and reads one echoed line. Both are timed by this JVM from just
 * before the fork to the child's result line (the parent's clock), and by the child from its JVM's start
 * (its own clock). Rounds alternate the two; one unmeasured round first, so that both find the JDK, the
 * jar and the interpreter in the page cache and the worker's files already unpacked, as on any run of an
 * application after its first.
 */
final class FirstCall {
  static final double TARGET = 2.0;

  private FirstCall() {}

  /** One child's times, in milliseconds. */
  private record Times(double parentWall, double sinceJvmStart) {}

  static void run(PrintStream out, Summary summary, String python, int rounds) {
    double[] callWall = new double[rounds];
    double[] callJvm = new double[rounds];
    double[] echoWall = new double[rounds];
    double[] echoJvm = new double[rounds];
    try {
      child(python, "echo");
      child(python, "call");
      for (int i = 0; i < rounds; i++) {
        Times echo = child(python, "echo");
        Times call = child(python, "call");
        echoWall[i] = echo.parentWall();
        echoJvm[i] = echo.sinceJvmStart();
        callWall[i] = call.parentWall();
        callJvm[i] = call.sinceJvmStart();
      }
    } catch (IOException | RuntimeException e) {
      out.println("# first call FAILED: " + e);
      summary.failed(6, "first call, fresh JVM", String.valueOf(e.getMessage()));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    Samples cw = Samples.of(callWall);
    Samples ew = Samples.of(echoWall);
    Samples cj = Samples.of(callJvm);
    Samples ej = Samples.of(echoJvm);
    out.println();
    out.println("First call: a fresh JVM (java -cp <bench jar> " + FirstCallProbe.class.getSimpleName()
        + ") to the result of SnakeBridge.call(\"math\", \"sqrt\", 16), default configuration, Python '" + python
        + "', vs a fresh JVM spawning '" + python + " -c' to echo one line; " + rounds + " alternating rounds, medians");
    out.println();
    String format = "%-44s | %14s | %14s | %14s%n";
    out.printf(Locale.ROOT, format, "", "fork to result", "min - max", "JVM start to");
    out.printf(Locale.ROOT, format, "", "(parent) ms", "ms", "result ms");
    out.printf(Locale.ROOT, format, "-".repeat(44), "-".repeat(14), "-".repeat(14), "-".repeat(14));
    out.printf(Locale.ROOT, format, "fresh JVM: spawn python -c, echo a line", f(ew.median()),
        f(ew.min()) + " - " + f(ew.max()), f(ej.median()));
    out.printf(Locale.ROOT, format, "fresh JVM: SnakeBridge.call(math.sqrt)", f(cw.median()),
        f(cw.min()) + " - " + f(cw.max()), f(cj.median()));
    out.println();
    out.printf(Locale.ROOT, "(target: the first call <= %.2f x the spawn-and-echo JVM, fork to result)%n", TARGET);
    double ratio = cw.median() / ew.median();
    summary.add(6, "first call, fresh JVM, fork to result", Samples.ms(cw.median()),
        "fresh JVM spawning python -c echo: " + Samples.ms(ew.median()), Samples.ratio(ratio), "<= 2.0",
        Summary.verdict(ratio, ratio <= TARGET));
    summary.add(6, "first call, from the JVM's start (child's clock)", Samples.ms(cj.median()),
        "the same echo JVM: " + Samples.ms(ej.median()), Samples.ratio(cj.median() / ej.median()), "", "");
  }

  private static Times child(String python, String mode) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(BenchSupport.childJvm(FirstCallProbe.class, mode))
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("SNAKEBRIDGE_PYTHON", python);
    long t0 = System.nanoTime();
    Process p = pb.start();
    String line;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      line = r.readLine();
      long t1 = System.nanoTime();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("the " + mode + " probe did not exit within 60 s");
      }
      String[] f = line == null ? new String[0] : line.split(" ");
      if (p.exitValue() != 0 || f.length < 4 || !f[0].equals("R")) {
        throw new IllegalStateException("the " + mode + " probe failed (exit " + p.exitValue() + "): " + line);
      }
      String expected = mode.equals("call") ? "4.0" : "16";
      if (!f[3].equals(expected)) {
        throw new IllegalStateException("the " + mode + " probe answered " + f[3] + ", expected " + expected);
      }
      return new Times((t1 - t0) / 1e6, Double.parseDouble(f[1]));
    }
  }

  private static String f(double ms) {
    return String.format(Locale.ROOT, "%.1f", ms);
  }
}
