package dev.snakebridge.bench;

import dev.snakebridge.SnakeBridge;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The child JVM of {@link IdleCpu}: {@code IdleProbe runtime SECONDS} starts the default runtime the way
 * user code does (the first {@code SnakeBridge.call}, default configuration, {@code SNAKEBRIDGE_PYTHON}
 * from the environment), makes calls from a few threads so that every worker has answered, rests a
 * heartbeat interval and a second, and then measures {@code SECONDS} of idleness; {@code IdleProbe sleep
 * SECONDS} measures a JVM that only sleeps, the baseline. The measurement is a snapshot of every thread of this JVM (but the
 * measuring thread) and of every process below it, from /proc, before and after: CPU time ({@code
 * schedstat}, nanoseconds) and voluntary context switches (each is a sleep, so each following wake-up).
 * Prints one line per thread: {@code T jvm|py PID TID CPU_NANOS VOLUNTARY NEW? COMM}, then {@code W
 * WALL_NANOS}.
 */
public final class IdleProbe {
  private IdleProbe() {}

  /** One thread's counters at one moment. */
  private record Counters(String kind, long pid, long tid, String comm, long cpuNanos, long voluntary) {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !(args[0].equals("runtime") || args[0].equals("sleep"))) {
      System.err.println("usage: IdleProbe runtime|sleep SECONDS");
      System.exit(2);
    }
    long seconds = Long.parseLong(args[1]);
    if (args[0].equals("runtime")) {
      List<Thread> callers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread caller = new Thread(() -> {
          for (int i = 0; i < 20; i++) {
            SnakeBridge.call("math", "sqrt", 16);
          }
        }, "idle-probe-caller-" + t);
        callers.add(caller);
        caller.start();
      }
      for (Thread caller : callers) {
        caller.join();
      }
      System.out.println("P workers " + SnakeBridge.stats().pool("default").workers());
    }
    // Spin-waits and start-up work end, and the first heartbeat goes by: its code runs (and loads its
    // classes) for the first time then, which is not the steady idle state this measures.
    Thread.sleep(SnakeBridge.runtime().config().heartbeatInterval().toMillis() + 1000);
    String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
    Map<String, Counters> before = snapshot(self);
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000);
    long wall = System.nanoTime() - t0;
    Map<String, Counters> after = snapshot(self);
    for (Map.Entry<String, Counters> e : after.entrySet()) {
      Counters a = e.getValue();
      Counters b = before.get(e.getKey());
      System.out.println("T " + a.kind() + " " + a.pid() + " " + a.tid() + " "
          + (a.cpuNanos() - (b == null ? 0 : b.cpuNanos())) + " " + (a.voluntary() - (b == null ? 0 : b.voluntary()))
          + " " + (b == null ? "new" : "old") + " " + a.comm().replace(' ', '_'));
    }
    System.out.println("W " + wall);
    System.out.flush();
  }

  private static Map<String, Counters> snapshot(String self) throws IOException {
    Map<String, Counters> threads = new LinkedHashMap<>();
    long me = ProcessHandle.current().pid();
    threadsOf("jvm", me, self, threads);
    for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
      threadsOf("py", p.pid(), null, threads);
    }
    return threads;
  }

  private static void threadsOf(String kind, long pid, String skip, Map<String, Counters> into) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (Stream<Path> list = Files.list(tasks)) {
      for (Path task : list.toList()) {
        String tid = task.getFileName().toString();
        if (tid.equals(skip)) {
          continue;
        }
        try {
          String comm = Files.readString(task.resolve("comm"), StandardCharsets.UTF_8).strip();
          long cpu = Long.parseLong(Files.readString(task.resolve("schedstat")).strip().split("\\s+")[0]);
          long voluntary = 0;
          for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
              voluntary = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
          }
          into.put(pid + "/" + tid, new Counters(kind, pid, Long.parseLong(tid), comm, cpu, voluntary));
        } catch (IOException | RuntimeException e) {
          // The thread ended between the listing and the read: it is not idle work to report.
        }
      }
    } catch (IOException e) {
      // The process ended: likewise.
    }
  }
}
