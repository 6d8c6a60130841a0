package dev.snakebridge.internal.worker;

import dev.snakebridge.CallTimeoutException;
import dev.snakebridge.PoolSaturatedException;
import dev.snakebridge.SnakeBridgeException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Admission of user calls to one worker: at most {@code capacity} execute at once (1 for a PROCESS
 * worker); the rest wait here, in arrival order, and are sent when a running call answers. Control
 * messages (release, ping, cancel) never pass through here. Waiting is bounded by the pool's queue
 * length and queue timeout, shared by all workers of the pool. Thread-safe.
 */
public final class Admission {
  /** Pool-wide queue bounds, shared by the admissions of one pool's workers. */
  public record QueueLimits(String pool, int maxQueue, Duration queueTimeout, AtomicInteger queued) {}

  private static final class Ticket {
    final Thread waiter;
    final Runnable onAdmit;
    final Consumer<SnakeBridgeException> onReject;
    final long enqueuedNanos = System.nanoTime();
    boolean admitted;

    Ticket(Thread waiter, Runnable onAdmit, Consumer<SnakeBridgeException> onReject) {
      this.waiter = waiter;
      this.onAdmit = onAdmit;
      this.onReject = onReject;
    }
  }

  private final int capacity;
  private final QueueLimits limits;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Ticket> queue = new ArrayDeque<>();
  private int running;

  public Admission(int capacity, QueueLimits limits) {
    this.capacity = capacity;
    this.limits = limits;
  }

  /** Busy: executing as many user calls as allowed, or calls waiting. Approximate (no lock). */
  public boolean isBusy() {
    return running >= capacity || !queue.isEmpty();
  }

  /** Calls executing plus calls waiting. */
  public int load() {
    return running + queue.size();
  }

  /** Calls waiting. */
  public int queued() {
    return queue.size();
  }

  /** Calls executing. */
  public int running() {
    return running;
  }

  /**
   * Blocks until the caller may send, or throws.
   *
   * @throws PoolSaturatedException when the pool's queue is full or the queue timeout passed
   * @throws CallTimeoutException when the call's own deadline passed while it waited
   */
  public void enter(long deadlineNanos, Duration timeout) {
    lock.lock();
    Ticket ticket;
    try {
      if (running < capacity && queue.isEmpty()) {
        running++;
        return;
      }
      ticket = enqueue(new Ticket(Thread.currentThread(), null, null));
    } finally {
      lock.unlock();
    }
    long queueDeadline = limits.queueTimeout() == null
        ? Long.MAX_VALUE
        : ticket.enqueuedNanos + limits.queueTimeout().toNanos();
    while (true) {
      long now = System.nanoTime();
      lock.lock();
      try {
        if (ticket.admitted) {
          return;
        }
        if (now - deadlineNanos >= 0 || now - queueDeadline >= 0) {
          queue.remove(ticket);
          limits.queued().decrementAndGet();
          if (now - deadlineNanos >= 0) {
            throw new CallTimeoutException("call timed out after " + timeout + " while waiting for a worker", timeout);
          }
          throw saturated("waited longer than the queue timeout " + limits.queueTimeout());
        }
      } finally {
        lock.unlock();
      }
      LockSupport.parkNanos(this, Math.min(deadlineNanos - now, queueDeadline - now));
    }
  }

  /**
   * Runs {@code onAdmit} when the caller may send: now, in this thread, or later in the thread that
   * frees a place. {@code onReject} gets the exception when the call is refused or times out waiting,
   * or null when the worker died before the call could be sent (it may go elsewhere).
   */
  public void enterAsync(Runnable onAdmit, Consumer<SnakeBridgeException> onReject) {
    lock.lock();
    try {
      if (!(running < capacity && queue.isEmpty())) {
        enqueue(new Ticket(null, onAdmit, onReject));
        return;
      }
      running++;
    } finally {
      lock.unlock();
    }
    onAdmit.run();
  }

  private Ticket enqueue(Ticket ticket) {
    if (limits.queued().incrementAndGet() > limits.maxQueue()) {
      limits.queued().decrementAndGet();
      throw saturated("its queue holds the maximum of " + limits.maxQueue() + " calls");
    }
    queue.addLast(ticket);
    return ticket;
  }

  private PoolSaturatedException saturated(String why) {
    return new PoolSaturatedException(limits.pool(), "pool '" + limits.pool() + "' is saturated: " + why);
  }

  /** A user call answered (or was abandoned with its worker): admit the next waiting call. */
  public void exit() {
    Ticket next;
    lock.lock();
    try {
      running--;
      next = queue.pollFirst();
      if (next == null) {
        return;
      }
      limits.queued().decrementAndGet();
      running++;
      next.admitted = true;
    } finally {
      lock.unlock();
    }
    if (next.waiter != null) {
      LockSupport.unpark(next.waiter);
    } else {
      next.onAdmit.run();
    }
  }

  /** Fails asynchronous calls that waited past the queue timeout (sync waiters time out themselves). */
  public void expireWaiting() {
    if (limits.queueTimeout() == null || queue.isEmpty()) {
      return;
    }
    long limit = limits.queueTimeout().toNanos();
    List<Ticket> expired = new ArrayList<>();
    lock.lock();
    try {
      long now = System.nanoTime();
      for (Iterator<Ticket> it = queue.iterator(); it.hasNext(); ) {
        Ticket t = it.next();
        if (t.waiter == null && now - t.enqueuedNanos > limit) {
          it.remove();
          limits.queued().decrementAndGet();
          expired.add(t);
        }
      }
    } finally {
      lock.unlock();
    }
    expired.forEach(t -> t.onReject.accept(saturated("waited longer than the queue timeout " + limits.queueTimeout())));
  }

  /** The worker is gone: refuse everything still waiting. */
  public void rejectAll(SnakeBridgeException cause) {
    List<Ticket> waiting;
    lock.lock();
    try {
      waiting = new ArrayList<>(queue);
      limits.queued().addAndGet(-queue.size());
      queue.clear();
    } finally {
      lock.unlock();
    }
    for (Ticket t : waiting) {
      if (t.waiter != null) {
        // A sync waiter notices the broken connection itself once it is admitted and sends.
        t.admitted = true;
        LockSupport.unpark(t.waiter);
      } else {
        t.onReject.accept(null);
      }
    }
  }
}
