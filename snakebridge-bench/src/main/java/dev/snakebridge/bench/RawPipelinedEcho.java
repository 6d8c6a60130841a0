package dev.snakebridge.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The throughput baseline as a {@link CallThroughput.Load}: {@code echo.py} children, each fed by a thread
 * of its own that keeps {@code window} 48-byte frames in flight, writing a new frame for each answer and
 * flushing only when nothing more is readable (what {@link PipelinedThroughputBenchmark#rawEcho} does, as
 * a load that runs until stopped). No encoding, no dispatch.
 */
final class RawPipelinedEcho implements CallThroughput.Load {
  private final String python;
  private final int children;
  private final int window;
  private final LongAdder answered = new LongAdder();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final List<Process> processes = new ArrayList<>();
  private final List<Thread> feeders = new ArrayList<>();
  private volatile boolean stop;
  private Path script;

  RawPipelinedEcho(String python, int children, int window) {
    this.python = python;
    this.children = children;
    this.window = window;
  }

  @Override
  public void start() {
    script = BenchSupport.extractScript("echo.py");
    try {
      for (int i = 0; i < children; i++) {
        Process p = new ProcessBuilder(python, script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        processes.add(p);
        Thread t = new Thread(() -> feed(p), "bench-echo-feeder-" + i);
        feeders.add(t);
        t.start();
      }
    } catch (IOException e) {
      stop();
      throw new UncheckedIOException("cannot start " + python + " " + script, e);
    }
  }

  @Override
  public long answered() {
    return answered.sum();
  }

  @Override
  public void stop() {
    stop = true;
    try {
      for (Thread t : feeders) {
        t.join(TimeUnit.SECONDS.toMillis(30));
      }
      for (Process p : processes) {
        p.getOutputStream().close();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
      if (script != null) {
        Files.deleteIfExists(script);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the echo children", e);
    }
    if (failure.get() != null) {
      throw new IllegalStateException("the raw echo failed: " + failure.get(), failure.get());
    }
  }

  private void feed(Process p) {
    try {
      InputStream in = p.getInputStream();
      OutputStream out = p.getOutputStream();
      byte[] frame = new byte[FloorBenchmark.FRAME_LENGTH];
      FloorBenchmark.fillRequest(frame);
      byte[] answer = new byte[FloorBenchmark.FRAME_LENGTH];
      int inFlight = 0;
      for (; inFlight < window; inFlight++) {
        out.write(frame);
      }
      out.flush();
      while (inFlight > 0) {
        if (in.available() == 0) {
          out.flush(); // about to block: whatever is buffered must be on its way first
        }
        if (in.readNBytes(answer, 0, answer.length) < answer.length) {
          throw new EOFException("the echo child closed its output");
        }
        inFlight--;
        answered.increment();
        if (!stop) {
          out.write(frame);
          inFlight++;
        }
      }
    } catch (IOException | RuntimeException e) {
      failure.compareAndSet(null, e);
    }
  }
}
