package dev.snakebridge.internal.pool;

import dev.snakebridge.internal.session.SessionRegistry;
import dev.snakebridge.internal.telemetry.Logs;
import dev.snakebridge.internal.worker.WorkerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import org.slf4j.Logger;

/**
 * The runtime's one background thread ({@code snakebridge-housekeeper}). Every tick (20 ms) it sends
 * batched ref releases, times out overdue calls, reads log lines that arrived while no call was
 * waiting, and kills workers stuck past a cancelled call's grace (the pool replaces them). Every 100 ms
 * it releases sessions whose thread ended and expires idle refs. Every heartbeat interval it pings each
 * worker: one that does not answer within three intervals is replaced, and one due for recycling
 * (after N calls, or above its memory threshold) is replaced when no user call is in flight (a
 * heartbeat in flight does not matter).
 *
 * <p>An idle runtime costs nothing: while no worker has a user call in flight or a release to send, the
 * thread sleeps up to a second (until the next heartbeat if sooner), and the first call or release
 * wakes it ({@code WorkerConnection.wakeOnActivity}), so a call's timeout is still kept to a tick. Log
 * lines printed while idle and session/TTL expiry then come within that second.
 */
public final class Housekeeper {
  private static final long TICK_NANOS = Duration.ofMillis(20).toNanos();
  private static final long SESSION_TICK_NANOS = Duration.ofMillis(100).toNanos();
  private static final long IDLE_TICK_NANOS = Duration.ofSeconds(1).toNanos();

  private final List<WorkerPool> pools;
  private final SessionRegistry sessions;
  private final Duration heartbeat;
  private final BiFunction<WorkerProcess, Duration, CompletableFuture<Map<?, ?>>> ping;
  private final Runnable atStart;
  private final Thread thread;
  private volatile boolean running = true;
  private long lastSessions; // the housekeeper's thread only
  private long lastHeartbeat; // the housekeeper's thread only

  /** {@code atStart} runs once on the housekeeper's thread before its first tick (start-up chores). */
  public Housekeeper(List<WorkerPool> pools, SessionRegistry sessions, Duration heartbeat,
      BiFunction<WorkerProcess, Duration, CompletableFuture<Map<?, ?>>> ping, Runnable atStart) {
    this.pools = pools;
    this.sessions = sessions;
    this.heartbeat = heartbeat;
    this.ping = ping;
    this.atStart = atStart;
    this.thread = new Thread(new Runnable() { // a class, not a lambda, on the start path: see EngineParts
      @Override
      public void run() {
        loop();
      }
    }, "snakebridge-housekeeper");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  public void stop() {
    running = false;
    LockSupport.unpark(thread);
  }

  private void loop() {
    try {
      atStart.run();
    } catch (RuntimeException | OutOfMemoryError e) {
      warn("a start-up chore failed", e);
    }
    lastSessions = System.nanoTime();
    lastHeartbeat = lastSessions;
    while (running) {
      try {
        round();
      } catch (OutOfMemoryError e) {
        // The heap ran out on this thread (the application's allocations, a huge answer): the runtime
        // still needs its timeouts and heartbeats, so the next round tries again.
        warn("housekeeping ran out of memory; trying again", e);
      }
    }
  }

  /** One round: waits for the tick, then looks after every worker and, every 100 ms, the sessions. */
  private void round() {
    LockSupport.parkNanos(this, idle() ? Math.max(TICK_NANOS, Math.min(IDLE_TICK_NANOS,
        lastHeartbeat + heartbeat.toNanos() - System.nanoTime())) : TICK_NANOS);
    long now = System.nanoTime();
    boolean beat = now - lastHeartbeat >= heartbeat.toNanos();
    if (beat) {
      lastHeartbeat = now;
    }
    for (WorkerPool pool : pools) {
      for (WorkerProcess worker : pool.workers()) {
        try {
          tick(pool, worker, beat);
        } catch (RuntimeException e) {
          warn("housekeeping of worker " + worker + " failed", e);
        }
      }
    }
    if (now - lastSessions >= SESSION_TICK_NANOS) {
      lastSessions = now;
      try {
        sessions.housekeep();
      } catch (RuntimeException e) {
        warn("session housekeeping failed", e);
      }
    }
  }

  /** Logs, unless logging itself fails (with the heap exhausted, say): this thread must go on. */
  private static void warn(String what, Throwable e) {
    try {
      log().warn(what, e);
    } catch (RuntimeException | OutOfMemoryError ignored) {
      // nothing more to do here
    }
  }

  /**
   * Whether every worker is idle; if so, each will wake this thread at its next activity. Asked to
   * wake after a first check and checked again, so activity in between is not missed; a busy runtime
   * is not asked (every call would wake this thread).
   */
  private boolean idle() {
    if (!allIdle()) {
      return false;
    }
    for (WorkerPool pool : pools) {
      for (WorkerProcess worker : pool.workers()) {
        worker.connection().wakeOnActivity(thread);
      }
    }
    return allIdle();
  }

  private boolean allIdle() {
    for (WorkerPool pool : pools) {
      for (WorkerProcess worker : pool.workers()) {
        if (worker.isAlive() && !worker.isIdle()) {
          return false;
        }
      }
    }
    return true;
  }

  private void tick(WorkerPool pool, WorkerProcess worker, boolean beat) {
    if (!worker.isAlive()) {
      return;
    }
    worker.flushReleases();
    if (worker.connection().housekeep()) {
      log().warn("worker {} is still running a call cancelled after its timeout; killing it", worker);
      worker.kill();
      return;
    }
    long recycleAfter = pool.config().recycleAfterCalls();
    if (!worker.isRetiring() && recycleAfter > 0 && worker.connection().answeredCalls() >= recycleAfter
        && worker.connection().isIdle()) {
      pool.recycle(worker, "answered " + worker.connection().answeredCalls() + " calls (recycleAfterCalls " + recycleAfter + ")");
      return;
    }
    if (beat && !worker.isRetiring()) {
      Duration deadline = heartbeat.multipliedBy(3);
      ping.apply(worker, deadline).whenComplete((facts, error) -> {
        if (error != null) {
          if (worker.isAlive() && !worker.isRetiring()) {
            log().warn("worker {} did not answer a heartbeat within {}; replacing it", worker, deadline);
            worker.kill();
          }
          return;
        }
        long limit = pool.config().recycleAboveMemoryBytes();
        if (limit > 0 && facts.get("rss") instanceof Number rss && rss.longValue() > limit) {
          worker.markMemoryHigh(rss.longValue());
        }
      });
    }
    if (worker.memoryHigh() > 0 && !worker.isRetiring() && worker.connection().isIdle()) {
      pool.recycle(worker, "resident memory " + worker.memoryHigh() + " bytes above recycleAboveMemoryBytes "
          + pool.config().recycleAboveMemoryBytes());
    }
  }

  private static Logger log() {
    return Logs.get("snakebridge.housekeeper");
  }
}
