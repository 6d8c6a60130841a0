package dev.snakebridge.bench;

import dev.snakebridge.PyRef;
import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.SnakeBridgeRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Measurements that are one event rather than a rate, so not JMH benchmarks: how long a pool takes to
 * start in a warm JVM, and what a live ref costs in memory (the idle runtime is {@link IdleCpu}, the
 * first call of a fresh JVM {@link FirstCall}). Each prints its own small table; baselines are measured in
 * the same run, interleaved with what they are compared to.
 */
final class OneShotMeasurements {
  static final int POOL_SIZE = 4;
  static final int REFS = 50_000;

  private OneShotMeasurements() {}

  /**
   * A pool of {@value #POOL_SIZE} workers from {@code SnakeBridgeRuntime.create} to its return (every
   * worker has said HELLO), against one {@code python3 -I -S -c pass}, alternating, {@code rounds} each.
   * Python is not pinned here (four workers on one core would measure the pinning): the command is
   * run.sh's wrapper that lets the interpreter use every core, for the baseline and the pool alike.
   */
  static void startup(PrintStream out, Summary summary, String python, int rounds) {
    // The first start unpacks the worker's files and compiles them: not what is measured.
    create(python, true).close();
    create(python, false).close();
    double[] bare = new double[rounds];
    double[] pool = new double[rounds];
    double[] direct = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      bare[i] = timeBarePython(python);
      pool[i] = timeCreate(python, true);
      direct[i] = timeCreate(python, false);
    }
    double bareMedian = median(bare);
    out.println();
    out.println("Start-up: a pool of " + POOL_SIZE + " workers ready (SnakeBridgeRuntime.create) vs one `"
        + python + " -I -S -c pass`, " + rounds + " alternating rounds, Python on any core; measured in a warm JVM"
        + " after two creates, so it leaves out class loading, unpacking the worker's files and the first fork"
        + " server (the first-call rows include them)");
    out.println();
    String format = "%-40s | %9s | %9s | %8s%n";
    out.printf(Locale.ROOT, format, "", "median ms", "min ms", "ratio");
    out.printf(Locale.ROOT, format, "-".repeat(40), "---------", "---------", "--------");
    out.printf(Locale.ROOT, format, "python3 -I -S -c pass (baseline)", ms(bareMedian), ms(min(bare)), "1.00");
    out.printf(Locale.ROOT, format, "pool of 4, defaults", ms(median(pool)), ms(min(pool)),
        String.format(Locale.ROOT, "%.2f", median(pool) / bareMedian));
    out.printf(Locale.ROOT, format, "pool of 4, forkServer(false)", ms(median(direct)), ms(min(direct)),
        String.format(Locale.ROOT, "%.2f", median(direct) / bareMedian));
    out.println();
    out.println("(target: pool of 4 ready in <= 3.00 x the baseline)");
    double ratio = median(pool) / bareMedian;
    summary.add(6, "pool of " + POOL_SIZE + " ready, warm JVM (no class loading, unpacking, first fork server)",
        ms(median(pool)) + " ms", "python3 -I -S -c pass: " + ms(bareMedian) + " ms", Samples.ratio(ratio), "<= 3.0",
        Summary.verdict(ratio, ratio <= 3.0));
  }

  private static SnakeBridgeRuntime create(String python, boolean defaults) {
    SnakeBridgeConfig.Builder b = SnakeBridgeConfig.builder().pythonExecutable(python).poolSize(POOL_SIZE);
    if (!defaults) {
      b.forkServer(false);
    }
    return SnakeBridgeRuntime.create(b.build());
  }

  private static double timeCreate(String python, boolean defaults) {
    long t0 = System.nanoTime();
    SnakeBridgeRuntime py = create(python, defaults);
    long t1 = System.nanoTime();
    py.close();
    sleep(200); // the closed pool's processes exit before the next measurement
    return (t1 - t0) / 1e6;
  }

  private static double timeBarePython(String python) {
    try {
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder(python, "-I", "-S", "-c", "pass").inheritIO().start();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(python + " -I -S -c pass failed");
      }
      return (System.nanoTime() - t0) / 1e6;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + python, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Memory per live ref: {@value #REFS} refs to fresh {@code object()}s held in one worker, the JVM heap
   * (after full GCs) and the worker's resident set before and after, and again after their release.
   */
  static void refMemory(PrintStream out, String python) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(
        SnakeBridgeConfig.builder().pythonExecutable(python).poolSize(1).build())) {
      long pid = ((Number) py.call("os", "getpid")).longValue();
      List<PyRef> refs = new ArrayList<>(REFS);
      refs.add((PyRef) py.call("builtins", "object")); // warm: the first ref creates the session's tables
      long heap0 = heapAfterGc(memory);
      long rss0 = rss(pid);
      for (int i = 1; i < REFS; i++) {
        refs.add((PyRef) py.call("builtins", "object"));
      }
      long heap1 = heapAfterGc(memory);
      long rss1 = rss(pid);
      for (PyRef r : refs) {
        py.releaseRef(r);
      }
      int live = refs.size();
      refs.clear();
      py.call("gc", "collect");
      long rss2 = rss(pid);
      out.println();
      out.println("Memory per live ref: " + live + " refs to object() in one worker (heap after full GC; worker RSS)");
      out.println();
      String format = "%-34s | %14s%n";
      out.printf(Locale.ROOT, format, "", "bytes per ref");
      out.printf(Locale.ROOT, format, "-".repeat(34), "--------------");
      out.printf(Locale.ROOT, format, "JVM heap (PyRef + bookkeeping)", String.format(Locale.ROOT, "%,d", (heap1 - heap0) / (live - 1)));
      out.printf(Locale.ROOT, format, "worker RSS (object + ref table)", String.format(Locale.ROOT, "%,d", (rss1 - rss0) / (live - 1)));
      out.printf(Locale.ROOT, format, "worker RSS still held after release", String.format(Locale.ROOT, "%,d", (rss2 - rss0) / (live - 1)));
      out.println();
      out.println("(RSS after release: CPython's allocator keeps freed arenas for reuse; the refs are gone from the tables)");
    }
  }

  private static long heapAfterGc(MemoryMXBean memory) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static long rss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
        }
      }
    } catch (IOException e) {
      // reported below
    }
    throw new IllegalStateException("cannot read the resident set of worker " + pid);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double min(double[] values) {
    return Arrays.stream(values).min().orElse(Double.NaN);
  }

  private static String ms(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
