package dev.snakebridge.bench;

import dev.snakebridge.SnakeBridge;
import dev.snakebridge.SnakeBridgeConfig;
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
 * {@code SnakeBridge.call("math", "sqrt", 16)} through the real runtime (the static facade) with a
 * pool of one worker and the default settings (shared memory, spin-wait): encoding, the round trip, the
 * worker's decode / import lookup /
 * call / encode, and decoding the answer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 8, time = 5)
public class SqrtBenchmark {
  @Setup(Level.Trial)
  public void start() {
    BenchSupport.reportForkPinning();
    SnakeBridge.configure(SnakeBridgeConfig.builder()
        .pythonExecutable(BenchSupport.python())
        .poolSize(1)
        .spinWait(spinWait())
        .transport(transport())
        .build());
    Object root = SnakeBridge.call("math", "sqrt", 16);
    if (!(root instanceof Double d) || d != 4.0) {
      throw new IllegalStateException("math.sqrt(16) returned " + root + ", expected 4.0");
    }
  }

  /** The runtime's default transport (shared memory). */
  protected dev.snakebridge.Transport transport() {
    return SnakeBridgeConfig.defaults().transport();
  }

  /** The runtime's default: both sides poll briefly before sleeping. */
  protected java.time.Duration spinWait() {
    return SnakeBridgeConfig.defaults().spinWait();
  }

  @Benchmark
  public Object sqrt() {
    return SnakeBridge.call("math", "sqrt", 16);
  }

  @TearDown(Level.Trial)
  public void stop() {
    SnakeBridge.shutdown();
  }
}
