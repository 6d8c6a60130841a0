package dev.snakebridge.bench;

import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.SnakeBridgeRuntime;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
 * Pipelined throughput across two Python processes, 128 requests in flight to each, one operation per
 * answered request:
 *
 * <ul>
 *   <li>{@code rawEcho}, the baseline: two {@code echo.py} children, each fed by a thread of its own
 *       that keeps 128 48-byte frames in flight, writing a new frame for each one it reads back and
 *       flushing only when nothing more is readable (as few system calls as a pipelined client needs).
 *       No encoding, no dispatch.
 *   <li>{@code asyncCalls}: a runtime with a pool of 2 workers and two submitting threads (each its
 *       own auto session, so its own home worker), each keeping 128 {@code callAsync("math", "sqrt",
 *       16)} in flight; no thread waits per call.
 *   <li>{@code syncCalls}: the same two threads calling {@code call("math", "sqrt", 16)} one at a
 *       time, for scale.
 *   <li>{@code batchCalls}: the two threads sending {@code batch()}es of 128 such calls.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 4)
public class PipelinedThroughputBenchmark {
  static final int WINDOW = 128;
  static final int PROCESSES = 2;
  /** Answers per process per invocation. */
  static final int PER_PROCESS = 20_000;
  static final int OPS = PER_PROCESS * PROCESSES;

  /** Two echo children and a thread for each. */
  @State(Scope.Benchmark)
  public static class EchoChildren {
    final List<Process> children = new ArrayList<>();
    ExecutorService threads;
    Path script;

    @Setup(Level.Trial)
    public void start() throws IOException {
      BenchSupport.reportForkPinning();
      script = BenchSupport.extractScript("echo.py");
      for (int i = 0; i < PROCESSES; i++) {
        children.add(new ProcessBuilder(BenchSupport.python(), script.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT).start());
      }
      threads = Executors.newFixedThreadPool(PROCESSES);
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException, InterruptedException {
      threads.shutdownNow();
      for (Process p : children) {
        p.getOutputStream().close();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      Files.deleteIfExists(script);
    }
  }

  /** A runtime with a pool of two workers, and two submitting threads. */
  @State(Scope.Benchmark)
  public static class Runtime {
    SnakeBridgeRuntime py;
    ExecutorService threads;

    @Setup(Level.Trial)
    public void start() {
      BenchSupport.reportForkPinning();
      py = SnakeBridgeRuntime.create(SnakeBridgeConfig.builder()
          .pythonExecutable(BenchSupport.python())
          .poolSize(PROCESSES)
          .build());
      threads = Executors.newFixedThreadPool(PROCESSES);
      if (!Double.valueOf(4.0).equals(py.call("math", "sqrt", 16))) {
        throw new IllegalStateException("math.sqrt(16) did not return 4.0");
      }
    }

    @TearDown(Level.Trial)
    public void stop() {
      threads.shutdownNow();
      py.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(OPS)
  public long rawEcho(EchoChildren s) throws Exception {
    List<Callable<Long>> feeds = new ArrayList<>();
    for (Process p : s.children) {
      feeds.add(() -> pipelinedEcho(p.getInputStream(), p.getOutputStream()));
    }
    return sum(s.threads.invokeAll(feeds));
  }

  @Benchmark
  @OperationsPerInvocation(OPS)
  public long asyncCalls(Runtime s) throws Exception {
    List<Callable<Long>> feeds = new ArrayList<>();
    for (int t = 0; t < PROCESSES; t++) {
      feeds.add(() -> {
        Semaphore window = new Semaphore(WINDOW);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < PER_PROCESS; i++) {
          window.acquire();
          s.py.callAsync("math", "sqrt", 16).whenComplete((r, e) -> {
            if (e != null) {
              failure.compareAndSet(null, e);
            }
            window.release();
          });
        }
        window.acquire(WINDOW);
        if (failure.get() != null) {
          throw new IllegalStateException("an async call failed", failure.get());
        }
        return (long) PER_PROCESS;
      });
    }
    return sum(s.threads.invokeAll(feeds));
  }

  @Benchmark
  @OperationsPerInvocation(OPS / 10)
  public long syncCalls(Runtime s) throws Exception {
    List<Callable<Long>> feeds = new ArrayList<>();
    for (int t = 0; t < PROCESSES; t++) {
      feeds.add(() -> {
        for (int i = 0; i < PER_PROCESS / 10; i++) {
          s.py.call("math", "sqrt", 16);
        }
        return (long) PER_PROCESS / 10;
      });
    }
    return sum(s.threads.invokeAll(feeds));
  }

  @Benchmark
  @OperationsPerInvocation(OPS)
  public long batchCalls(Runtime s) throws Exception {
    List<Callable<Long>> feeds = new ArrayList<>();
    for (int t = 0; t < PROCESSES; t++) {
      feeds.add(() -> {
        var batch = s.py.batch();
        for (int i = 0; i < WINDOW; i++) {
          batch.call("math", "sqrt", 16);
        }
        long answered = 0;
        while (answered < PER_PROCESS) {
          for (var r : batch.execute()) {
            r.getOrThrow();
          }
          answered += WINDOW;
        }
        return answered;
      });
    }
    return sum(s.threads.invokeAll(feeds));
  }

  private static long sum(List<Future<Long>> results) throws Exception {
    long n = 0;
    for (Future<Long> f : results) {
      n += f.get();
    }
    return n;
  }

  /** Keeps WINDOW frames in flight through one echo child until PER_PROCESS came back. */
  private static long pipelinedEcho(InputStream in, OutputStream out) throws IOException {
    byte[] frame = new byte[FloorBenchmark.FRAME_LENGTH];
    FloorBenchmark.fillRequest(frame);
    byte[] answer = new byte[FloorBenchmark.FRAME_LENGTH];
    int sent = 0;
    for (; sent < WINDOW; sent++) {
      out.write(frame);
    }
    out.flush();
    for (int received = 0; received < PER_PROCESS; received++) {
      if (in.available() == 0) {
        out.flush(); // about to block: whatever is buffered must be on its way first
      }
      if (in.readNBytes(answer, 0, answer.length) < answer.length) {
        throw new EOFException("the echo child closed its output");
      }
      if (sent < PER_PROCESS) {
        out.write(frame);
        sent++;
      }
    }
    return PER_PROCESS;
  }
}
