package dev.snakebridge.bench;

import dev.snakebridge.PyRef;
import dev.snakebridge.SnakeBridge;
import dev.snakebridge.SnakeBridgeConfig;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Items per second from one worker to Java: pulled through {@code SnakeBridge.stream} (adaptive batches)
 * and pushed through {@code SnakeBridge.pushEach} (credit-based push streaming). One operation is one
 * item.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 3)
public class StreamThroughputBenchmark {
  static final int PULLED = 100_000;
  static final int PUSHED = 1_000_000;

  @Setup(Level.Trial)
  public void start() {
    BenchSupport.reportForkPinning();
    SnakeBridge.configure(SnakeBridgeConfig.builder().pythonExecutable(BenchSupport.python()).poolSize(1).build());
    SnakeBridge.call("math", "sqrt", 16);
  }

  @Benchmark
  @OperationsPerInvocation(PULLED)
  public long iterate() {
    PyRef range = (PyRef) SnakeBridge.call("builtins", "range", PULLED);
    return SnakeBridge.stream(range).count();
  }

  @Benchmark
  @OperationsPerInvocation(PUSHED)
  public long push() {
    AtomicLong sum = new AtomicLong();
    SnakeBridge.pushEach(item -> sum.addAndGet((Long) item), "itertools", "islice", count(), PUSHED);
    return sum.get();
  }

  private static PyRef count() {
    return (PyRef) SnakeBridge.call("itertools", "count");
  }

  @TearDown(Level.Trial)
  public void stop() {
    SnakeBridge.shutdown();
  }
}
