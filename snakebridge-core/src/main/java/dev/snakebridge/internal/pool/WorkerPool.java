package dev.snakebridge.internal.pool;

import dev.snakebridge.SnakeBridgeException;
import dev.snakebridge.internal.worker.WorkerLaunch;
import dev.snakebridge.internal.worker.WorkerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named set of identical workers. Starts them in parallel, picks one for each call, and replaces a
 * worker that dies at once (with a capped backoff only while replacements fail to start). Thread-safe.
 */
public final class WorkerPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("snakebridge.pool");
  private static final long MAX_BACKOFF_MILLIS = 2000;

  private final String name;
  private final WorkerLaunch launch;
  private final AtomicReferenceArray<WorkerProcess> slots;
  /** How many processes each slot has started, to name replacements {@code default-w0.2}. */
  private final AtomicIntegerArray starts;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition replaced = lock.newCondition();
  private volatile boolean closed;

  public WorkerPool(String name, int size, WorkerLaunch launch) {
    if (size < 1) {
      throw new IllegalArgumentException("pool size must be at least 1, got " + size);
    }
    this.name = name;
    this.launch = launch;
    this.slots = new AtomicReferenceArray<>(size);
    this.starts = new AtomicIntegerArray(size);
  }

  /** Starts every worker in parallel and waits until all are ready. */
  public void start() {
    List<CompletableFuture<WorkerProcess>> starting = new ArrayList<>();
    for (int i = 0; i < slots.length(); i++) {
      int slot = i;
      starting.add(CompletableFuture.supplyAsync(() -> launchInto(slot), runnable -> startThread(slot, runnable)));
    }
    try {
      CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new))
          .get(launch.startupTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      close();
      throw e.getCause() instanceof SnakeBridgeException sbe
          ? sbe
          : new SnakeBridgeException("pool '" + name + "' failed to start: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      close();
      throw new SnakeBridgeException("pool '" + name + "' did not start within " + launch.startupTimeout());
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new SnakeBridgeException("interrupted while starting pool '" + name + "'");
    }
  }

  private void startThread(int slot, Runnable body) {
    Thread t = new Thread(body, "snakebridge-" + name + "-w" + slot + "-start");
    t.setDaemon(true);
    t.start();
  }

  private WorkerProcess launchInto(int slot) {
    int start = starts.incrementAndGet(slot);
    String id = name + "-w" + slot + (start == 1 ? "" : "." + start);
    WorkerProcess worker = WorkerProcess.start(id, launch, dead -> onDeath(slot, dead));
    lock.lock();
    try {
      if (closed) {
        worker.stop(0);
        throw new SnakeBridgeException("pool '" + name + "' is closed");
      }
      slots.set(slot, worker);
      replaced.signalAll();
    } finally {
      lock.unlock();
    }
    LOG.debug("worker {} ready (Python {})", worker, worker.pythonVersion());
    return worker;
  }

  private void onDeath(int slot, WorkerProcess dead) {
    if (closed) {
      return;
    }
    LOG.warn("worker {} of pool '{}' died; starting a replacement", dead, name);
    startThread(slot, () -> replace(slot));
  }

  private void replace(int slot) {
    long backoff = 50;
    while (!closed) {
      try {
        launchInto(slot);
        return;
      } catch (SnakeBridgeException e) {
        LOG.warn("replacement worker for pool '{}' slot {} failed to start, retrying in {} ms: {}",
            name, slot, backoff, e.getMessage());
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          return;
        }
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
      }
    }
  }

  /**
   * The worker for a call that passes no ref: the live worker with the fewest requests in flight, the
   * lowest slot on ties (so a single-threaded program keeps using one warm worker). Waits for a
   * replacement when every worker is dead.
   */
  public WorkerProcess select() {
    WorkerProcess best = bestAlive();
    if (best != null) {
      return best;
    }
    long deadline = System.nanoTime() + launch.startupTimeout().toNanos();
    lock.lock();
    try {
      while ((best = bestAlive()) == null) {
        if (closed) {
          throw new SnakeBridgeException("pool '" + name + "' is closed");
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new SnakeBridgeException("no live worker in pool '" + name + "' within " + launch.startupTimeout());
        }
        replaced.awaitNanos(left);
      }
      return best;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SnakeBridgeException("interrupted while waiting for a worker of pool '" + name + "'");
    } finally {
      lock.unlock();
    }
  }

  private WorkerProcess bestAlive() {
    WorkerProcess best = null;
    int bestLoad = Integer.MAX_VALUE;
    for (int i = 0; i < slots.length(); i++) {
      WorkerProcess w = slots.get(i);
      if (w != null && w.isAlive()) {
        int load = w.connection().inFlight();
        if (load < bestLoad) {
          best = w;
          bestLoad = load;
          if (load == 0) {
            break;
          }
        }
      }
    }
    return best;
  }

  /** The live workers, for housekeeping and statistics. */
  public List<WorkerProcess> workers() {
    List<WorkerProcess> live = new ArrayList<>();
    for (int i = 0; i < slots.length(); i++) {
      WorkerProcess w = slots.get(i);
      if (w != null) {
        live.add(w);
      }
    }
    return live;
  }

  public String name() {
    return name;
  }

  /** Stops every worker: end of file on its input, then a kill after a short grace. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      replaced.signalAll();
    } finally {
      lock.unlock();
    }
    List<WorkerProcess> all = workers();
    all.forEach(w -> w.connection().close());
    for (WorkerProcess w : all) {
      w.stop(Duration.ofSeconds(2).toMillis());
    }
  }
}
