package dev.snakebridge.internal.worker;

import dev.snakebridge.SnakeBridgeException;
import dev.snakebridge.internal.protocol.Frame;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * A request waiting for its answer, completed once by whichever thread reads the answer. A synchronous
 * call has a waiting thread; an asynchronous one a future instead.
 */
final class PendingCall {
  final Thread waiter;
  final CompletableFuture<Frame> future;
  /** Whether it holds a place in the worker's {@link Admission}. */
  final boolean user;
  final Duration timeout;
  final long deadlineNanos;
  /** For a push stream: receives its STREAM_ITEM frames (on the reading thread). */
  final java.util.function.Consumer<Frame> items;
  /** {@link #mark} of a request not (completely) written yet. */
  static final long NOT_WRITTEN = -2;
  /**
   * Where its request ends in the channel ({@link dev.snakebridge.internal.transport.FrameChannel#writeMark}),
   * set under the write lock: tells whether a worker that died had read or started it.
   */
  volatile long mark = NOT_WRITTEN;
  private volatile Frame answer;
  private volatile RuntimeException failure;

  private PendingCall(Thread waiter, CompletableFuture<Frame> future, boolean user, Duration timeout,
      java.util.function.Consumer<Frame> items) {
    this.items = items;
    this.waiter = waiter;
    this.future = future;
    this.user = user;
    this.timeout = timeout;
    this.deadlineNanos = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
  }

  static PendingCall sync(boolean user, Duration timeout) {
    return new PendingCall(Thread.currentThread(), null, user, timeout, null);
  }

  static PendingCall async(boolean user, Duration timeout) {
    return new PendingCall(null, new CompletableFuture<>(), user, timeout, null);
  }

  static PendingCall stream(Duration timeout, java.util.function.Consumer<Frame> items) {
    return new PendingCall(null, new CompletableFuture<>(), true, timeout, items);
  }

  /** A user call the worker may queue for an execution slot (push streams start at once). */
  boolean isQueueable() {
    return user && items == null;
  }

  boolean isAsync() {
    return future != null;
  }

  boolean isOverdue(long now) {
    return timeout != null && now - deadlineNanos > 0;
  }

  boolean isDone() {
    return answer != null || failure != null;
  }

  void complete(Frame frame) {
    answer = frame;
    if (future != null) {
      future.complete(frame);
    } else if (waiter != Thread.currentThread()) {
      LockSupport.unpark(waiter);
    }
  }

  /** Fails the call: a {@link SnakeBridgeException}, or {@link NotSentException} when it may go elsewhere. */
  void fail(RuntimeException e) {
    failure = e;
    if (future != null) {
      future.completeExceptionally(e);
    } else if (waiter != Thread.currentThread()) {
      LockSupport.unpark(waiter);
    }
  }

  /** The answer, or throws the failure; only after {@link #isDone()}. */
  Frame answer() {
    RuntimeException f = failure;
    if (f != null) {
      throw f;
    }
    return answer;
  }
}
