package dev.snakebridge.bench;

import dev.snakebridge.NDArray;
import dev.snakebridge.PyRef;
import dev.snakebridge.SnakeBridge;
import dev.snakebridge.SnakeBridgeConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * An 80 MB float64 array each way between a Java {@code double[]} and numpy, against {@code
 * System.arraycopy} of the same 80 MB in the same fork. Arrays of this size go through shared memory
 * (docs/TYPES.md, "Large buffers"). One operation moves {@link #BYTES} bytes; BenchMain prints GB/s.
 *
 * <ul>
 *   <li>{@code arraycopy}: the baseline, {@code System.arraycopy} into an array allocated once.
 *   <li>{@code pythonToJava}: {@code SnakeBridge.toNDArray(ref).toDoubleArray()} of a numpy array held
 *       in the worker: Python copies it into a shared slot of its arena (pages reused from earlier
 *       transfers), Java copies it out into a new array and releases the {@code NDArray} at once
 *       (try-with-resources), so the slot is free for the next operation.
 *   <li>{@code pythonToJavaReused}: the same into a {@code double[]} the caller reuses ({@code
 *       NDArray.copyInto}): no new array to allocate and zero.
 *   <li>{@code pythonToJavaView}: {@code toNDArray(ref)} alone: the {@code NDArray} is a view of the
 *       slot (no Java copy); one element per 4 KiB page is read.
 *   <li>{@code javaToPython}: a {@code double[]} argument of {@code builtins.len}: Java copies it into a
 *       slot of its arena, the worker makes a numpy array that is a view of it (no copy) and takes its
 *       length. (Set-up checks the values once with {@code numpy.sum}.)
 *   <li>{@code freshShmFloor}: writing 80 MB into a new file of the shared directory and deleting it:
 *       the fallback path's cost (a transfer larger than the arena allows), fresh pages of memory.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BulkArrayBenchmark {
  static final int ELEMENTS = 10_000_000;
  /** Bytes moved by one operation: 80 MB. */
  static final long BYTES = ELEMENTS * 8L;

  private double[] source;
  private double[] target;
  private PyRef numpyArray;
  private ByteBuffer staging;

  @Setup(Level.Trial)
  public void start() {
    BenchSupport.reportForkPinning();
    SnakeBridge.configure(SnakeBridgeConfig.builder().pythonExecutable(BenchSupport.python()).poolSize(1).build());
    source = new double[ELEMENTS];
    for (int i = 0; i < ELEMENTS; i++) {
      source[i] = i;
    }
    target = new double[ELEMENTS];
    numpyArray = (PyRef) SnakeBridge.call("numpy", "arange", (double) ELEMENTS);
    staging = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    double[] check = pythonToJava();
    if (check.length != ELEMENTS || check[ELEMENTS - 1] != ELEMENTS - 1) {
      throw new IllegalStateException("numpy.arange came back wrong");
    }
    Object sum = SnakeBridge.call("numpy", "sum", source);
    if (!(sum instanceof Double d) || d != (ELEMENTS - 1) * (double) ELEMENTS / 2) {
      throw new IllegalStateException("numpy sum of the Java array came back as " + sum);
    }
    if (!Long.valueOf(ELEMENTS).equals(javaToPython())) {
      throw new IllegalStateException("len of the Java array in the worker is not " + ELEMENTS);
    }
  }

  @Benchmark
  public double[] arraycopy() {
    System.arraycopy(source, 0, target, 0, ELEMENTS);
    return target;
  }

  @Benchmark
  public double[] pythonToJava() {
    try (NDArray a = SnakeBridge.toNDArray(numpyArray)) {
      return a.toDoubleArray();
    }
  }

  @Benchmark
  public double[] pythonToJavaReused() {
    try (NDArray a = SnakeBridge.toNDArray(numpyArray)) {
      return a.copyInto(target);
    }
  }

  @Benchmark
  public double pythonToJavaView() {
    try (NDArray a = SnakeBridge.toNDArray(numpyArray)) {
      ByteBuffer b = a.buffer();
      double sum = 0;
      for (int i = 0; i < ELEMENTS; i += 512) {   // one read per 4 KiB page
        sum += b.getDouble(i * 8);
      }
      return sum;
    }
  }

  @Benchmark
  public Object javaToPython() {
    return SnakeBridge.call("builtins", "len", source);
  }

  @Benchmark
  public long freshShmFloor() throws IOException {
    Path file = SnakeBridgeConfig.defaults().largeBufferDirectory()
        .resolve("snakebridge-bench-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (int done = 0; done < ELEMENTS; ) {
        int n = Math.min(staging.capacity() / 8, ELEMENTS - done);
        staging.clear();
        staging.asDoubleBuffer().put(source, done, n);
        staging.limit(n * 8);
        while (staging.hasRemaining()) {
          ch.write(staging);
        }
        done += n;
      }
      return ch.size();
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * Views and copies of earlier operations hold arena slots until they are collected; collecting
   * between iterations keeps the arena from running dry (and falling back to new files) mid-measurement.
   */
  @TearDown(Level.Iteration)
  public void collect() {
    System.gc();
  }

  @TearDown(Level.Trial)
  public void stop() {
    SnakeBridge.shutdown();
  }
}
