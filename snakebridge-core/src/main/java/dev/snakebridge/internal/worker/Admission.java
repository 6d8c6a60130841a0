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
 * Admission of user calls to one worker. The worker executes at most {@code slots} at once (1 for a
 * PROCESS worker) and queues the rest itself, in arrival order; up to {@code window} calls may be in
 * flight to it (sent, not answered), so that a stream of calls costs no process wake-up each. Calls
 * beyond the window wait here, in arrival order, and are sent when an answer frees a place. Control
 * messages (release, ping, cancel) never pass through here.
 *
 * <p>A call counts as queued while it waits here or in the worker (in flight beyond the slots); the
 * pool's queue length bounds both. The queue timeout can only be kept for calls that wait here, so a
 * pool with one uses a window of {@code slots}. Thread-safe.
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

  private final int slots;
  /** Guarded by {@link #lock}. */
  private int window;
  private final QueueLimits limits;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Ticket> queue = new ArrayDeque<>();
  /** User calls sent and not answered: executing (up to {@code slots}) or queued in the worker. */
  private int inFlight;

  /**
   * @param slots user calls the worker executes at once
   * @param window user calls that may be in flight to the worker; at least {@code slots}
   */
  public Admission(int slots, int window, QueueLimits limits) {
    this.slots = slots;
    this.window = Math.max(slots, window);
    this.limits = limits;
  }

  /**
   * Sends a call only when the worker can run it: for a worker on pipes, where nothing tells which
   * pipelined calls a dead worker had not started (they could not be sent elsewhere).
   */
  public void stopPipelining() {
    lock.lock();
    try {
      window = slots;
    } finally {
      lock.unlock();
    }
  }

  /** Busy: executing as many user calls as it can, or calls waiting. Approximate (no lock). */
  public boolean isBusy() {
    return inFlight >= slots || !queue.isEmpty();
  }

  /** Calls in flight plus calls waiting here. */
  public int load() {
    return inFlight + queue.size();
  }

  /** Calls waiting, here or in the worker. */
  public int queued() {
    return queue.size() + Math.max(0, inFlight - slots);
  }

  /** Calls executing. */
  public int running() {
    return Math.min(inFlight, slots);
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
      if (tryAdmit()) {
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
      if (!tryAdmit()) {
        enqueue(new Ticket(null, onAdmit, onReject));
        return;
      }
    } finally {
      lock.unlock();
    }
    onAdmit.run();
  }

  /**
   * Under the lock: takes a place in flight if there is one and nobody waits here. A call that will
   * queue in the worker counts as queued, so it may be refused as saturated.
   */
  private boolean tryAdmit() {
    if (!queue.isEmpty() || inFlight >= window) {
      return false;
    }
    if (inFlight >= slots) {
      reserveQueuePlace();
    }
    inFlight++;
    return true;
  }

  private void reserveQueuePlace() {
    if (limits.queued().incrementAndGet() > limits.maxQueue()) {
      limits.queued().decrementAndGet();
      throw saturated("its queue holds the maximum of " + limits.maxQueue() + " calls");
    }
  }

  private Ticket enqueue(Ticket ticket) {
    reserveQueuePlace();
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
      if (inFlight-- > slots) {
        // A call the worker had queued takes the freed slot.
        limits.queued().decrementAndGet();
      }
      next = queue.pollFirst();
      if (next == null) {
        return;
      }
      if (inFlight++ < slots) {
        limits.queued().decrementAndGet();
      }
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
      // Calls that were in flight are failed (or resent) by the connection; none will answer.
      limits.queued().addAndGet(-queued());
      queue.clear();
      inFlight = 0;
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
