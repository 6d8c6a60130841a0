package dev.snakebridge.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How this run is scheduled: the CPUs the JVM and the Python command may use. <i>pinned</i> is the lab
 * regime of run.sh --pinned (the JVM on one core, every Python process on another); <i>unpinned</i> is
 * what users get (both free to use every core); anything else is <i>mixed</i> and flagged.
 */
record Regime(String name, String jvmCpus, String pythonCpus, int onlineCpus, String python) {
  /** {@code python}: the interpreter as it describes itself (version and executable). */
  static Regime detect(String pythonCpus, String python) {
    String jvm = BenchSupport.jvmCpus();
    int online = onlineCpuCount();
    String name;
    if (count(jvm) == 1 && count(pythonCpus) == 1 && !compact(jvm).equals(compact(pythonCpus))) {
      name = "pinned";
    } else if (count(jvm) == online && count(pythonCpus) == online) {
      name = "unpinned";
    } else {
      name = "mixed";
    }
    return new Regime(name, compact(jvm), compact(pythonCpus), online, python);
  }

  /** A CPU list in ranges ("0,1,2,5" becomes "0-2,5"); as given when it is not a list. */
  static String compact(String list) {
    if (count(list) < 1) {
      return list;
    }
    java.util.TreeSet<Integer> cpus = new java.util.TreeSet<>();
    for (String part : list.split(",")) {
      String[] range = part.split("-");
      int from = Integer.parseInt(range[0]);
      int to = range.length == 1 ? from : Integer.parseInt(range[1]);
      for (int c = from; c <= to; c++) {
        cpus.add(c);
      }
    }
    StringBuilder out = new StringBuilder();
    Integer start = null;
    Integer prev = null;
    for (int c : cpus) {
      if (prev != null && c == prev + 1) {
        prev = c;
        continue;
      }
      if (start != null) {
        out.append(out.length() > 0 ? "," : "").append(start.equals(prev) ? "" + start : start + "-" + prev);
      }
      start = c;
      prev = c;
    }
    out.append(out.length() > 0 ? "," : "").append(start.equals(prev) ? "" + start : start + "-" + prev);
    return out.toString();
  }

  boolean pinned() {
    return name.equals("pinned");
  }

  /** Whether two Python workers can run at the same time (the Python command may use two cores or more). */
  boolean pythonParallel() {
    return count(pythonCpus) >= 2;
  }

  String describe() {
    return name + " (JVM on CPUs " + jvmCpus + ", Python on CPUs " + pythonCpus + ", " + onlineCpus + " online)";
  }

  /** The title of this regime's headline table. */
  String title(boolean quick) {
    return "SnakeBridge, " + describe() + "; Python " + python + (quick ? "; --quick, provisional" : "");
  }

  /** CPUs in a list such as "0-3,5"; -1 when it cannot be read. */
  static int count(String list) {
    if (list == null || !list.matches("[0-9,\\-]+")) {
      return -1;
    }
    int n = 0;
    for (String part : list.split(",")) {
      String[] range = part.split("-");
      n += range.length == 1 ? 1 : Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
    }
    return n;
  }

  static int onlineCpuCount() {
    try {
      int n = count(Files.readString(Path.of("/sys/devices/system/cpu/online")).strip());
      return n > 0 ? n : Runtime.getRuntime().availableProcessors();
    } catch (Exception e) {
      return Runtime.getRuntime().availableProcessors();
    }
  }
}
