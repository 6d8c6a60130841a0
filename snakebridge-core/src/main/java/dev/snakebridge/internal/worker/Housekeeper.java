package dev.snakebridge.internal.worker;

import dev.snakebridge.internal.pool.WorkerPool;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's one background thread ({@code snakebridge-housekeeper}): every tick it sends batched ref
 * releases, reads log lines that arrived while no call was waiting, times out overdue calls, and kills
 * workers stuck past a cancelled call's grace period (the pool replaces them).
 */
public final class Housekeeper {
  private static final Logger LOG = LoggerFactory.getLogger("snakebridge.housekeeper");
  private static final long TICK_NANOS = Duration.ofMillis(20).toNanos();

  private final WorkerPool pool;
  private final Thread thread;
  private volatile boolean running = true;

  public Housekeeper(WorkerPool pool) {
    this.pool = pool;
    this.thread = new Thread(this::loop, "snakebridge-" + pool.name() + "-housekeeper");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void loop() {
    while (running) {
      LockSupport.parkNanos(this, TICK_NANOS);
      for (WorkerProcess worker : pool.workers()) {
        try {
          tick(worker);
        } catch (RuntimeException e) {
          LOG.warn("housekeeping of worker {} failed", worker, e);
        }
      }
    }
  }

  private void tick(WorkerProcess worker) {
    if (!worker.isAlive()) {
      return;
    }
    worker.flushReleases();
    boolean stuck = worker.connection().housekeep(worker.toString());
    if (stuck) {
      LOG.warn("worker {} is still running a call cancelled after its timeout; killing it", worker);
      worker.kill();
    }
  }

  public void stop() {
    running = false;
    LockSupport.unpark(thread);
  }
}
