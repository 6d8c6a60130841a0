package dev.snakebridge.internal.worker;

import dev.snakebridge.SnakeBridgeException;
import dev.snakebridge.internal.protocol.Frame;
import java.util.concurrent.locks.LockSupport;

/** A request waiting for its answer: completed once, by whichever thread reads the answer. */
final class PendingCall {
  final Thread waiter;
  final long deadlineNanos;
  final java.time.Duration timeout;
  private volatile Frame answer;
  private volatile SnakeBridgeException failure;

  PendingCall(Thread waiter, java.time.Duration timeout) {
    this.waiter = waiter;
    this.timeout = timeout;
    this.deadlineNanos = System.nanoTime() + timeout.toNanos();
  }

  boolean isDone() {
    return answer != null || failure != null;
  }

  void complete(Frame frame) {
    answer = frame;
    wake();
  }

  void fail(SnakeBridgeException e) {
    failure = e;
    wake();
  }

  private void wake() {
    if (waiter != Thread.currentThread()) {
      LockSupport.unpark(waiter);
    }
  }

  /** The answer, or throws the failure; only after {@link #isDone()}. */
  Frame answer() {
    SnakeBridgeException f = failure;
    if (f != null) {
      // Rethrown in the caller's thread: keep the caller's stack, with the cause's for context.
      throw f;
    }
    return answer;
  }
}
