package dev.snakebridge.internal.pool;

import dev.snakebridge.PoolConfig;
import dev.snakebridge.SnakeBridgeException;
import dev.snakebridge.Telemetry;
import dev.snakebridge.internal.telemetry.Logs;
import dev.snakebridge.internal.worker.Admission;
import dev.snakebridge.internal.worker.CallbackHandler;
import dev.snakebridge.internal.worker.EarlyTemplate;
import dev.snakebridge.internal.worker.WorkerLaunch;
import dev.snakebridge.internal.worker.WorkerProcess;
import dev.snakebridge.internal.worker.WorkerSpawner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * A named set of identical workers. Starts them in parallel, offers the live ones to the scheduler,
 * replaces a worker that dies at once (with a capped backoff only while replacements fail to start),
 * recycles workers at a safe point, and drains calls at shutdown. Thread-safe.
 */
public final class WorkerPool implements AutoCloseable {
  private static final long MAX_BACKOFF_MILLIS = 2000;

  private final PoolConfig config;
  private final WorkerLaunch launch;
  private final WorkerSpawner spawner;
  private final Telemetry telemetry;
  private final Admission.QueueLimits limits;
  private final AtomicReferenceArray<WorkerProcess> slots;
  /** How many processes each slot has started, to name replacements {@code default-w0.2}. */
  private final AtomicIntegerArray starts;
  /** Sessions given each slot as their home (under the lock), so homes spread evenly. */
  private final int[] homes;
  /** Slots whose first worker is still starting (under the lock). */
  private final boolean[] firstStart;
  private int nextHome;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition replaced = lock.newCondition();
  private volatile boolean closed;

  private final CallbackHandler callbacks;

  /** {@code early}: the pool's template interpreter, started before its plan was known, or null. */
  public WorkerPool(PoolConfig config, WorkerLaunch launch, EarlyTemplate early, Telemetry telemetry,
      CallbackHandler callbacks) {
    this.callbacks = callbacks;
    this.config = config;
    this.launch = launch;
    this.spawner = new WorkerSpawner(config.name(), launch, early);
    this.telemetry = telemetry;
    this.limits = new Admission.QueueLimits(
        config.name(), config.maxQueue(), config.queueTimeout().orElse(null), new AtomicInteger());
    this.slots = new AtomicReferenceArray<>(config.size());
    this.starts = new AtomicIntegerArray(config.size());
    this.homes = new int[config.size()];
    this.firstStart = new boolean[config.size()];
  }

  public String name() {
    return config.name();
  }

  public PoolConfig config() {
    return config;
  }

  /**
   * Starts every worker in parallel and returns as soon as one is ready: the others go on starting, and
   * a call or a new session that would be better served by one of them (the ready ones are busy, or
   * already home to more sessions) waits for it. Fails when every worker failed before one was ready.
   */
  public void start() {
    CompletableFuture<WorkerProcess> first = new CompletableFuture<>();
    AtomicInteger failed = new AtomicInteger();
    lock.lock();
    try {
      Arrays.fill(firstStart, true);
    } finally {
      lock.unlock();
    }
    for (int i = 0; i < slots.length(); i++) {
      int slot = i;
      startThread(slot, new Runnable() { // a class, not a lambda: see EngineParts
        @Override
        public void run() {
          firstStart(slot, first, failed);
        }
      });
    }
    // The workers' threads make ready what they can (their ring files) while this one launches the
    // template's interpreter; their forks wait for it.
    spawner.open();
    try {
      first.get(launch.startupTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      close();
      throw e.getCause() instanceof SnakeBridgeException sbe
          ? sbe
          : new SnakeBridgeException("pool '" + name() + "' failed to start: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      close();
      throw new SnakeBridgeException("pool '" + name() + "' did not start within " + launch.startupTimeout());
    } catch (InterruptedException e) {
      close();
      Thread.currentThread().interrupt();
      throw new SnakeBridgeException("interrupted while starting pool '" + name() + "'");
    }
  }

  /**
   * A slot's first start. A failure before any worker is ready fails the pool's start; one after it is
   * a worker that died young, replaced as any other.
   */
  private void firstStart(int slot, CompletableFuture<WorkerProcess> first, AtomicInteger failed) {
    try {
      first.complete(launchInto(slot));
      endFirstStart(slot);
    } catch (RuntimeException e) {
      endFirstStart(slot);
      if (closed) {
        return;
      }
      if (!first.isDone()) {
        first.completeExceptionally(e);
        return;
      }
      log().warn("worker of pool '{}' slot {} failed to start after the pool was up; retrying: {}",
          name(), slot, e.getMessage());
      replace(slot, "worker.restart");
    }
  }

  private void endFirstStart(int slot) {
    lock.lock();
    try {
      firstStart[slot] = false;
      replaced.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until every slot's first start has ended (started or failed), at most the start-up timeout:
   * statistics describe the whole pool, not the part of it that happens to be up yet.
   */
  public void awaitFirstStarts() {
    awaitFirstStarts(launch.startupTimeout().toNanos(), false);
  }

  /** Waits at most {@code nanos} for the first starts to end; {@code evenIfClosed} for {@link #close}. */
  private void awaitFirstStarts(long nanos, boolean evenIfClosed) {
    long deadline = System.nanoTime() + nanos;
    lock.lock();
    try {
      while (anyFirstStart() && (evenIfClosed || !closed)) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !replaced.await(left, TimeUnit.NANOSECONDS)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock. */
  private boolean anyFirstStart() {
    for (boolean starting : firstStart) {
      if (starting) {
        return true;
      }
    }
    return false;
  }

  private void startThread(int slot, Runnable body) {
    Thread t = new Thread(body, "snakebridge-" + name() + "-w" + slot + "-start");
    t.setDaemon(true);
    t.start();
  }

  private WorkerProcess launchInto(int slot) {
    int start = starts.incrementAndGet(slot);
    String id = name() + "-w" + slot + (start == 1 ? "" : "." + start);
    telemetry.emit("worker.start", Map.of(), Map.of("pool", name(), "worker", id));
    long began = System.nanoTime();
    int execution = config.concurrencyPerWorker();
    // Only a call waiting in the JVM can be timed out by the queue timeout: such a pool does not pipeline.
    // Nor does a worker on pipes (WorkerProcess.start stops it): only the shared-memory ring tells which
    // requests a worker that died had not started, to send them to another worker.
    int window = config.queueTimeout().isPresent() ? execution : config.pipelineDepth();
    Admission admission = new Admission(execution, window, limits);
    WorkerProcess worker = WorkerProcess.start(id, launch, spawner, admission, telemetry, callbacks,
        new Consumer<WorkerProcess>() { // a class, not a lambda: see EngineParts
          @Override
          public void accept(WorkerProcess dead) {
            onDeath(slot, dead);
          }
        });
    lock.lock();
    try {
      if (closed) {
        worker.stop(0);
        throw new SnakeBridgeException("pool '" + name() + "' is closed");
      }
      slots.set(slot, worker);
      replaced.signalAll();
    } finally {
      lock.unlock();
    }
    telemetry.emit("worker.ready", Map.of("startup_us", (System.nanoTime() - began) / 1000),
        Map.of("pool", name(), "worker", id, "pid", worker.pid(), "python", worker.pythonVersion()));
    return worker;
  }

  private void onDeath(int slot, WorkerProcess dead) {
    if (closed) {
      return;
    }
    if (dead.isRetiring()) {
      return;
    }
    log().warn("worker {} of pool '{}' died; starting a replacement", dead, name());
    telemetry.emit("worker.crash", Map.of(), Map.of("pool", name(), "worker", dead.id()));
    startThread(slot, () -> replace(slot, "worker.restart"));
  }

  private void replace(int slot, String event) {
    long backoff = 50;
    while (!closed) {
      try {
        WorkerProcess fresh = launchInto(slot);
        telemetry.emit(event, Map.of(), Map.of("pool", name(), "worker", fresh.id()));
        return;
      } catch (SnakeBridgeException e) {
        log().warn("replacement worker for pool '{}' slot {} failed to start, retrying in {} ms: {}",
            name(), slot, backoff, e.getMessage());
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
   * Replaces a worker at a safe point (no call in flight): used for recycling after N calls or above a
   * memory threshold. The caller checks the safe point; refs that lived there are gone.
   */
  public void recycle(WorkerProcess worker, String why) {
    for (int slot = 0; slot < slots.length(); slot++) {
      if (slots.get(slot) == worker) {
        int s = slot;
        worker.retire();
        log().info("recycling worker {} of pool '{}': {}", worker, name(), why);
        telemetry.emit("worker.recycle", Map.of(), Map.of("pool", name(), "worker", worker.id(), "reason", why));
        startThread(slot, () -> {
          replace(s, "worker.restart");
          worker.stop(2000);
        });
        return;
      }
    }
  }

  /**
   * A worker for a new session's home: one of the live workers that are home to the fewest sessions
   * (round robin among them), so homes spread evenly. When only slots still in their first start have
   * that few, it waits for one of them rather than doubling up on a ready worker.
   */
  public WorkerProcess nextHome() {
    long deadline = System.nanoTime() + launch.startupTimeout().toNanos();
    lock.lock();
    try {
      while (!closed) {
        int fewest = Integer.MAX_VALUE;
        for (int slot = 0; slot < homes.length; slot++) {
          if (firstStart[slot] || isLive(slots.get(slot))) {
            fewest = Math.min(fewest, homes[slot]);
          }
        }
        if (fewest == Integer.MAX_VALUE) {
          break; // nothing live or starting: wait for a replacement below
        }
        for (int k = 0; k < homes.length; k++) {
          int slot = Math.floorMod(nextHome + k, homes.length);
          WorkerProcess w = slots.get(slot);
          if (homes[slot] == fewest && isLive(w)) {
            homes[slot]++;
            nextHome = slot + 1;
            return w;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        replaced.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SnakeBridgeException("interrupted while waiting for a worker of pool '" + name() + "'");
    } finally {
      lock.unlock();
    }
    List<WorkerProcess> live = live();
    return live.isEmpty() ? awaitLive() : live.get(0);
  }

  private static boolean isLive(WorkerProcess w) {
    return w != null && w.isAlive() && !w.isRetiring();
  }

  /**
   * The live worker with the least load (running + queued calls), the lowest slot on ties. When every
   * live worker has work and a slot's first worker is still starting, it waits for that one.
   */
  public WorkerProcess leastLoaded() {
    while (true) {
      WorkerProcess best = null;
      int bestLoad = Integer.MAX_VALUE;
      for (int i = 0; i < slots.length(); i++) {
        WorkerProcess w = slots.get(i);
        if (isLive(w)) {
          int load = w.connection().admission().load();
          if (load < bestLoad) {
            best = w;
            bestLoad = load;
          }
        }
      }
      if (best == null) {
        return awaitLive();
      }
      if (bestLoad == 0 || !awaitAnyFirstStart()) {
        return best;
      }
    }
  }

  /** Waits for one slot's first start to end; false at once when none is starting. */
  private boolean awaitAnyFirstStart() {
    lock.lock();
    try {
      if (!anyFirstStart() || closed) {
        return false;
      }
      replaced.await(launch.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SnakeBridgeException("interrupted while waiting for a worker of pool '" + name() + "'");
    } finally {
      lock.unlock();
    }
  }

  /** Waits for a replacement when every worker is dead. */
  private WorkerProcess awaitLive() {
    long deadline = System.nanoTime() + launch.startupTimeout().toNanos();
    lock.lock();
    try {
      List<WorkerProcess> live;
      while ((live = live()).isEmpty()) {
        if (closed) {
          throw new SnakeBridgeException("pool '" + name() + "' is closed");
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new SnakeBridgeException("no live worker in pool '" + name() + "' within " + launch.startupTimeout());
        }
        replaced.awaitNanos(left);
      }
      return live.get(0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SnakeBridgeException("interrupted while waiting for a worker of pool '" + name() + "'");
    } finally {
      lock.unlock();
    }
  }

  /** Live workers that take new calls. */
  public List<WorkerProcess> live() {
    List<WorkerProcess> live = new ArrayList<>();
    for (int i = 0; i < slots.length(); i++) {
      WorkerProcess w = slots.get(i);
      if (w != null && w.isAlive() && !w.isRetiring()) {
        live.add(w);
      }
    }
    return live;
  }

  /** Every worker in a slot, live or not (housekeeping, statistics). */
  public List<WorkerProcess> workers() {
    List<WorkerProcess> all = new ArrayList<>();
    for (int i = 0; i < slots.length(); i++) {
      WorkerProcess w = slots.get(i);
      if (w != null) {
        all.add(w);
      }
    }
    return all;
  }

  /** Calls waiting in this pool's queues. */
  public int queued() {
    return limits.queued().get();
  }

  public boolean isClosed() {
    return closed;
  }

  /**
   * Stops every worker: no new calls; calls in flight may finish within {@code drainMillis}; then end of
   * file on each worker's input, and a kill after a short grace.
   */
  public void close(long drainMillis) {
    lock.lock();
    try {
      closed = true;
      replaced.signalAll();
    } finally {
      lock.unlock();
    }
    // A worker still starting stops itself when it sees the pool closed: wait for it, so that closing
    // leaves no process or ring file behind (the template is still there to finish its fork).
    awaitFirstStarts(launch.startupTimeout().toNanos(), true);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
    for (WorkerProcess w : workers()) {
      while (w.isAlive() && w.connection().inFlight() > 0 && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
    }
    List<WorkerProcess> all = workers();
    all.forEach(WorkerProcess::beginStop);
    for (WorkerProcess w : all) {
      w.stop(2000);
    }
    spawner.close();
  }

  @Override
  public void close() {
    close(0);
  }

  private static Logger log() {
    return Logs.get("snakebridge.pool");
  }
}
