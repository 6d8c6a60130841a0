package dev.snakebridge.internal.worker;

import dev.snakebridge.CallTimeoutException;
import dev.snakebridge.SnakeBridgeException;
import dev.snakebridge.internal.codec.ByteSink;
import dev.snakebridge.internal.protocol.Frame;
import dev.snakebridge.internal.protocol.FrameDescriptor;
import dev.snakebridge.internal.protocol.FrameKind;
import dev.snakebridge.internal.transport.FrameChannel;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Multiplexes many in-flight requests over one worker's {@link FrameChannel}, answered out of order by
 * id. There is no dedicated reader thread: a caller waiting for its answer becomes the reader (the
 * <em>leader</em>) when nobody else is reading, so the common case — one call at a time — costs no
 * thread hand-off at all; answers it reads for other callers are handed to them, and when it leaves it
 * wakes one waiter to take over. Thread-safe.
 */
public final class WorkerConnection {
  /** Receives what the worker sends besides answers. */
  public interface Listener {
    void onLog(Frame frame);

    /** The channel broke: build the exception that pending and later calls get. */
    SnakeBridgeException onBroken(IOException cause);
  }

  private static final long MAX_PARK_NANOS = Duration.ofMillis(100).toNanos();
  private static final long CANCEL_GRACE_NANOS = Duration.ofSeconds(3).toNanos();

  private final FrameChannel channel;
  private final Listener listener;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final ReentrantLock readLock = new ReentrantLock();
  private final ReentrantLock brokenLock = new ReentrantLock();
  private final Map<Long, PendingCall> pending = new ConcurrentHashMap<>();
  /** Timed-out requests we asked the worker to cancel: id to the time we asked. */
  private final Map<Long, Long> cancelled = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(1);
  private volatile SnakeBridgeException brokenBy;

  public WorkerConnection(FrameChannel channel, Listener listener) {
    this.channel = channel;
    this.listener = listener;
  }

  /** A sink with the frame header reserved, for encoding a request payload into. */
  public static ByteSink newRequestSink(int payloadHint) {
    ByteSink sink = new ByteSink(FrameDescriptor.HEADER_LENGTH + payloadHint);
    sink.skip(FrameDescriptor.HEADER_LENGTH);
    return sink;
  }

  /** Reads the worker's first frame ({@code HELLO}), before any request is sent. */
  public Frame readHandshake() throws IOException {
    return channel.read();
  }

  /** Requests waiting for answers, for load-based scheduling. */
  public int inFlight() {
    return pending.size();
  }

  public boolean isBroken() {
    return brokenBy != null;
  }

  /**
   * Sends a request and waits for its answer frame ({@code RESULT} or {@code ERROR}).
   *
   * @throws CallTimeoutException when no answer came within {@code timeout}
   * @throws SnakeBridgeException (such as WorkerCrashedException) when the worker died
   */
  public Frame call(ByteSink request, Duration timeout) {
    long id = nextId.getAndIncrement();
    PendingCall call = new PendingCall(Thread.currentThread(), timeout);
    pending.put(id, call);
    SnakeBridgeException broken = brokenBy;
    if (broken != null) {
      pending.remove(id);
      throw broken;
    }
    try {
      write(request, FrameKind.REQUEST, 0, id);
    } catch (IOException e) {
      pending.remove(id);
      throw markBroken(e);
    }
    return await(call);
  }

  /** Sends a request that gets no answer (release). Failures are ignored: a dead worker frees everything. */
  public void send(ByteSink request) {
    if (brokenBy != null) {
      return;
    }
    try {
      write(request, FrameKind.REQUEST, FrameDescriptor.FLAG_NO_REPLY, nextId.getAndIncrement());
    } catch (IOException e) {
      markBroken(e);
    }
  }

  private void write(ByteSink frame, int kind, int flags, long id) throws IOException {
    int length = frame.position();
    frame.putI32At(FrameDescriptor.LENGTH_OFFSET, length - 4);
    frame.putU8At(FrameDescriptor.KIND_OFFSET, kind);
    frame.putU8At(FrameDescriptor.FLAGS_OFFSET, flags);
    frame.putI64At(FrameDescriptor.ID_OFFSET, id);
    writeLock.lock();
    try {
      channel.write(frame.array(), length);
    } finally {
      writeLock.unlock();
    }
  }

  private Frame await(PendingCall call) {
    while (!call.isDone()) {
      if (readLock.tryLock()) {
        try {
          lead(call);
        } finally {
          readLock.unlock();
        }
        wakeNextLeader();
      } else {
        LockSupport.parkNanos(this, MAX_PARK_NANOS);
      }
    }
    return call.answer();
  }

  /** Reads frames until {@code call} is answered, delivering the others' answers on the way. */
  private void lead(PendingCall call) {
    while (!call.isDone()) {
      try {
        dispatch(channel.read());
      } catch (IOException e) {
        markBroken(e);
        return;
      }
    }
  }

  private void dispatch(Frame frame) {
    switch (frame.kind()) {
      case FrameKind.RESULT, FrameKind.ERROR -> {
        PendingCall call = pending.remove(frame.id());
        if (call != null) {
          call.complete(frame);
        } else {
          cancelled.remove(frame.id());
        }
      }
      case FrameKind.LOG -> listener.onLog(frame);
      default -> {
        // Kinds this version does not use yet (callbacks, streams) are ignored, as the protocol says.
      }
    }
  }

  /** Leadership was given up: wake one caller still waiting so that someone reads its answer. */
  private void wakeNextLeader() {
    for (PendingCall other : pending.values()) {
      if (!other.isDone()) {
        LockSupport.unpark(other.waiter);
        return;
      }
    }
  }

  /**
   * Housekeeping, called periodically from the runtime's housekeeper thread: reads frames the worker
   * sent while nobody was waiting (log lines), and times out overdue calls.
   *
   * @return true when a cancelled call is still running long after its timeout: the worker is stuck (in
   *     C code, say) and should be replaced
   */
  public boolean housekeep(String workerName) {
    long now = System.nanoTime();
    for (Map.Entry<Long, PendingCall> e : pending.entrySet()) {
      PendingCall call = e.getValue();
      if (now - call.deadlineNanos > 0 && pending.remove(e.getKey(), call)) {
        cancelled.put(e.getKey(), now);
        call.fail(new CallTimeoutException(
            "no answer from worker " + workerName + " within " + call.timeout + "; the call was cancelled",
            call.timeout));
        sendCancel(e.getKey());
      }
    }
    if (pending.isEmpty() && readLock.tryLock()) {
      try {
        while (brokenBy == null && channel.available() > 0) {
          dispatch(channel.read());
        }
      } catch (IOException e) {
        markBroken(e);
      } finally {
        readLock.unlock();
      }
      wakeNextLeader();
    }
    for (long since : cancelled.values()) {
      if (now - since > CANCEL_GRACE_NANOS) {
        return true;
      }
    }
    return false;
  }

  private void sendCancel(long id) {
    ByteSink frame = newRequestSink(0);
    try {
      write(frame, FrameKind.CANCEL, 0, id);
    } catch (IOException e) {
      markBroken(e);
    }
  }

  /** Fails every pending and future call with what the listener reports; idempotent. */
  public SnakeBridgeException markBroken(IOException cause) {
    SnakeBridgeException existing = brokenBy;
    if (existing != null) {
      return existing;
    }
    SnakeBridgeException failure;
    brokenLock.lock();
    try {
      if (brokenBy == null) {
        brokenBy = listener.onBroken(cause);
      }
      failure = brokenBy;
    } finally {
      brokenLock.unlock();
    }
    for (Long id : pending.keySet()) {
      PendingCall call = pending.remove(id);
      if (call != null) {
        call.fail(failure);
      }
    }
    return failure;
  }

  /** Closes the request stream: the worker exits when it sees end of file. */
  public void close() {
    channel.close();
  }
}
