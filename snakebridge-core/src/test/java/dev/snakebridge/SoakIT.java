package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Calls that create and drop refs, half released by hand and half left to the garbage collector, in a
 * long-lived session with a TTL: after warm-up, the JVM's heap after GC, the worker's resident memory
 * and its live-ref count stay flat (growth at most 5 %, over a floor of 1 MiB of heap and 2 MiB of RSS
 * for the measurement's own noise), measured after the first half of the calls and at the end.
 * {@code snakebridge.soak.calls} calls (50,000 by default; the long profile runs 1,000,000).
 */
class SoakIT {
  private static final double GROWTH = 0.05;

  @Test
  void refsCreatedAndDroppedLeaveHeapRssAndLiveRefsFlat() throws Exception {
    int calls = Integer.getInteger("snakebridge.soak.calls", 50_000);
    SnakeBridgeConfig config = Workers.config(1).refTtl(Duration.ofMinutes(10)).build();
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(config);
        Session longLived = py.session("soak-long-lived")) {
      long pid = (Long) longLived.callHelper("sb_test_helpers.pid");
      int warmUp = calls / 2; // the worker's allocator and tables reach their working size first
      Sample atWarmUp = null;
      for (int i = 0; i < calls; i++) {
        PyRef path = (PyRef) longLived.call("pathlib", "PurePosixPath", "/tmp", Integer.toString(i));
        if (i % 2 == 0) {
          path.release(); // the other half is left to the garbage collector (Cleaner → batched release)
        }
        if (i + 1 == warmUp) {
          atWarmUp = Sample.take(py, pid);
        }
      }
      Sample atEnd = Sample.take(py, pid);
      String summary = String.format("soak: %d calls; heap after GC %.1f → %.1f MiB, worker RSS %.1f → %.1f MiB,"
          + " live refs %d → %d%n", calls, mib(atWarmUp.heap), mib(atEnd.heap), mib(atWarmUp.rss), mib(atEnd.rss),
          atWarmUp.liveRefs, atEnd.liveRefs);
      System.out.print(summary);
      Path out = Path.of("target", "reliability", "soak.txt");
      Files.createDirectories(out.getParent());
      Files.writeString(out, summary, StandardCharsets.UTF_8);
      assertThat(atEnd.heap).as(summary).isLessThanOrEqualTo(flat(atWarmUp.heap, 1 << 20));
      assertThat(atEnd.rss).as(summary).isLessThanOrEqualTo(flat(atWarmUp.rss, 2 << 20));
      assertThat(atEnd.liveRefs).as(summary).isLessThanOrEqualTo(Math.max(atWarmUp.liveRefs + atWarmUp.liveRefs / 20, 64));
    }
  }

  private static long flat(long base, long floor) {
    return base + Math.max((long) (base * GROWTH), floor);
  }

  private static double mib(long bytes) {
    return bytes / 1048576.0;
  }

  /** Heap after GC, worker RSS, and objects the worker holds for Java, once dropped refs are released. */
  private record Sample(long heap, long rss, long liveRefs) {
    static Sample take(SnakeBridgeRuntime py, long pid) throws Exception {
      long heap = Long.MAX_VALUE;
      long live = Long.MAX_VALUE;
      for (int i = 0; i < 5; i++) {
        System.gc();
        Thread.sleep(200); // the Cleaner queues releases; the housekeeper sends them
        heap = Math.min(heap, Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
        py.callHelper("sb_test_helpers.collect");
        live = Math.min(live, (Long) py.callHelper("sb_test_helpers.live_objects"));
      }
      return new Sample(heap, rss(pid), live);
    }

    private static long rss(long pid) throws IOException {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
      throw new IOException("no VmRSS for " + pid);
    }
  }
}
