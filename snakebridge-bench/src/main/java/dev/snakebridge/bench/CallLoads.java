package dev.snakebridge.bench;

import dev.snakebridge.Batch;
import dev.snakebridge.Result;
import dev.snakebridge.SnakeBridgeRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The loads of {@link CallThroughput}: one trivial call ({@code operator.add(1, 2)}) made as fast as a
 * user's code can make it through the public API, in three ways: {@code callAsync} with a fixed number in
 * flight, synchronous {@code call} from several threads, and {@code batch()}es. Each runs on threads of
 * its own until stopped.
 */
final class CallLoads {
  static final String MODULE = "operator";
  static final String FUNCTION = "add";

  private CallLoads() {}

  /** What every load shares: the count of answered calls, the first failure, the stop flag. */
  private abstract static class Base implements CallThroughput.Load {
    final SnakeBridgeRuntime py;
    final LongAdder answered = new LongAdder();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final List<Thread> threads = new ArrayList<>();
    volatile boolean stop;

    Base(SnakeBridgeRuntime py) {
      this.py = py;
    }

    void startThreads(int n, String name, Runnable body) {
      for (int i = 0; i < n; i++) {
        Thread t = new Thread(() -> {
          try {
            body.run();
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        }, name + "-" + i);
        threads.add(t);
        t.start();
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
        for (Thread t : threads) {
          t.join(TimeUnit.SECONDS.toMillis(60));
          if (t.isAlive()) {
            failure.compareAndSet(null, new IllegalStateException(t.getName() + " did not stop within 60 s"));
          }
        }
        drain();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure.compareAndSet(null, e);
      }
      Throwable f = failure.get();
      if (f != null) {
        throw new IllegalStateException(f.toString(), f);
      }
    }

    /** Waits for calls still in flight after the threads stopped. */
    void drain() throws InterruptedException {}
  }

  /** One submitting thread keeping {@code inFlight} {@code callAsync}s in flight; no thread waits per call. */
  static final class Async extends Base {
    private final int inFlight;
    private final Semaphore window;
    private volatile long submitted;

    Async(SnakeBridgeRuntime py, int inFlight) {
      super(py);
      this.inFlight = inFlight;
      this.window = new Semaphore(inFlight);
    }

    @Override
    public void start() {
      startThreads(1, "bench-async-" + inFlight, this::submit);
    }

    private void submit() {
      long n = 0;
      try {
        while (!stop && failure.get() == null) {
          window.acquire();
          CompletableFuture<Object> call;
          try {
            call = py.callAsync(MODULE, FUNCTION, 1, 2);
          } catch (RuntimeException e) {
            window.release(); // never in flight: the drain must not wait for it
            throw e;
          }
          call.whenComplete((r, e) -> {
            if (e != null) {
              failure.compareAndSet(null, e);
            }
            answered.increment();
            window.release();
          });
          submitted = ++n;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** The window is full once: every later window measures the steady state. */
    @Override
    public void awaitSteady(long deadlineNanos) throws InterruptedException {
      while (submitted < inFlight && System.nanoTime() < deadlineNanos && failure.get() == null) {
        Thread.sleep(1);
      }
    }

    @Override
    void drain() throws InterruptedException {
      if (!window.tryAcquire(inFlight, 120, TimeUnit.SECONDS)) {
        failure.compareAndSet(null, new IllegalStateException(
            (inFlight - window.availablePermits()) + " async calls still unanswered 120 s after the load stopped"));
      }
    }
  }

  /** {@code threads} threads, each calling {@code call} one call at a time. */
  static final class Sync extends Base {
    private final int count;

    Sync(SnakeBridgeRuntime py, int threads) {
      super(py);
      this.count = threads;
    }

    @Override
    public void start() {
      startThreads(count, "bench-sync", () -> {
        while (!stop && failure.get() == null) {
          py.call(MODULE, FUNCTION, 1, 2);
          answered.increment();
        }
      });
    }
  }

  /** One thread sending {@code batch()}es of {@code size} calls, a new batch each time, as user code builds them. */
  static final class Batches extends Base {
    private final int size;

    Batches(SnakeBridgeRuntime py, int size) {
      super(py);
      this.size = size;
    }

    @Override
    public void start() {
      startThreads(1, "bench-batch", () -> {
        while (!stop && failure.get() == null) {
          Batch batch = py.batch();
          for (int i = 0; i < size; i++) {
            batch.call(MODULE, FUNCTION, 1, 2);
          }
          for (Result r : batch.execute()) {
            r.getOrThrow();
          }
          answered.add(size);
        }
      });
    }
  }
}
