package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large arrays through the arenas of reusable slots, against a real worker: reuse over many round trips,
 * views that keep their slot while later transfers need others, exhaustion (files take over),
 * concurrent transfers, and a worker that dies holding slots.
 */
class ArenaIT {
  @TempDir
  static Path shared;

  static SnakeBridgeRuntime py;

  static final CallOptions ARRAYS = CallOptions.defaults().arraysAsNDArray();

  @BeforeAll
  static void start() {
    // A 32 MiB arena on each side: three 8 MB arrays fit, a fourth does not.
    py = SnakeBridgeRuntime.create(Workers.config(1).largeBufferDirectory(shared).largeBufferThreshold(64 * 1024)
        .environment("SNAKEBRIDGE_BULK_ARENA_BYTES", Long.toString(32L << 20)).build());
  }

  @AfterAll
  static void stop() throws IOException {
    py.close();
    try (Stream<Path> s = Files.list(shared)) {
      assertThat(s.toList()).as("files left after close").isEmpty();
    }
  }

  private static double[] ramp(int n, double start) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = start + i;
    }
    return v;
  }

  @Test
  void manyRoundTripsBothWaysReuseTheSlotsAndStayCorrect() {
    for (int round = 0; round < 40; round++) {
      double[] sent = ramp(1_000_000, round);
      NDArray back = (NDArray) py.callHelper("sb_test_helpers.identity", sent, ARRAYS);
      assertThat(back.buffer().isDirect()).isTrue();
      double[] got = back.toDoubleArray();
      assertThat(got[0]).isEqualTo(round);
      assertThat(got[999_999]).isEqualTo(round + 999_999);
      if (round % 8 == 7) {
        System.gc(); // views die only at collection: let their slots come back
      }
    }
    assertThat(py.call("numpy", "sum", ramp(1_000_000, 0))).isEqualTo(499999500000.0);
  }

  @Test
  void aViewKeepsItsSlotWhileLaterTransfersUseOthers() {
    PyRef a = (PyRef) py.call("numpy", "full", 1_000_000, 1.5);
    PyRef b = (PyRef) py.call("numpy", "full", 1_000_000, 2.5);
    NDArray kept = py.toNDArray(a);
    ByteBuffer derived = kept.buffer().slice(8 * 999_990, 80); // only this survives
    kept = null;
    for (int i = 0; i < 30; i++) {
      NDArray other = py.toNDArray(b);
      assertThat(other.buffer().getDouble(0)).isEqualTo(2.5);
      if (i % 5 == 0) {
        System.gc();
      }
    }
    assertThat(derived.order(java.nio.ByteOrder.LITTLE_ENDIAN).getDouble(0)).isEqualTo(1.5);
    assertThat(derived.order(java.nio.ByteOrder.LITTLE_ENDIAN).getDouble(72)).isEqualTo(1.5);
  }

  @Test
  void aReleasedArrayGivesItsSlotBackAtOnce() {
    System.gc(); // views left by other tests give their slots back
    sleep(300);
    PyRef source = (PyRef) py.call("numpy", "arange", 1_000_000.0);
    PyRef arena = (PyRef) py.get("snakebridge.bulk", "ARENA");
    long fallbacksBefore = ((Number) py.attr(arena, "fallbacks")).longValue();
    double[] into = new double[1_000_000];
    List<NDArray> released = new ArrayList<>();
    for (int i = 0; i < 30; i++) { // 30 × 8 MB, no collection: only early release keeps one slot busy
      try (NDArray a = py.toNDArray(source)) {
        assertThat(a.copyInto(into)[999_999]).isEqualTo(999_999.0);
        released.add(a); // still reachable: the collector could not have given the slot back
      }
    }
    assertThat(((Number) py.attr(arena, "fallbacks")).longValue() - fallbacksBefore)
        .as("transfers that found no free slot and went through a new file").isZero();
    NDArray gone = released.get(0);
    assertThatThrownBy(gone::buffer).isInstanceOf(IllegalStateException.class).hasMessageContaining("released");
    assertThatThrownBy(() -> gone.copyInto(into)).isInstanceOf(IllegalStateException.class);
    assertThat(gone.shape()).containsExactly(1_000_000);
    gone.release(); // idempotent
    assertThatThrownBy(() -> py.call("builtins", "len", gone)).isInstanceOf(IllegalStateException.class);
    NDArray mine = NDArray.of(new double[] {1, 2});
    mine.release(); // an array of Java memory: nothing to give back, but released all the same
    assertThatThrownBy(mine::toDoubleArray).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aTableGivesItsColumnSlotsBackOnceCopied() {
    System.gc(); // views left by other tests give their slots back
    sleep(300);
    PyRef frame = (PyRef) py.call("pandas", "DataFrame",
        Map.of("x", ramp(1_000_000, 0), "n", new long[1_000_000]));
    PyRef arena = (PyRef) py.get("snakebridge.bulk", "ARENA");
    long fallbacksBefore = ((Number) py.attr(arena, "fallbacks")).longValue();
    List<PyTable> held = new ArrayList<>();
    for (int i = 0; i < 10; i++) { // 10 × 16 MB of columns, all reachable: only copying frees the slots
      PyTable t = py.toTable(frame);
      assertThat(t.doubles("x")[999_999]).isEqualTo(999_999.0);
      held.add(t);
    }
    assertThat(((Number) py.attr(arena, "fallbacks")).longValue() - fallbacksBefore)
        .as("transfers that found no free slot and went through a new file").isZero();
    assertThat(held).hasSize(10);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void whenTheArenaIsFullTransfersGoThroughFiles() {
    List<NDArray> held = new ArrayList<>();
    for (int i = 0; i < 6; i++) { // 6 × 8 MB held at once: more than the 32 MiB arena
      held.add((NDArray) py.call("numpy", "full", 1_000_000, (double) i, ARRAYS));
    }
    for (int i = 0; i < 6; i++) {
      assertThat(held.get(i).buffer().getDouble(8 * 123_456)).isEqualTo(i);
    }
    List<double[]> args = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      args.add(ramp(1_000_000, i));
    }
    assertThat((List<?>) py.callHelper("sb_test_helpers.identity", args)).hasSize(6);
  }

  @Test
  void concurrentTransfersFromSeveralThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int base = t * 1000;
        done.add(pool.submit(() -> {
          for (int i = 0; i < 15; i++) {
            double[] sent = ramp(300_000, base + i);
            NDArray back = (NDArray) py.callHelper("sb_test_helpers.identity", sent, ARRAYS);
            double[] got = back.toDoubleArray();
            assertThat(got[0]).isEqualTo(base + i);
            assertThat(got[299_999]).isEqualTo(base + i + 299_999);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }
}
