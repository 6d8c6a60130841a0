package dev.snakebridge;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A JVM that ContainerIT starts inside a constrained environment (a small or full {@code /dev/shm}, a
 * read-only home or root, a uid without a passwd entry, one CPU). It does the work named by its argument,
 * prints {@code ok <what>} for each step that met its expectation and exits 0; anything else ends it with
 * a stack trace and exit status 1.
 */
public final class ContainerProbe {
  private static final int BIG = 25_000_000; // doubles: 200 MB

  private ContainerProbe() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    SnakeBridgeConfig.Builder config = Workers.config(1);
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(config.build())) {
      check(Double.valueOf(4.0).equals(py.call("math", "sqrt", 16)), "math.sqrt(16)");
      switch (mode) {
        case "sqrt" -> { }
        case "bulk" -> bulk(py);
        case "calls" -> calls(py);
        default -> throw new IllegalArgumentException("unknown mode " + mode);
      }
    }
    System.out.println("done");
    System.exit(0);
  }

  /** 200 MB each way: a Java double[] summed by numpy, and a numpy array brought back. */
  private static void bulk(SnakeBridgeRuntime py) {
    double[] out = new double[BIG];
    double sum = 0;
    for (int i = 0; i < BIG; i++) {
      out[i] = i % 1000; // exact in double, whatever the order of the additions
      sum += out[i];
    }
    Object pySum = py.call("numpy", "sum", out);
    check(Double.valueOf(sum).equals(pySum), "numpy.sum of 200 MB = " + pySum + " (Java " + sum + ")");
    out = null;
    PyRef arange = (PyRef) py.call("numpy", "arange", (double) BIG);
    NDArray back = py.toNDArray(arange);
    double[] values = back.toDoubleArray();
    check(values.length == BIG, "toNDArray of 200 MB: " + values.length + " values");
    for (int i : new int[] {0, 1, 4096, 12_345_678, BIG - 1}) {
      check(values[i] == i, "value at " + i + " = " + values[i]);
    }
  }

  /** A few hundred synchronous calls, then one batch of asynchronous ones. */
  private static void calls(SnakeBridgeRuntime py) {
    for (int i = 0; i < 300; i++) {
      check(Long.valueOf(i * 2L).equals(py.call("operator", "add", i, i)), "sync call " + i);
    }
    System.out.println("ok 300 sync calls");
    List<CompletableFuture<Object>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      futures.add(py.callAsync("operator", "mul", i, 3));
    }
    for (int i = 0; i < 200; i++) {
      check(Long.valueOf(i * 3L).equals(futures.get(i).join()), "async call " + i);
    }
    System.out.println("ok 200 async calls; available processors " + Runtime.getRuntime().availableProcessors());
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError("failed: " + what);
    }
    if (!what.startsWith("sync call") && !what.startsWith("async call")) {
      System.out.println("ok " + what);
    }
  }
}
