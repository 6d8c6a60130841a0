package dev.snakebridge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a fault may leak, counted in this JVM: live Python processes it started (workers and templates),
 * the library's platform threads, open file descriptors, its ring files and buffer files in
 * {@code /dev/shm}, and fork FIFO directories in the temporary directory.
 */
record ResourceCounts(long processes, long threads, long fds, long ringFiles, long bufferFiles, long fifoDirs) {

  static ResourceCounts now() {
    try {
      return new ResourceCounts(pythonProcesses(), libraryThreads(), count(Path.of("/proc/self/fd"), ""),
          Workers.ringFiles(), count(Path.of("/dev/shm"), "snakebridge-bulk-" + ProcessHandle.current().pid() + "-"),
          countFifoDirs());
    } catch (IOException e) {
      throw new IllegalStateException("cannot count resources", e);
    }
  }

  /** Whether nothing here exceeds {@code baseline} (processes must match it: a pool is back to full size). */
  boolean within(ResourceCounts baseline) {
    return processes == baseline.processes && threads <= baseline.threads && fds <= baseline.fds
        && ringFiles <= baseline.ringFiles && bufferFiles <= baseline.bufferFiles && fifoDirs <= baseline.fifoDirs;
  }

  /**
   * Waits up to {@code millis} for the counts to come back within {@code baseline} (a replacement worker
   * starts, a dead worker's threads end) and returns the last counts.
   */
  /** What each of this JVM's file descriptors points to, for a leak's message. */
  static List<String> fdTargets() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
          return "?";
        }
      }).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  static ResourceCounts settle(ResourceCounts baseline, long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    ResourceCounts now = now();
    while (!now.within(baseline) && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
      now = now();
    }
    return now;
  }

  /**
   * Running processes this JVM started, seen as its descendants now or at an earlier count: a worker
   * whose fork server died is re-parented to init and is no descendant any more, but still ours.
   */
  static long pythonProcesses() {
    ProcessHandle.current().descendants().forEach(p -> SEEN.add(p.pid()));
    return SEEN.stream().filter(pid -> ProcessHandle.of(pid).map(ResourceCounts::running).orElse(false)).count();
  }

  /** Whether a process runs: a dead but unreaped one is a zombie (state Z in /proc/<pid>/stat). */
  static boolean running(ProcessHandle p) {
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

  /** Every process this JVM started while counting: a FIFO directory outlives its template when it leaks. */
  private static final java.util.Set<Long> SEEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** FIFO directories of the fork servers this JVM started (other JVMs on the machine make their own). */
  private static long countFifoDirs() throws IOException {
    ProcessHandle.current().descendants().forEach(p -> SEEN.add(p.pid()));
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.map(f -> f.getFileName().toString())
          .filter(name -> name.startsWith("snakebridge-fork-"))
          .filter(name -> {
            String[] parts = name.split("-");
            return parts.length >= 4 && SEEN.contains(Long.parseLong(parts[2]));
          })
          .count();
    }
  }

  private static long libraryThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("snakebridge-"))
        .count();
  }

  private static long count(Path dir, String prefix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith(prefix)).count();
    }
  }
}
