package dev.snakebridge.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** BenchMain's command-line settings; see {@code --help}. Not thread-safe (built once, then read). */
final class Settings {
  int warmupIterations = 3;
  double warmupSeconds = 2;
  int iterations = 4;
  double seconds = 5;
  int forks = 1;
  int rounds = 2;
  List<String> only = new ArrayList<>(BenchMain.BENCHMARKS.keySet());
  List<String> parts = BenchMain.PARTS;
  double windowSeconds = 1.5;
  int windowRounds = 5;
  Boolean spinRows;
  int idleSeconds = 10;
  int firstCallRounds = 15;
  String summary;
  String json;
  String plot;
  boolean quick;
  boolean help;

  static Settings parse(String[] args) {
    Settings s = new Settings();
    List<String> parts = null;
    java.util.Set<String> skip = new LinkedHashSet<>();
    boolean onlyGiven = false;
    Double window = null;
    Integer windowRounds = null;
    Integer idleSeconds = null;
    Integer firstCallRounds = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--quick" -> {
          s.quick = true;
          s.warmupIterations = 1;
          s.warmupSeconds = 1;
          s.iterations = 2;
          s.seconds = 1;
          s.rounds = 1;
        }
        case "--warmup-iterations" -> s.warmupIterations = positiveInt(a, value(args, ++i, a));
        case "--warmup-time" -> s.warmupSeconds = positiveDouble(a, value(args, ++i, a));
        case "--iterations" -> s.iterations = positiveInt(a, value(args, ++i, a));
        case "--time" -> s.seconds = positiveDouble(a, value(args, ++i, a));
        case "--forks" -> s.forks = positiveInt(a, value(args, ++i, a));
        case "--rounds" -> s.rounds = positiveInt(a, value(args, ++i, a));
        case "--only" -> {
          List<String> names = List.of(value(args, ++i, a).split(","));
          for (String name : names) {
            if (!BenchMain.BENCHMARKS.containsKey(name)) {
              throw new IllegalArgumentException("--only takes names of " + BenchMain.BENCHMARKS.keySet() + ", not " + name);
            }
          }
          s.only = names;
          onlyGiven = true;
        }
        case "--json" -> s.json = value(args, ++i, a);
        case "--parts" -> parts = parts(a, value(args, ++i, a));
        case "--skip" -> skip.addAll(parts(a, value(args, ++i, a)));
        case "--latency-only" -> parts = List.of("latency");
        case "--throughput-only" -> parts = List.of("throughput");
        case "--idle-only" -> parts = List.of("idle");
        case "--first-call-only" -> parts = List.of("first-call");
        case "--no-throughput" -> skip.addAll(List.of("throughput", "streams"));
        case "--no-bulk" -> skip.add("bulk");
        case "--no-oneshot" -> skip.addAll(List.of("idle", "first-call", "memory"));
        case "--oneshot-only" -> parts = List.of("idle", "first-call", "memory");
        case "--window" -> window = positiveDouble(a, value(args, ++i, a));
        case "--window-rounds" -> windowRounds = positiveInt(a, value(args, ++i, a));
        case "--spin-rows" -> s.spinRows = true;
        case "--no-spin-rows" -> s.spinRows = false;
        case "--idle-seconds" -> idleSeconds = positiveInt(a, value(args, ++i, a));
        case "--first-call-rounds" -> firstCallRounds = positiveInt(a, value(args, ++i, a));
        case "--summary" -> s.summary = value(args, ++i, a);
        case "--plot" -> s.plot = value(args, ++i, a);
        case "-h", "--help" -> s.help = true;
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    // --quick sets shorter defaults; an explicit option wins whatever its place on the line.
    List<String> chosen = new ArrayList<>(parts != null ? parts : s.quick ? BenchMain.QUICK_PARTS : BenchMain.PARTS);
    chosen.removeAll(skip);
    s.parts = BenchMain.PARTS.stream().filter(chosen::contains).toList();
    if (s.quick && !onlyGiven) {
      s.only = List.of("floor", "sqrt");
    }
    s.windowSeconds = window != null ? window : s.quick ? 0.3 : 1.5;
    s.windowRounds = windowRounds != null ? windowRounds : s.quick ? 5 : 15;
    s.idleSeconds = idleSeconds != null ? idleSeconds : s.quick ? 5 : 10;
    s.firstCallRounds = firstCallRounds != null ? firstCallRounds : s.quick ? 5 : 15;
    return s;
  }

  private static List<String> parts(String option, String list) {
    List<String> names = List.of(list.split(","));
    for (String name : names) {
      if (!BenchMain.PARTS.contains(name)) {
        throw new IllegalArgumentException(option + " takes names of " + BenchMain.PARTS + ", not " + name);
      }
    }
    return names;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static int positiveInt(String option, String v) {
    try {
      int n = Integer.parseInt(v);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + " needs a positive integer, not " + v);
  }

  private static double positiveDouble(String option, String v) {
    try {
      double d = Double.parseDouble(v);
      if (d > 0 && Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + " needs a positive number of seconds, not " + v);
  }
}
