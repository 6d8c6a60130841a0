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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Multiplexes many in-flight requests over one worker's {@link FrameChannel}, answered out of order by
 * id.
 *
 * <p>There is no dedicated reader for synchronous calls: a caller waiting for its answer becomes the
 * reader (the <em>leader</em>) when nobody else is reading, so the common case — one call at a time —
 * costs no thread hand-off at all. Answers it reads for others are handed to them, and when it leaves it
 * wakes one waiter to take over. Asynchronous calls have no waiting thread, so while any is in flight
 * and no caller leads, a named reader thread of this connection does the reading.
 *
 * <p>User calls pass through the worker's {@link Admission}; control messages do not. Thread-safe.
 */
public final class WorkerConnection {
  /** Receives what the worker sends besides answers. */
  public interface Listener {
    void onLog(Frame frame);

    void onTelemetry(Frame frame);

    /** Python calls a Java callback; the answer goes back with {@link #sendFrame}. */
    void onCallback(Frame frame);

    /** Python let go of anonymous callbacks ({@code CALLBACKS_DROPPED}). */
    void onCallbacksDropped(Frame frame);

    /** The answer of a user call that timed out: what it made must be released. */
    void onLateAnswer(Frame frame);

    /** The channel broke: build the exception that pending and later calls get. */
    SnakeBridgeException onBroken(IOException cause);
  }

  private static final long MAX_PARK_NANOS = Duration.ofMillis(100).toNanos();
  /** A cancelled call still running this long after its timeout means the worker is stuck. */
  private static final long CANCEL_GRACE_NANOS = Duration.ofMillis(1500).toNanos();

  private final String name;
  private final FrameChannel channel;
  private final Listener listener;
  private final Admission admission;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final ReentrantLock readLock = new ReentrantLock();
  private final ReentrantLock brokenLock = new ReentrantLock();
  private final Map<Long, PendingCall> pending = new ConcurrentHashMap<>();
  /** Timed-out user calls the worker was asked to cancel: id to when. Their places are still taken. */
  private final Map<Long, Long> cancelled = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(1);
  private final AtomicInteger asyncInFlight = new AtomicInteger();
  private final AtomicLong answered = new AtomicLong();
  private final Thread asyncReader;
  private volatile SnakeBridgeException brokenBy;
  /** A thread asleep until this connection has work ({@link #wakeOnActivity}), or null. */
  private volatile Thread idleWatcher;

  public WorkerConnection(String name, FrameChannel channel, Listener listener, Admission admission) {
    this.name = name;
    this.channel = channel;
    this.listener = listener;
    this.admission = admission;
    this.asyncReader = new Thread(new Runnable() { // a class, not a lambda, on the start path: see EngineParts
      @Override
      public void run() {
        readForAsyncCalls();
      }
    }, "snakebridge-" + name + "-reader");
    this.asyncReader.setDaemon(true);
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

  /** Starts the reader of asynchronous calls (parked until one is in flight). */
  public void start() {
    asyncReader.start();
  }

  public Admission admission() {
    return admission;
  }

  /** Requests waiting for answers (user and control). */
  public int inFlight() {
    return pending.size();
  }

  /** User calls answered so far (for recycling after N calls). */
  public long answeredCalls() {
    return answered.get();
  }

  public boolean isBroken() {
    return brokenBy != null;
  }

  /**
   * Sends a request and waits for its answer frame ({@code RESULT} or {@code ERROR}). A user call waits
   * for a place in the worker's admission first.
   *
   * @param timeout the call's timeout, or null for none
   * @throws CallTimeoutException when no answer came within {@code timeout}
   * @throws SnakeBridgeException (such as WorkerCrashedException) when the worker died
   */
  public Frame call(ByteSink request, Duration timeout, boolean user) {
    PendingCall call = PendingCall.sync(user, timeout);
    if (user) {
      admission.enter(call.deadlineNanos, timeout);
    }
    long id = register(call);
    try {
      write(request, FrameKind.REQUEST, requestFlags(user), id, call);
    } catch (IOException e) {
      // Fails this call too: with NotSentException if the worker cannot have started it.
      markBroken(e);
    }
    return await(call);
  }

  /** Like {@link #call}, without a waiting thread: the future completes in a library thread. */
  public CompletableFuture<Frame> callAsync(ByteSink request, Duration timeout, boolean user) {
    PendingCall call = PendingCall.async(user, timeout);
    sendAsync(request, call, null);
    return call.future;
  }

  /**
   * Starts a push stream: {@code items} gets each STREAM_ITEM frame on the reading thread; the returned
   * call ends with the stream's RESULT or ERROR, and takes credit and cancellation.
   */
  public StreamCall openStream(ByteSink request, Duration timeout, java.util.function.Consumer<Frame> items) {
    PendingCall call = PendingCall.stream(timeout, items);
    StreamCall stream = new StreamCall(this, call.future);
    sendAsync(request, call, stream);
    return stream;
  }

  private void sendAsync(ByteSink request, PendingCall call, StreamCall stream) {
    boolean user = call.user;
    Runnable send = () -> {
      long id;
      try {
        id = register(call);
      } catch (NotSentException e) {
        call.future.completeExceptionally(e);
        return;
      }
      asyncInFlight.incrementAndGet();
      call.future.whenComplete((frame, error) -> asyncInFlight.decrementAndGet());
      try {
        write(request, FrameKind.REQUEST, requestFlags(user), id, call);
      } catch (IOException e) {
        markBroken(e);
        return;
      }
      if (stream != null) {
        stream.started(id);
      }
      if (!readLock.isLocked()) {
        LockSupport.unpark(asyncReader);
      }
    };
    if (user) {
      admission.enterAsync(send, rejected -> {
        if (rejected == null) {
          call.future.completeExceptionally(new NotSentException(brokenBy));
        } else {
          call.fail(rejected);
        }
      });
    } else {
      send.run();
    }
  }

  /** Requests outside the admission (nested calls of a callback, control) must not queue in the worker. */
  private static int requestFlags(boolean user) {
    return user ? 0 : FrameDescriptor.FLAG_UNQUEUED;
  }

  /** Sends a frame that is not a request (callback answers, stream credit); ignored once broken. */
  public void sendFrame(int kind, long id, ByteSink frame) {
    if (brokenBy != null) {
      return;
    }
    try {
      write(frame, kind, 0, id, null);
    } catch (IOException e) {
      markBroken(e);
    }
  }

  /**
   * Registers a call about to be sent.
   *
   * @throws NotSentException when the worker is already gone: nothing was sent, so it may go elsewhere
   */
  private long register(PendingCall call) {
    long id = nextId.getAndIncrement();
    pending.put(id, call);
    if (call.user) {
      // Control calls (pings, session releases) have deadlines of seconds: the idle housekeeper's
      // one-second ticks time them out soon enough, and pings are sent by the housekeeper itself.
      activity();
    }
    SnakeBridgeException broken = brokenBy;
    if (broken != null) {
      pending.remove(id);
      throw new NotSentException(broken);
    }
    return id;
  }

  /** Sends a request that gets no answer (release). Failures are ignored: a dead worker frees everything. */
  public void send(ByteSink request) {
    if (brokenBy != null) {
      return;
    }
    try {
      write(request, FrameKind.REQUEST, FrameDescriptor.FLAG_NO_REPLY | FrameDescriptor.FLAG_UNQUEUED,
          nextId.getAndIncrement(), null);
    } catch (IOException e) {
      markBroken(e);
    }
  }

  /** Writes one frame; {@code call}, if any, learns where its request ends ({@link PendingCall#mark}). */
  private void write(ByteSink frame, int kind, int flags, long id, PendingCall call) throws IOException {
    int length = frame.position();
    frame.putI32At(FrameDescriptor.LENGTH_OFFSET, length - 4);
    frame.putU8At(FrameDescriptor.KIND_OFFSET, kind);
    frame.putU8At(FrameDescriptor.FLAGS_OFFSET, flags);
    frame.putI64At(FrameDescriptor.ID_OFFSET, id);
    boolean written = false;
    writeLock.lock();
    try {
      channel.write(frame.array(), length);
      written = true;
    } finally {
      if (call != null) {
        // A ring position even when the doorbell failed (the frame is in the ring); a pipe write that
        // failed delivered at most part of the frame, which the worker cannot have run.
        long mark = channel.writeMark();
        call.mark = mark >= 0 || written ? mark : PendingCall.NOT_WRITTEN;
      }
      writeLock.unlock();
    }
  }

  private Frame await(PendingCall call) {
    while (!call.isDone()) {
      if (readLock.tryLock()) {
        try {
          readUntil(call);
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
  private void readUntil(PendingCall call) {
    while (!call.isDone()) {
      if (!readOne()) {
        return;
      }
    }
  }

  private boolean readOne() {
    try {
      dispatch(channel.read());
      return true;
    } catch (IOException e) {
      markBroken(e);
      return false;
    }
  }

  private void readForAsyncCalls() {
    while (brokenBy == null) {
      LockSupport.park(this);
      while (asyncInFlight.get() > 0 && brokenBy == null && readLock.tryLock()) {
        try {
          while (asyncInFlight.get() > 0 && readOne()) {
            // Reads until no asynchronous call is left; synchronous callers' answers are handed over.
          }
        } finally {
          readLock.unlock();
        }
        wakeNextLeader();
      }
    }
  }

  private void dispatch(Frame frame) {
    switch (frame.kind()) {
      case FrameKind.RESULT, FrameKind.ERROR -> {
        PendingCall call = pending.remove(frame.id());
        if (call != null) {
          if (call.user) {
            answered.incrementAndGet();
            admission.exit();
          }
          call.complete(frame);
        } else if (cancelled.remove(frame.id()) != null) {
          // The answer of a call that timed out: what it made is released before its place in the
          // admission frees, so the release is sent ahead of the next call.
          listener.onLateAnswer(frame);
          admission.exit();
        }
      }
      case FrameKind.STREAM_ITEM -> {
        PendingCall call = pending.get(frame.id());
        if (call != null && call.items != null) {
          call.items.accept(frame);
        }
      }
      case FrameKind.CALLBACK -> listener.onCallback(frame);
      case FrameKind.CALLBACKS_DROPPED -> listener.onCallbacksDropped(frame);
      case FrameKind.LOG -> listener.onLog(frame);
      case FrameKind.TELEMETRY -> listener.onTelemetry(frame);
      default -> {
        // CANCELLED acknowledgements only wake the reader; kinds this version does not use are ignored.
      }
    }
  }

  /** Leadership was given up: wake a caller still waiting, or the asynchronous reader. */
  private void wakeNextLeader() {
    for (PendingCall other : pending.values()) {
      if (!other.isAsync() && !other.isDone()) {
        LockSupport.unpark(other.waiter);
        return;
      }
    }
    if (asyncInFlight.get() > 0) {
      LockSupport.unpark(asyncReader);
    }
  }

  /** No user call in flight or waiting for admission, no timed-out call still running (control calls do not count). */
  public boolean isIdle() {
    if (!cancelled.isEmpty() || admission.load() != 0) {
      return false;
    }
    for (PendingCall call : pending.values()) {
      if (call.user) {
        return false;
      }
    }
    return true;
  }

  /**
   * Unparks {@code watcher} once, at the next call or {@link #activity()}: the housekeeper sleeps long
   * while every connection is idle, and must tick again to time out calls.
   */
  public void wakeOnActivity(Thread watcher) {
    idleWatcher = watcher;
  }

  /** Work appeared (a call, a release to send): wake the idle watcher, if any. */
  public void activity() {
    Thread watcher = idleWatcher;
    if (watcher != null) {
      idleWatcher = null;
      LockSupport.unpark(watcher);
    }
  }

  /**
   * Housekeeping, called periodically from the housekeeper thread: times out overdue calls (asking the
   * worker to cancel them), expires queued calls, and reads frames that arrived while nobody was waiting
   * (log lines).
   *
   * @return true when a cancelled call is still running long after its timeout: the worker is stuck (in
   *     C code, say) and should be replaced
   */
  public boolean housekeep() {
    long now = System.nanoTime();
    for (Map.Entry<Long, PendingCall> e : pending.entrySet()) {
      PendingCall call = e.getValue();
      if (call.isOverdue(now) && pending.remove(e.getKey(), call)) {
        if (call.user) {
          cancelled.put(e.getKey(), now);
        }
        call.fail(new CallTimeoutException(
            "no answer from worker " + name + " within " + call.timeout + "; the call was cancelled", call.timeout));
        sendCancel(e.getKey());
      }
    }
    admission.expireWaiting();
    if (pending.isEmpty() && readLock.tryLock()) {
      try {
        for (Frame f; brokenBy == null && (f = channel.poll()) != null; ) {
          dispatch(f);
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

  void sendCancel(long id) {
    try {
      write(newRequestSink(0), FrameKind.CANCEL, 0, id, null);
    } catch (IOException e) {
      markBroken(e);
    }
  }

  /**
   * Fails every pending, queued and future call with what the listener reports; idempotent. A pending
   * call the worker provably never started fails with {@link NotSentException} instead, so the runtime
   * sends it elsewhere: one not yet written, or, on shared memory, one past what the worker started
   * ({@link FrameChannel#startedMark}; {@link FrameChannel#consumedMark} for requests it never queues).
   * On the pipe transport only a failed write proves it.
   */
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
    // Writers hold the lock while a call's mark is unset: with it, an unset mark means not written yet.
    // A writer stuck on a full ring may hold it forever; then an unset mark proves nothing.
    boolean settled = false;
    try {
      settled = writeLock.tryLock(100, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long consumed = channel.consumedMark();
    long started = channel.startedMark();
    if (settled) {
      writeLock.unlock();
    }
    for (Long id : pending.keySet()) {
      PendingCall call = pending.remove(id);
      if (call != null) {
        call.fail(neverStarted(call, settled, consumed, started) ? new NotSentException(failure) : failure);
      }
    }
    admission.rejectAll(failure);
    LockSupport.unpark(asyncReader);
    // Nothing more will be read: a writer stuck on a full ring must give up, and a worker still alive
    // (a corrupt stream) sees end of file and exits.
    channel.close();
    return failure;
  }

  private static boolean neverStarted(PendingCall call, boolean settled, long consumed, long started) {
    long mark = call.mark;
    if (mark == PendingCall.NOT_WRITTEN) {
      return settled;
    }
    // A started position of 0 comes from a worker that has not started a queueable request, or does not
    // publish it: then only what it never consumed counts.
    long seen = call.isQueueable() && started > 0 ? started : consumed;
    return mark >= 0 && seen >= 0 && mark > seen;
  }

  /**
   * The worker's process has ended: once no thread reads (the connection is broken, so none starts to),
   * closes the response stream, whose descriptor would otherwise stay open in the JVM.
   */
  public void processEnded() {
    try {
      if (readLock.tryLock(5, java.util.concurrent.TimeUnit.SECONDS)) {
        try {
          channel.closeInput();
        } finally {
          readLock.unlock();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Closes the request stream: the worker exits when it sees end of file. */
  public void close() {
    channel.close();
  }
}
