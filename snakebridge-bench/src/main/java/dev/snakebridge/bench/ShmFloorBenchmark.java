package dev.snakebridge.bench;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
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
 * The shared-memory floor: a 48-byte frame (the size {@link FloorBenchmark} sends) copied into a ring
 * of a file in {@code /dev/shm}, echoed by a trivial Python child that spins on the ring
 * ({@code shm_echo.py}), and copied out of the other ring into a new array, with both sides spinning
 * and nothing else: the least a call through shared memory can cost, with the same interpreter and
 * pinning as the real worker. The layout is the benchmark's own (fixed slots, one frame in flight), not
 * the runtime's rings, so the floor owes nothing to the code it is a floor for.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 8, time = 5)
public class ShmFloorBenchmark {
  private static final int FRAME = 48;
  private static final int HEADER = 256;
  private static final int SLOTS = 1024;
  private static final int RING = HEADER + FRAME * SLOTS;
  private static final int WRITE_POSITION = 64;
  private static final VarHandle LONGS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Process process;
  private Path script;
  private Path file;
  private MappedByteBuffer map;
  private final byte[] frame = new byte[FRAME];
  private long written;

  @Setup(Level.Trial)
  public void start() throws IOException {
    BenchSupport.reportForkPinning();
    script = BenchSupport.extractScript("shm_echo.py");
    file = Path.of("/dev/shm", "snakebridge-bench-" + ProcessHandle.current().pid() + ".rings");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      map = ch.map(FileChannel.MapMode.READ_WRITE, 0, 2L * RING);
    }
    process = new ProcessBuilder(BenchSupport.python(), script.toString(), file.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    for (int i = 0; i < FRAME; i++) {
      frame[i] = (byte) ('a' + i % 26);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    echo(deadline); // fails fast, in set-up, when the child does not echo
  }

  /** One round trip; returns a byte of the echoed frame. */
  @Benchmark
  public byte echo() throws IOException {
    return echo(Long.MAX_VALUE);
  }

  private byte echo(long deadline) throws IOException {
    int at = (int) (written % (FRAME * SLOTS));
    frame[0] = (byte) written;
    map.put(HEADER + at, frame, 0, FRAME);
    written += FRAME;
    LONGS.setRelease(map, WRITE_POSITION, written);
    int spins = 0;
    while ((long) LONGS.getAcquire(map, RING + WRITE_POSITION) != written) {
      Thread.onSpinWait();
      if (++spins == 1 << 20) {
        spins = 0;
        if (System.nanoTime() > deadline || !process.isAlive()) {
          throw new IOException("the shared-memory echo child does not answer");
        }
      }
    }
    byte[] echoed = new byte[FRAME]; // ShmChannel allocates each record too
    map.get(RING + HEADER + at, echoed, 0, FRAME);
    if (echoed[0] != frame[0]) {
      throw new IOException("the echo child answered another frame");
    }
    return echoed[FRAME - 1];
  }

  @TearDown(Level.Trial)
  public void stop() throws IOException, InterruptedException {
    if (process != null) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    if (file != null) {
      Files.deleteIfExists(file);
    }
    if (script != null) {
      Files.deleteIfExists(script);
    }
  }
}
