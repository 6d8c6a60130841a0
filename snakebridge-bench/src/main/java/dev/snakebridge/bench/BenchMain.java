package dev.snakebridge.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs the benchmark parts in one regime (whatever CPU affinity this JVM and the Python command were
 * started with) and ends with the headline table of that regime ({@link Summary}) and its markdown:
 *
 * <ul>
 *   <li>{@code latency}: the floors (raw pipe echo, raw shared-memory echo) and {@code
 *       SnakeBridge.call("math", "sqrt", 16)} in one JMH run, {@link Mode#SampleTime}, p50, p99 and the
 *       p50 ratios to the pipe floor;
 *   <li>{@code throughput}: calls per second of async, threaded and batched calls ({@link CallThroughput});
 *   <li>{@code idle}: CPU and wake-ups of an idle runtime ({@link IdleCpu});
 *   <li>{@code first-call}: a fresh JVM's first call ({@link FirstCall}) and a pool's start-up in a warm JVM;
 *   <li>{@code streams}, {@code bulk}, {@code memory}: the detail tables (JMH streams and pipelined calls,
 *       bulk arrays vs arraycopy, memory per ref).
 * </ul>
 *
 * {@code snakebridge-bench/run.sh} runs it once unpinned and once pinned; see docs/PERFORMANCE.md.
 */
public final class BenchMain {
  /** The p50 ratio sqrt/floor of issue 3 (pipes, no tricks). */
  static final double TARGET_RATIO = 1.10;
  /** The p50 ratio sqrt/floor of issue 7 (the low-latency transport). */
  static final double LOW_LATENCY_TARGET_RATIO = 0.10;

  /** The parts of a run, in the order they run. */
  static final List<String> PARTS = List.of("latency", "throughput", "idle", "first-call", "streams", "bulk", "memory");
  /** What --quick runs unless --parts says otherwise. */
  static final List<String> QUICK_PARTS = List.of("latency", "throughput", "idle", "first-call");

  private static final String USAGE = """
      usage: java -jar benchmarks.jar [options]      (normally: bash snakebridge-bench/run.sh [options])
      run.sh runs it unpinned, then pinned (--unpinned or --pinned: that regime alone) and prints both
      headline tables at the end.
        --quick                  the headline table in about two minutes per regime: latency rows
                                 floor and sqrt, short throughput windows, 5 s idle, 3 first-call rounds;
                                 no streams, bulk or memory tables (numbers provisional)
        --parts P[,P]            run only these parts: latency, throughput, idle, first-call, streams,
                                 bulk, memory (default all; with --quick: latency to first-call)
        --skip P[,P]             leave these parts out
        --latency-only, --throughput-only, --idle-only, --first-call-only
                                 one part alone
        --window S               seconds per timed throughput window (default 1.5; quick 0.3)
        --window-rounds N        throughput rounds, each case once per round (default 5; quick 3, and
                                 100,000 in flight only in the last)
        --spin-rows / --no-spin-rows
                                 the throughput rows again with spinWait 0 (default: unless pinned)
        --idle-seconds N         how long the runtime is left idle (default 10; quick 5)
        --first-call-rounds N    fresh JVMs per kind (default 15; quick 5)
        --summary FILE           also write the headline table and its markdown to FILE
        --rounds N               rounds of (floor, sqrt), each benchmark in a fresh fork (default 2)
        --warmup-iterations N    warm-up iterations per fork (default 3)
        --warmup-time S          seconds per warm-up iteration (default 2)
        --iterations N           measured iterations per fork (default 4)
        --time S                 seconds per measured iteration (default 5)
        --forks N                JVM forks per benchmark and round (default 1)
        --only NAME[,NAME]       latency rows: floor, shm-floor, sqrt, sqrt-pipe, sqrt-nospin
                                 (default all; quick: floor, sqrt)
        --no-throughput          = --skip throughput,streams
        --no-bulk                = --skip bulk
        --no-oneshot             = --skip idle,first-call,memory
        --oneshot-only           = --parts idle,first-call,memory
        --plot FILE              also draw the latency percentiles as a PNG
        --json FILE              also write JMH's JSON results to FILE
      The Python command is -Dsnakebridge.bench.python, else $SNAKEBRIDGE_PYTHON, else python3.
      """;

  private BenchMain() {}

  /** The rows of the table, by name, in order. */
  static final Map<String, Class<?>> BENCHMARKS = new LinkedHashMap<>();

  static {
    BENCHMARKS.put("floor", FloorBenchmark.class);
    BENCHMARKS.put("shm-floor", ShmFloorBenchmark.class);
    BENCHMARKS.put("sqrt", SqrtBenchmark.class);
    BENCHMARKS.put("sqrt-pipe", SqrtPipeBenchmark.class);
    BENCHMARKS.put("sqrt-nospin", SqrtNoSpinBenchmark.class);
  }

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Settings settings;
    try {
      settings = Settings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("benchmarks: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    if (settings.help) {
      out.print(USAGE);
      return;
    }

    Regime regime = printEnvironment(out, settings);
    Summary summary = new Summary(regime.title(settings.quick));
    long started = System.nanoTime();
    if (settings.parts.contains("latency")) {
      runLatency(out, settings, summary);
      started = took(out, "latency", started);
    }
    if (settings.parts.contains("throughput")) {
      CallThroughput.Schedule schedule = new CallThroughput.Schedule(settings.windowRounds,
          settings.quick ? 1 : settings.windowRounds, settings.quick ? 0.15 : 0.5, settings.windowSeconds);
      boolean spinRows = settings.spinRows != null ? settings.spinRows : !regime.pinned();
      try {
        CallThroughput.run(out, summary, regime, BenchSupport.python(), schedule, spinRows);
      } catch (RuntimeException e) {
        out.println("# throughput FAILED: " + e);
        summary.failed(1, "throughput", String.valueOf(e));
      }
      started = took(out, "throughput", started);
    }
    if (settings.parts.contains("idle")) {
      IdleCpu.run(out, summary, BenchSupport.python(), settings.idleSeconds);
      started = took(out, "idle", started);
    }
    if (settings.parts.contains("first-call")) {
      FirstCall.run(out, summary, BenchSupport.python(), settings.firstCallRounds);
      OneShotMeasurements.startup(out, summary, BenchSupport.rawPython(), settings.quick ? 3 : 15);
      took(out, "first-call", started);
    }
    if (settings.parts.contains("streams")) {
      printThroughput(out, settings);
      printPipelined(out, settings);
    }
    if (settings.parts.contains("bulk")) {
      printBulk(out, settings);
    }
    if (settings.parts.contains("memory")) {
      OneShotMeasurements.refMemory(out, BenchSupport.python());
    }
    if (!summary.isEmpty()) {
      summary.print(out);
      summary.printMarkdown(out, settings.summary == null ? null : Path.of(settings.summary));
    }
  }

  /** Prints how long a part took (the run's length is worth knowing before the next one); returns now. */
  private static long took(PrintStream out, String part, long since) {
    long now = System.nanoTime();
    out.printf(Locale.ROOT, "# %s: %.0f s%n", part, (now - since) / 1e9);
    return now;
  }

  /**
   * Round after round of the latency rows, each in a fresh fork, so a change of load on the machine
   * during the run hits every row alike rather than only the one that happened to run then.
   */
  private static void runLatency(PrintStream out, Settings settings, Summary summary) {
    Map<String, List<BenchmarkResult>> collected = new LinkedHashMap<>();
    Map<String, BenchmarkParams> params = new LinkedHashMap<>();
    for (int round = 1; round <= settings.rounds; round++) {
      if (settings.rounds > 1) {
        out.println("# ===== round " + round + " of " + settings.rounds + " =====");
      }
      Collection<RunResult> results;
      try {
        results = new Runner(options(settings).build()).run();
      } catch (RunnerException e) {
        out.println("# latency FAILED: the JMH run failed: " + e.getMessage());
        summary.failed(4, "latency", "the JMH run failed: " + e.getMessage());
        return;
      }
      for (String name : settings.only) {
        String className = BENCHMARKS.get(name).getName();
        for (RunResult r : results) {
          if (r.getParams().getBenchmark().startsWith(className + ".")) {
            params.putIfAbsent(name, r.getParams());
            collected.computeIfAbsent(name, k -> new ArrayList<>()).addAll(r.getBenchmarkResults());
          }
        }
      }
    }
    if (!collected.keySet().equals(new LinkedHashSet<>(settings.only))) {
      out.println("# latency FAILED: missing results; got " + collected.keySet() + ", wanted " + settings.only);
      summary.failed(4, "latency", "missing JMH results; got " + collected.keySet());
      return;
    }

    // All rounds together, as JMH joins forks: the percentiles are over every sample taken.
    Map<String, RunResult> merged = new LinkedHashMap<>();
    for (String name : settings.only) {
      merged.put(name, new RunResult(params.get(name), collected.get(name)));
    }
    if (settings.json != null) {
      ResultFormatFactory.getInstance(ResultFormatType.JSON, settings.json).writeOut(merged.values());
    }
    printTable(out, merged);
    addLatencyRows(summary, merged);
    if (settings.plot != null) {
      plot(out, settings.plot, merged);
    }
  }

  private static void addLatencyRows(Summary summary, Map<String, RunResult> merged) {
    Statistics floor = statistics(merged.get("floor"));
    if (floor == null) {
      return;
    }
    String base = "pipe floor p50 " + fmt(floor.getPercentile(50)) + " µs (p99 " + fmt(floor.getPercentile(99)) + ")";
    String[][] rows = {
        {"sqrt", "call(math.sqrt) p50 (p99), pool of 1, defaults"},
        {"sqrt-pipe", "call(math.sqrt) p50 (p99), pipes"},
        {"sqrt-nospin", "call(math.sqrt) p50 (p99), pipes, spinWait 0"}};
    for (String[] row : rows) {
      Statistics s = statistics(merged.get(row[0]));
      if (s == null) {
        continue;
      }
      double ratio = s.getPercentile(50) / floor.getPercentile(50);
      String verdict = !row[0].equals("sqrt") ? ""
          : ratio <= LOW_LATENCY_TARGET_RATIO ? "met (both)"
          : ratio <= TARGET_RATIO ? "met <= 1.1, NOT met <= 0.1" : "NOT met";
      summary.add(4, row[1], fmt(s.getPercentile(50)) + " µs (p99 " + fmt(s.getPercentile(99)) + ")", base,
          Samples.ratio(ratio), row[0].equals("sqrt") ? "<= 1.1; low-latency <= 0.1" : "", verdict);
    }
  }

  private static void plot(PrintStream out, String file, Map<String, RunResult> merged) {
    Map<String, Statistics> rows = new LinkedHashMap<>();
    merged.forEach((name, r) -> rows.put(name, statistics(r)));
    try {
      LatencyPlot.write(Path.of(file), "math.sqrt(16) round trip vs raw echo floors (JMH SampleTime, pinned)", rows);
      out.println();
      out.println("latency percentiles drawn to " + file);
    } catch (java.io.IOException | RuntimeException e) {
      System.err.println("benchmarks: cannot draw " + file + ": " + e);
    }
  }

  /**
   * Calls per second across a pool of two workers, 128 in flight to each, against a raw pipelined echo
   * through two Python children (JMH Throughput; {@link PipelinedThroughputBenchmark}).
   */
  private static void printPipelined(PrintStream out, Settings settings) {
    Map<String, double[]> rows = scores(PipelinedThroughputBenchmark.class, null, settings, "pipelined");
    if (rows == null) {
      return;
    }
    double[] raw = rows.get("rawEcho");
    out.println();
    out.println("Pipelined calls across 2 Python processes, 128 in flight to each (JMH Throughput; JVM and Python pinned)");
    out.println();
    String format = "%-44s | %12s | %12s | %6s%n";
    out.printf(Locale.ROOT, format, "", "per second", "± (99.9%)", "ratio");
    out.printf(Locale.ROOT, format, "-".repeat(44), "------------", "------------", "------");
    String[][] names = {
        {"rawEcho", "raw pipelined echo, 2 children (baseline)"},
        {"asyncCalls", "callAsync(math.sqrt), pool of 2"},
        {"batchCalls", "batch() of 128 math.sqrt, pool of 2"},
        {"syncCalls", "call(math.sqrt), 2 threads, pool of 2"}};
    for (String[] name : names) {
      double[] row = rows.get(name[0]);
      if (row != null) {
        out.printf(Locale.ROOT, format, name[1], String.format(Locale.ROOT, "%,.0f", row[0]),
            String.format(Locale.ROOT, "%,.0f", row[1]),
            raw == null ? "" : String.format(Locale.ROOT, "%.2f", row[0] / raw[0]));
      }
    }
    out.println();
    out.println("(target: async calls/s >= 0.50 x the raw pipelined echo)");
  }

  /** Items per second pulled and pushed from one worker (JMH Throughput; one operation is one item). */
  private static void printThroughput(PrintStream out, Settings settings) {
    Collection<RunResult> results;
    try {
      results = new Runner(new OptionsBuilder()
          .include("^" + Pattern.quote(StreamThroughputBenchmark.class.getName() + ".") + "\\w+$")
          .mode(Mode.Throughput)
          .timeUnit(TimeUnit.SECONDS)
          .warmupIterations(settings.quick ? 1 : 2)
          .measurementIterations(settings.quick ? 1 : 4)
          .forks(1)
          .jvmArgsAppend("-D" + BenchSupport.PYTHON_PROPERTY + "=" + BenchSupport.python(),
              "-D" + BenchSupport.PARENT_CPUS_PROPERTY + "=" + BenchSupport.jvmCpus())
          .build()).run();
    } catch (RunnerException e) {
      System.err.println("benchmarks: the throughput run failed: " + e.getMessage());
      return;
    }
    out.println();
    out.println("Items per second from one worker (JMH Throughput, one operation = one item)");
    out.println();
    String format = "%-30s | %14s | %12s%n";
    out.printf(Locale.ROOT, format, "", "items/s", "± (99.9%)");
    out.printf(Locale.ROOT, format, "------------------------------", "--------------", "------------");
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark().endsWith(".push")
          ? "push stream (pushEach, 1M ints)" : "pulled stream (stream, 100k)";
      var stats = r.getPrimaryResult();
      out.printf(Locale.ROOT, format, name, String.format(Locale.ROOT, "%,.0f", stats.getScore()),
          String.format(Locale.ROOT, "%,.0f", stats.getScoreError()));
    }
  }

  /**
   * Runs every benchmark method of {@code benchmark} in one fork (its own annotations, or {@code mode}
   * in milliseconds when given; a short schedule under --quick) and returns {method: {score, error}},
   * or null after saying why the run failed.
   */
  private static Map<String, double[]> scores(Class<?> benchmark, Mode mode, Settings settings, String what) {
    Collection<RunResult> results;
    try {
      OptionsBuilder options = new OptionsBuilder();
      options.include("^" + Pattern.quote(benchmark.getName() + ".") + "\\w+$")
          .forks(1)
          .jvmArgsAppend("-D" + BenchSupport.PYTHON_PROPERTY + "=" + BenchSupport.python(),
              "-D" + BenchSupport.PARENT_CPUS_PROPERTY + "=" + BenchSupport.jvmCpus());
      if (mode != null) {
        options.mode(mode).timeUnit(TimeUnit.MILLISECONDS);
      }
      if (settings.quick) {
        options.warmupIterations(1).warmupTime(TimeValue.seconds(1)).measurementIterations(1)
            .measurementTime(TimeValue.seconds(1));
      }
      results = new Runner(options.build()).run();
    } catch (RunnerException e) {
      System.err.println("benchmarks: the " + what + " run failed: " + e.getMessage());
      return null;
    }
    Map<String, double[]> rows = new LinkedHashMap<>();
    for (RunResult r : results) {
      String b = r.getParams().getBenchmark();
      var stats = r.getPrimaryResult();
      rows.put(b.substring(b.lastIndexOf('.') + 1), new double[] {stats.getScore(), stats.getScoreError()});
    }
    return rows;
  }

  /** GB/s of an 80 MB float64 array each way, against System.arraycopy in the same fork (JMH AverageTime). */
  private static void printBulk(PrintStream out, Settings settings) {
    Map<String, double[]> rows = scores(BulkArrayBenchmark.class, Mode.AverageTime, settings, "bulk-array");
    if (rows == null) {
      return;
    }
    double[] copy = rows.get("arraycopy");
    out.println();
    out.println("Bulk arrays: 80 MB of float64 each way (JMH AverageTime, one fork; ratio = GB/s / arraycopy GB/s)");
    out.println();
    String format = "%-34s | %9s | %9s | %7s | %6s%n";
    out.printf(Locale.ROOT, format, "", "ms/op", "± (99.9%)", "GB/s", "ratio");
    out.printf(Locale.ROOT, format, "----------------------------------", "---------", "---------", "-------", "------");
    String[][] names = {
        {"arraycopy", "System.arraycopy (baseline)"},
        {"pythonToJava", "numpy -> Java double[] (toNDArray)"},
        {"pythonToJavaReused", "numpy -> reused double[] (copyInto)"},
        {"pythonToJavaView", "numpy -> NDArray view (no copy)"},
        {"javaToPython", "Java double[] -> numpy (view, len)"},
        {"freshShmFloor", "fallback: 80 MB into a new shm file"}};
    for (String[] name : names) {
      double[] row = rows.get(name[0]);
      if (row == null) {
        continue;
      }
      double gbs = BulkArrayBenchmark.BYTES / (row[0] / 1000) / 1e9;
      String ratio = copy == null ? "" : String.format(Locale.ROOT, "%.2f", copy[0] / row[0]);
      out.printf(Locale.ROOT, format, name[1], String.format(Locale.ROOT, "%.2f", row[0]),
          String.format(Locale.ROOT, "%.2f", row[1]), String.format(Locale.ROOT, "%.2f", gbs), ratio);
    }
    out.println();
    out.println("(target: numpy -> Java double[] and Java double[] -> numpy at >= 0.50 of arraycopy)");
  }

  private static ChainedOptionsBuilder options(Settings settings) {
    ChainedOptionsBuilder options = new OptionsBuilder()
        .mode(Mode.SampleTime)
        .timeUnit(TimeUnit.MICROSECONDS)
        .warmupIterations(settings.warmupIterations)
        .warmupTime(millis(settings.warmupSeconds))
        .measurementIterations(settings.iterations)
        .measurementTime(millis(settings.seconds))
        .forks(settings.forks)
        .threads(1)
        .shouldFailOnError(true)
        // Forks inherit the environment, the CPU affinity and this JVM's arguments; make sure the
        // Python command travels even when it came from a system property.
        .jvmArgsAppend(
            "-D" + BenchSupport.PYTHON_PROPERTY + "=" + BenchSupport.python(),
            "-D" + BenchSupport.PARENT_CPUS_PROPERTY + "=" + BenchSupport.jvmCpus());
    for (String name : settings.only) {
      options.include("^" + Pattern.quote(BENCHMARKS.get(name).getName() + ".") + "\\w+$");
    }
    return options;
  }

  private static Regime printEnvironment(PrintStream out, Settings settings) {
    String jvmCpus = BenchSupport.jvmCpus();
    String[] py = BenchSupport.askPython(
            "import os, platform, sys; print(platform.python_version(), sys.executable,"
                + " ','.join(map(str, sorted(os.sched_getaffinity(0)))) if hasattr(os, 'sched_getaffinity') else '?',"
                + " sep='|')")
        .split("\\|");
    String pyVersion = py.length == 3 ? py[0] : String.join("|", py);
    String pyExecutable = py.length == 3 ? py[1] : "?";
    String pyCpus = py.length == 3 ? py[2] : "?";

    Regime regime = Regime.detect(pyCpus, pyVersion + " (" + pyExecutable + ")");
    out.println("SnakeBridge benchmarks, " + regime.name() + ": " + String.join(", ", settings.parts));
    out.println("  date    : " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
    out.println("  host    : " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch") + "; CPUs online: " + onlineCpus());
    out.println("  JVM     : " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name")
        + " " + System.getProperty("java.runtime.version") + "; CPUs allowed: " + jvmCpus);
    out.println("  Python  : " + pyVersion + " (" + pyExecutable + ") via '" + BenchSupport.python()
        + "'; CPUs allowed: " + pyCpus);
    out.println("  regime  : " + regime.describe());
    if (settings.parts.contains("latency")) {
      out.println("  latency : warm-up " + settings.warmupIterations + " x " + settings.warmupSeconds
          + " s, measurement " + settings.iterations + " x " + settings.seconds + " s, "
          + settings.forks + " fork(s) per benchmark, " + settings.rounds + " round(s) of "
          + String.join(", ", settings.only));
    }
    if (regime.name().equals("mixed")) {
      out.println();
      out.println("  WARNING: neither pinned (the JVM and Python on one separate core each) nor unpinned (both free on");
      out.println("  every core): JVM " + jvmCpus + ", Python " + pyCpus + ". The numbers match neither regime of");
      out.println("  docs/PERFORMANCE.md. Run: bash snakebridge-bench/run.sh [--pinned | --unpinned]");
    }
    if (settings.quick) {
      out.println();
      out.println("  NOTE: --quick: short windows and few rounds; the numbers are provisional.");
    }
    out.println();
    return regime;
  }

  private static void printTable(PrintStream out, Map<String, RunResult> byName) {
    Statistics floor = statistics(byName.get("floor"));
    Statistics sqrt = statistics(byName.get("sqrt"));
    out.println();
    out.println("SnakeBridge round-trip latency (JMH SampleTime, all rounds; JVM and Python scheduled as shown above)");
    out.println();
    String format = "%-11s | %8s | %8s | %14s | %21s | %9s%n";
    out.printf(Locale.ROOT, format, "", "p50 µs", "p99 µs", "p50 / floor", "iteration p50s, µs", "samples");
    out.printf(Locale.ROOT, format, "-----------", "--------", "--------", "--------------", "---------------------",
        "---------");
    for (Map.Entry<String, RunResult> e : byName.entrySet()) {
      Statistics s = statistics(e.getValue());
      String ratio = !e.getKey().equals("floor") && floor != null
          ? String.format(Locale.ROOT, "%.2f", s.getPercentile(50) / floor.getPercentile(50))
          : "";
      out.printf(Locale.ROOT, format, e.getKey(), fmt(s.getPercentile(50)), fmt(s.getPercentile(99)), ratio,
          iterationMedianRange(e.getValue()), s.getN());
    }
    out.println();
    out.println("(iteration p50s: the lowest and highest median of single measured iterations; a wide range");
    out.println(" means the machine's load changed during the run)");
    Statistics noSpin = statistics(byName.get("sqrt-nospin"));
    Statistics shmFloor = statistics(byName.get("shm-floor"));
    if (floor != null && sqrt != null) {
      double ratio = sqrt.getPercentile(50) / floor.getPercentile(50);
      out.println();
      out.printf(Locale.ROOT, "p50 ratio sqrt/floor = %.2f (default settings: shared memory, spin-wait):"
          + " issue 3 target <= %.2f %s; issue 7 target <= %.2f %s%n", ratio,
          TARGET_RATIO, ratio <= TARGET_RATIO ? "met" : "NOT met",
          LOW_LATENCY_TARGET_RATIO, ratio <= LOW_LATENCY_TARGET_RATIO ? "met" : "NOT met");
    }
    if (shmFloor != null && sqrt != null) {
      out.printf(Locale.ROOT, "p50 sqrt - shm-floor = %.1f µs (the runtime's own work on both sides, transport excluded)%n",
          sqrt.getPercentile(50) - shmFloor.getPercentile(50));
    }
    if (floor != null && noSpin != null) {
      out.printf(Locale.ROOT, "p50 ratio sqrt-nospin/floor = %.2f (pipes, spinWait 0: sleeps in read like the floor;"
          + " the runtime's own overhead)%n", noSpin.getPercentile(50) / floor.getPercentile(50));
    }
  }

  private static Statistics statistics(RunResult result) {
    return result == null ? null : result.getPrimaryResult().getStatistics();
  }

  private static String iterationMedianRange(RunResult result) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (BenchmarkResult b : result.getBenchmarkResults()) {
      for (IterationResult i : b.getIterationResults()) {
        double p50 = i.getPrimaryResult().getStatistics().getPercentile(50);
        min = Math.min(min, p50);
        max = Math.max(max, p50);
      }
    }
    return min > max ? "" : fmt(min) + " - " + fmt(max);
  }

  private static String fmt(double micros) {
    return String.format(Locale.ROOT, "%.1f", micros);
  }

  private static String onlineCpus() {
    try {
      return Files.readString(Path.of("/sys/devices/system/cpu/online")).strip();
    } catch (Exception e) {
      return "?";
    }
  }

  private static TimeValue millis(double seconds) {
    return TimeValue.milliseconds(Math.max(1, Math.round(seconds * 1000)));
  }
}
