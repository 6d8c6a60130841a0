package dev.snakebridge.internal.worker;

import dev.snakebridge.internal.codec.ByteSink;
import dev.snakebridge.internal.codec.ValueEncoder;
import dev.snakebridge.internal.protocol.Frame;
import dev.snakebridge.internal.protocol.FrameKind;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A push stream in flight: grants the worker credit for more items and cancels it. Credit and
 * cancellation asked for before the request was sent (it may wait for admission) are sent once it is.
 * Thread-safe.
 */
public final class StreamCall {
  private final WorkerConnection connection;
  private final CompletableFuture<Frame> done;
  private final ReentrantLock lock = new ReentrantLock();
  private long id = -1;
  private long heldCredit;
  private boolean cancelRequested;

  StreamCall(WorkerConnection connection, CompletableFuture<Frame> done) {
    this.connection = connection;
    this.done = done;
  }

  /** Completes with the stream's final RESULT or ERROR frame. */
  public CompletableFuture<Frame> done() {
    return done;
  }

  void started(long requestId) {
    long credit;
    boolean cancel;
    lock.lock();
    try {
      id = requestId;
      credit = heldCredit;
      cancel = cancelRequested;
      heldCredit = 0;
    } finally {
      lock.unlock();
    }
    if (cancel) {
      connection.sendCancel(requestId);
    } else if (credit > 0) {
      sendCredit(requestId, credit);
    }
  }

  /** Lets the worker send {@code n} more items. */
  public void credit(long n) {
    long target;
    lock.lock();
    try {
      if (id < 0) {
        heldCredit = saturatedAdd(heldCredit, n);
        return;
      }
      target = id;
    } finally {
      lock.unlock();
    }
    sendCredit(target, n);
  }

  /** Stops the stream: the worker closes the generator (running its {@code finally}). */
  public void cancel() {
    long target;
    lock.lock();
    try {
      cancelRequested = true;
      if (id < 0) {
        return;
      }
      target = id;
    } finally {
      lock.unlock();
    }
    connection.sendCancel(target);
  }

  private void sendCredit(long requestId, long n) {
    ByteSink frame = WorkerConnection.newRequestSink(9);
    new ValueEncoder(frame, null).encode(n);
    connection.sendFrame(FrameKind.CREDIT, requestId, frame);
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }
}
