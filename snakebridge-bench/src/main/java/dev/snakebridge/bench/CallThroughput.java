package dev.snakebridge.bench;

import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.SnakeBridgeRuntime;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Calls per second as user code makes them, not a JMH benchmark: {@code callAsync} with 64 to 100,000 in
 * flight, synchronous calls from 1 to 32 threads, and {@code batch()}es, all of {@code operator.add(1, 2)}
 * through a runtime with the default configuration; the raw pipelined echo as the transport's ceiling;
 * and, where asked, the same rows with {@code spinWait(0)}. Every case runs once in a warm-up pass, then
 * once per round, rounds interleaved so that a change of load on the machine hits every case alike; each
 * measurement is a timed window of the steady state (the load started, warmed up and, for async calls,
 * its window filled once), and a case's figure is the median over rounds. Baselines come from the same
 * rounds.
 */
final class CallThroughput {
  static final int[] IN_FLIGHT = {64, 512, 4_096, 100_000};
  static final int[] THREADS = {1, 2, 4, 8, 32};
  static final int BATCH = 100;
  static final int ECHO_CHILDREN = 2;
  static final int ECHO_WINDOW = 128;
  static final double ASYNC_TARGET = 1.5;
  static final double ASYNC_RAW_TARGET = 0.3;

  /** A load running on threads of its own until stopped, counting answered calls. */
  interface Load {
    void start();

    long answered();

    /** Returns once the load is in its steady state, or at {@code deadlineNanos}. */
    default void awaitSteady(long deadlineNanos) throws InterruptedException {}

    /** Stops the load, waits for what is in flight, and throws the first failure it met. */
    void stop();
  }

  /**
   * Rounds of timed windows, each after {@code warmupSeconds} of the same load. A heavy case (100,000 in
   * flight: every window ends with waiting for them all, 100,000 / rate seconds) runs only in the last
   * {@code heavyRounds} rounds and not in the warm-up pass, and its window is at least a second: its
   * live calls (~100 MB) make collections long enough to swallow a shorter window.
   */
  record Schedule(int rounds, int heavyRounds, double warmupSeconds, double windowSeconds) {}

  private record Case(String key, String label, boolean heavy, Supplier<Load> load) {
    Case(String key, String label, Supplier<Load> load) {
      this(key, label, false, load);
    }
  }

  private CallThroughput() {}

  /**
   * Measures and prints the rows, and adds them to {@code summary}; the {@code spinWait(0)} rows only
   * when {@code spinRows}.
   */
  static void run(PrintStream out, Summary summary, Regime regime, String python, Schedule schedule,
      boolean spinRows) {
    SnakeBridgeConfig.Builder defaults = SnakeBridgeConfig.load().toBuilder().pythonExecutable(python);
    if (regime.pinned()) {
      // Pinned to one core, the JVM would size the default pool at 1; keep the pool users get unpinned.
      defaults.poolSize(regime.onlineCpus());
    }
    SnakeBridgeConfig config = defaults.build();
    SnakeBridgeRuntime py = SnakeBridgeRuntime.create(config);
    SnakeBridgeRuntime noSpin = spinRows ? SnakeBridgeRuntime.create(config.toBuilder().spinWait(Duration.ZERO).build()) : null;
    try {
      check(py);
      List<Case> cases = new ArrayList<>(cases("", py));
      cases.add(new Case("batch", "batch() of " + BATCH + ", per call", () -> new CallLoads.Batches(py, BATCH)));
      cases.add(new Case("raw-echo", "raw pipelined echo, " + ECHO_CHILDREN + " x " + ECHO_WINDOW + " in flight", () -> new RawPipelinedEcho(python, ECHO_CHILDREN, ECHO_WINDOW)));
      if (noSpin != null) {
        check(noSpin);
        cases.addAll(cases("nospin-", noSpin));
      }
      Map<String, double[]> rates = measure(out, cases, schedule);
      int workers = py.stats().pool("default").workers();
      out.println();
      out.println("Calls per second of operator.add(1, 2), runtime with the default configuration (pool of " + workers
          + ", spinWait " + micros(config.spinWait()) + "); " + regime.describe());
      out.println("median of " + schedule.rounds() + " windows of " + schedule.windowSeconds()
          + " s per case (100,000 in flight: " + schedule.heavyRounds() + " of at least 1 s), rounds interleaved,"
          + " after a warm-up pass");
      printTable(out, cases, rates);
      addSummaryRows(summary, regime, workers, config.spinWait(), rates);
    } finally {
      if (noSpin != null) {
        noSpin.close();
      }
      py.close();
    }
  }

  private static List<Case> cases(String prefix, SnakeBridgeRuntime py) {
    String suffix = prefix.isEmpty() ? "" : ", spinWait 0";
    List<Case> cases = new ArrayList<>();
    cases.add(new Case(prefix + "sync-1", "call(), 1 thread" + suffix, () -> new CallLoads.Sync(py, 1)));
    for (int n : IN_FLIGHT) {
      cases.add(new Case(prefix + "async-" + n, "callAsync(), " + String.format(Locale.ROOT, "%,d", n)
          + " in flight" + suffix, n >= 100_000, () -> new CallLoads.Async(py, n)));
    }
    for (int t : THREADS) {
      if (t > 1) {
        cases.add(new Case(prefix + "sync-" + t, "call(), " + t + " threads" + suffix, () -> new CallLoads.Sync(py, t)));
      }
    }
    return cases;
  }

  private static void check(SnakeBridgeRuntime py) {
    Object three = py.call(CallLoads.MODULE, CallLoads.FUNCTION, 1, 2);
    if (!(three instanceof Number n) || n.longValue() != 3) {
      throw new IllegalStateException("operator.add(1, 2) returned " + three + ", expected 3");
    }
  }

  /** Every case once unmeasured, then rounds of one window each; a failed case is left out of later rounds. */
  private static Map<String, double[]> measure(PrintStream out, List<Case> cases, Schedule schedule) {
    Map<String, double[]> rates = new LinkedHashMap<>();
    Map<String, String> failed = new LinkedHashMap<>();
    for (Case c : cases) {
      rates.put(c.key(), new double[0]);
    }
    for (int round = 0; round <= schedule.rounds(); round++) {
      out.println("# throughput " + (round == 0 ? "warm-up pass" : "round " + round + " of " + schedule.rounds()));
      for (Case c : cases) {
        boolean skipHeavy = c.heavy() && (round == 0 || round <= schedule.rounds() - schedule.heavyRounds());
        if (failed.containsKey(c.key()) || skipHeavy) {
          continue;
        }
        try {
          double rate = window(c, schedule, round > 0, c.heavy() ? Math.max(1.0, schedule.windowSeconds())
              : schedule.windowSeconds());
          if (round > 0) {
            double[] old = rates.get(c.key());
            double[] more = java.util.Arrays.copyOf(old, old.length + 1);
            more[old.length] = rate;
            rates.put(c.key(), more);
          }
        } catch (RuntimeException e) {
          failed.put(c.key(), String.valueOf(e.getMessage()));
          out.println("# " + c.label() + " FAILED: " + e);
        }
      }
    }
    failed.forEach((key, why) -> rates.put(key, null));
    return rates;
  }

  /** Calls per second in one window of {@code c}'s load, or NaN when not {@code timed} (warm-up only). */
  private static double window(Case c, Schedule s, boolean timed, double seconds) {
    Load load = c.load().get();
    load.start();
    try {
      sleep(s.warmupSeconds());
      load.awaitSteady(System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
      if (!timed) {
        return Double.NaN;
      }
      long n0 = load.answered();
      long t0 = System.nanoTime();
      sleep(seconds);
      long n1 = load.answered();
      long t1 = System.nanoTime();
      return (n1 - n0) * 1e9 / (t1 - t0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      load.stop();
    }
  }

  private static void printTable(PrintStream out, List<Case> cases, Map<String, double[]> rates) {
    out.println();
    String format = "%-44s | %10s | %21s | %6s | %s%n";
    out.printf(Locale.ROOT, format, "", "calls/s", "windows min - max", "ratio", "ratio to");
    out.printf(Locale.ROOT, format, "-".repeat(44), "-".repeat(10), "-".repeat(21), "-".repeat(6), "-".repeat(20));
    for (Case c : cases) {
      double[] r = rates.get(c.key());
      if (r == null) {
        out.printf(Locale.ROOT, format, c.label(), "FAILED", "", "", "");
        continue;
      }
      String prefix = c.key().startsWith("nospin-") ? "nospin-" : "";
      String base = c.key().equals(prefix + "sync-1") || c.key().equals("raw-echo") ? null
          : c.key().equals("batch") ? "best callAsync" : "call(), 1 thread";
      double baseRate = base == null ? Double.NaN
          : c.key().equals("batch") ? bestAsync(rates, "") : median(rates, prefix + "sync-1");
      out.printf(Locale.ROOT, format, c.label(), Samples.rate(Samples.of(r).median()), Samples.of(r).rateRange(),
          base == null ? "" : Samples.ratio(Samples.of(r).median() / baseRate), base == null ? "" : base);
    }
  }

  private static void addSummaryRows(Summary summary, Regime regime, int workers, Duration spin,
      Map<String, double[]> rates) {
    double sync1 = median(rates, "sync-1");
    double raw = median(rates, "raw-echo");
    String syncLabel = "call(), 1 thread: " + Samples.rate(sync1) + "/s";
    for (int n : IN_FLIGHT) {
      String what = "callAsync(), " + String.format(Locale.ROOT, "%,d", n) + " in flight";
      double r = median(rates, "async-" + n);
      if (Double.isNaN(r)) {
        summary.failed(1, what, "see the throughput log");
        continue;
      }
      summary.add(1, what, Samples.rate(r) + "/s", syncLabel, Samples.ratio(r / sync1), ">= 1.5 (aim 2)",
          Summary.verdict(r / sync1, r / sync1 >= ASYNC_TARGET));
    }
    if (regime.pinned()) {
      for (int n : IN_FLIGHT) {
        double r = median(rates, "async-" + n);
        summary.add(1, "callAsync(), " + String.format(Locale.ROOT, "%,d", n) + " in flight vs raw echo",
            Samples.rate(r) + "/s", "raw pipelined echo " + ECHO_CHILDREN + " x " + ECHO_WINDOW + ": "
                + Samples.rate(raw) + "/s", Samples.ratio(r / raw), ">= 0.3",
            Summary.verdict(r / raw, r / raw >= ASYNC_RAW_TARGET));
      }
    }
    boolean parallel = regime.pythonParallel() && workers >= 2;
    double threadsTarget = parallel ? 1.5 : 1.0;
    for (int t : THREADS) {
      if (t == 1) {
        continue;
      }
      double r = median(rates, "sync-" + t);
      String what = "call(), " + t + " threads";
      if (Double.isNaN(r)) {
        summary.failed(2, what, "see the throughput log");
        continue;
      }
      summary.add(2, what, Samples.rate(r) + "/s", syncLabel, Samples.ratio(r / sync1),
          parallel ? ">= 1.5 (2 workers at once)" : ">= 1.0", Summary.verdict(r / sync1, r / sync1 >= threadsTarget));
    }
    double batch = median(rates, "batch");
    double best = bestAsync(rates, "");
    summary.add(3, "batch() of " + BATCH + ", per call", Samples.rate(batch) + "/s = "
            + String.format(Locale.ROOT, "%.1f µs/call", 1e6 / batch), "best callAsync: " + Samples.rate(best) + "/s = "
            + String.format(Locale.ROOT, "%.1f µs/call", 1e6 / best), Samples.ratio(batch / best), ">= 1.0",
        Summary.verdict(batch / best, batch / best >= 1.0));
    if (rates.containsKey("nospin-sync-1")) {
      List<String> keys = new ArrayList<>();
      keys.add("sync-1");
      for (int n : IN_FLIGHT) {
        keys.add("async-" + n);
      }
      for (int t : THREADS) {
        if (t > 1) {
          keys.add("sync-" + t);
        }
      }
      for (String key : keys) {
        double zero = median(rates, "nospin-" + key);
        double with = median(rates, key);
        String what = label(key) + ", spinWait 0";
        summary.add(7, what, Samples.rate(zero) + "/s", "spinWait " + micros(spin) + ": " + Samples.rate(with) + "/s",
            Samples.ratio(zero / with), "> 1.00: spinning costs", "");
      }
    }
  }

  private static String label(String key) {
    String[] p = key.split("-");
    int n = Integer.parseInt(p[1]);
    return p[0].equals("async") ? "callAsync(), " + String.format(Locale.ROOT, "%,d", n) + " in flight"
        : "call(), " + n + (n == 1 ? " thread" : " threads");
  }

  private static double bestAsync(Map<String, double[]> rates, String prefix) {
    double best = Double.NaN;
    for (int n : IN_FLIGHT) {
      double r = median(rates, prefix + "async-" + n);
      if (!Double.isNaN(r) && (Double.isNaN(best) || r > best)) {
        best = r;
      }
    }
    return best;
  }

  private static double median(Map<String, double[]> rates, String key) {
    double[] r = rates.get(key);
    return r == null || r.length == 0 ? Double.NaN : Samples.of(r).median();
  }

  static String micros(Duration d) {
    return d.toNanos() % 1000 == 0 ? d.toNanos() / 1000 + " µs" : d.toNanos() + " ns";
  }

  private static void sleep(double seconds) throws InterruptedException {
    Thread.sleep(Math.max(1, Math.round(seconds * 1000)));
  }
}
