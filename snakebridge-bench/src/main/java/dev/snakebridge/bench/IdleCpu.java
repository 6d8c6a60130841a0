package dev.snakebridge.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * CPU and wake-ups of an idle runtime: two fresh JVMs ({@link IdleProbe}) side by side, one with the
 * default runtime started and left idle, one that only sleeps (the baseline), each measuring itself over
 * the same seconds. Fresh JVMs, so that the benchmark's own threads and the JIT work left over from the
 * rows before are not counted. Reports CPU as a share of one core, and wake-ups per second per thread
 * (voluntary context switches), grouped by thread name ({@code comm}: Linux keeps 15 characters).
 */
final class IdleCpu {
  /** At most this many wake-ups per second of any one library thread (JVM or Python) when idle. */
  static final double WAKEUP_TARGET = 1.0;

  private IdleCpu() {}

  /** A thread's deltas over the idle window. */
  private record Delta(String kind, long pid, String comm, long cpuNanos, long wakeups, boolean born) {}

  /** What one probe reported. */
  private record Report(List<Delta> threads, long wallNanos, int workers) {
    double share(String kind, java.util.function.Predicate<String> comm) {
      return threads.stream().filter(d -> d.kind().equals(kind) && comm.test(d.comm()))
          .mapToLong(Delta::cpuNanos).sum() / (double) wallNanos;
    }
  }

  static void run(PrintStream out, Summary summary, String python, int seconds) {
    Report idle;
    Report sleeping;
    try {
      Process runtime = start(python, "runtime", seconds);
      Process sleeper = start(python, "sleep", seconds);
      idle = read(runtime, seconds);
      sleeping = read(sleeper, seconds);
    } catch (IOException | RuntimeException e) {
      out.println("# idle CPU FAILED: " + e);
      summary.failed(5, "idle runtime, CPU and wake-ups", String.valueOf(e.getMessage()));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    double wall = idle.wallNanos() / 1e9;
    out.println();
    out.println("Idle CPU: the default runtime (pool of " + idle.workers() + ") left idle for " + seconds
        + " s in a fresh JVM, beside a fresh JVM that only sleeps (CPU as a share of one core; wake-ups = voluntary"
        + " context switches per second; grouped by thread name)");
    out.println();
    String format = "%-8s | %-18s | %7s | %9s | %15s | %15s%n";
    out.printf(Locale.ROOT, format, "process", "threads (comm)", "threads", "CPU", "wake-ups/s, all", "max one thread");
    out.printf(Locale.ROOT, format, "-".repeat(8), "-".repeat(18), "-".repeat(7), "-".repeat(9), "-".repeat(15),
        "-".repeat(15));
    printGroups(out, format, "sleeping", sleeping, "jvm", sleeping.wallNanos() / 1e9);
    printGroups(out, format, "runtime", idle, "jvm", wall);
    printGroups(out, format, "python", idle, "py", wall);
    out.println("(threads marked + started during the window; the measuring thread is left out)");

    double jvm = idle.share("jvm", c -> true);
    double base = sleeping.share("jvm", c -> true);
    summary.add(5, "idle " + seconds + " s: JVM process CPU", Samples.percent(jvm), "a JVM that only sleeps: "
        + Samples.percent(base), Samples.ratio(jvm / base), "", "");
    double library = idle.share("jvm", IdleCpu::isLibrary);
    summary.add(5, "idle: the library's JVM threads, CPU", Samples.percent(library), "", "", "~ 0", "");
    Delta worstJvm = worst(idle, "jvm", IdleCpu::isLibrary);
    addWakeups(summary, "idle: most wake-ups of one library JVM thread", worstJvm, wall);
    double workers = idle.share("py", c -> true);
    long processes = idle.threads().stream().filter(d -> d.kind().equals("py")).mapToLong(Delta::pid).distinct().count();
    summary.add(5, "idle: Python processes' CPU (" + processes + ")", Samples.percent(workers), "", "", "~ 0", "");
    addWakeups(summary, "idle: most wake-ups of one Python thread", worst(idle, "py", c -> true), wall);
  }

  private static void addWakeups(Summary summary, String what, Delta worst, double wallSeconds) {
    if (worst == null) {
      summary.add(5, what, "no thread", "", "", "<= 1/s", "");
      return;
    }
    double perSecond = worst.wakeups() / wallSeconds;
    summary.add(5, what, String.format(Locale.ROOT, "%.1f/s (%s)", perSecond, worst.comm()), "", "", "<= 1/s",
        Summary.verdict(perSecond, perSecond <= WAKEUP_TARGET));
  }

  /** The library's JVM threads: named snakebridge-*, and the carriers of its virtual threads. */
  private static boolean isLibrary(String comm) {
    return comm.startsWith("snakebridge") || comm.startsWith("ForkJoinPool");
  }

  private static Delta worst(Report r, String kind, java.util.function.Predicate<String> comm) {
    return r.threads().stream().filter(d -> d.kind().equals(kind) && comm.test(d.comm()))
        .max(java.util.Comparator.comparingLong(Delta::wakeups)).orElse(null);
  }

  private static void printGroups(PrintStream out, String format, String process, Report r, String kind,
      double wallSeconds) {
    Map<String, List<Delta>> groups = new TreeMap<>();
    for (Delta d : r.threads()) {
      if (d.kind().equals(kind)) {
        groups.computeIfAbsent(d.comm() + (d.born() ? " +" : ""), k -> new ArrayList<>()).add(d);
      }
    }
    for (Map.Entry<String, List<Delta>> g : groups.entrySet()) {
      long cpu = g.getValue().stream().mapToLong(Delta::cpuNanos).sum();
      long wakeups = g.getValue().stream().mapToLong(Delta::wakeups).sum();
      long max = g.getValue().stream().mapToLong(Delta::wakeups).max().orElse(0);
      out.printf(Locale.ROOT, format, process, g.getKey(), g.getValue().size(),
          Samples.percent(cpu / (wallSeconds * 1e9)), String.format(Locale.ROOT, "%.1f", wakeups / wallSeconds),
          String.format(Locale.ROOT, "%.1f", max / wallSeconds));
    }
  }

  private static Process start(String python, String mode, int seconds) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(BenchSupport.childJvm(IdleProbe.class, mode, Integer.toString(seconds)))
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("SNAKEBRIDGE_PYTHON", python);
    return pb.start();
  }

  private static Report read(Process p, int seconds) throws IOException, InterruptedException {
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("the idle probe did not finish");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("the idle probe exited with " + p.exitValue() + ": " + output.strip());
    }
    List<Delta> threads = new ArrayList<>();
    long wall = -1;
    int workers = 0;
    for (String line : output.split("\n")) {
      String[] f = line.strip().split(" ");
      switch (f[0]) {
        case "T" -> threads.add(new Delta(f[1], Long.parseLong(f[2]), f[7], Long.parseLong(f[4]),
            Long.parseLong(f[5]), f[6].equals("new")));
        case "W" -> wall = Long.parseLong(f[1]);
        case "P" -> workers = Integer.parseInt(f[2]);
        default -> { }
      }
    }
    if (wall <= 0) {
      throw new IllegalStateException("the idle probe reported no measurement: " + output.strip());
    }
    return new Report(threads, wall, workers);
  }
}
