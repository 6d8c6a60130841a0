package dev.snakebridge.internal.call;

import dev.snakebridge.CallOptions;
import dev.snakebridge.PyRef;
import dev.snakebridge.Result;
import dev.snakebridge.SerializationException;
import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.SnakeBridgeException;
import dev.snakebridge.Telemetry;
import dev.snakebridge.internal.bulk.LargeBuffers;
import dev.snakebridge.internal.call.Requests.Prepared;
import dev.snakebridge.internal.call.Requests.Sent;
import dev.snakebridge.internal.callback.CallbackTable;
import dev.snakebridge.internal.callback.JavaExceptions;
import dev.snakebridge.internal.codec.ValueDecoder;
import dev.snakebridge.internal.pool.WorkerPool;
import dev.snakebridge.internal.protocol.Frame;
import dev.snakebridge.internal.protocol.FrameKind;
import dev.snakebridge.internal.protocol.Op;
import dev.snakebridge.internal.session.RefState;
import dev.snakebridge.internal.session.SessionRegistry;
import dev.snakebridge.internal.session.SessionState;
import dev.snakebridge.internal.worker.WorkerProcess;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The request path, in one place: encode → route → admit → send → await or complete → decode → map
 * errors. Synchronous calls, {@code callAsync}, batches, iteration and push streams differ only in how
 * the answer is awaited; they share the encoding, the routing, the resend policy (a request its worker
 * never read goes to another worker of the pool, unless the refs it passes pin it) and the one place
 * that emits call telemetry. Thread-safe.
 */
public final class CallEngine {
  private final String name;
  private final SnakeBridgeConfig config;
  private final EngineParts parts;
  private final Handles handles;
  private final Router router;
  private final Requests requests;
  private final Sender sender;
  private final ErrorMapper errors;
  private final CallTelemetry observer;
  private final ValueDecoder.TupleFactory tuples;
  private volatile boolean closed;

  CallEngine(String name, SnakeBridgeConfig config, EngineParts parts, Handles handles) {
    this.name = name;
    this.config = config;
    this.parts = parts;
    this.handles = handles;
    this.router = new Router(config, parts.pools());
    this.requests = new Requests(this, router);
    // Classes, not lambdas, on the first call's path: see EngineParts.
    this.sender = new Sender(parts.large(), new Executor() {
      @Override
      public void execute(Runnable task) {
        parts.completions().execute(task);
      }
    });
    this.tuples = new ValueDecoder.TupleFactory() {
      @Override
      public Object tupleOf(Object[] items) {
        return handles.tuple(items);
      }
    };
    this.errors = new ErrorMapper(config.errorMode(), parts.javaExceptions());
    this.observer = new CallTelemetry(parts.telemetry(), handles);
  }

  /**
   * Begins, on a spare thread and once per JVM, the start-up work that a runtime's start need not wait
   * for (a first ring mapping, the call path's class loading); the sooner, the more of it overlaps.
   */
  public static void beginWarmup() {
    Warmup.begin();
  }

  /**
   * Starts an engine and its pools; returns when every worker is ready.
   *
   * @throws SnakeBridgeException when no interpreter is found or workers fail to start
   */
  public static CallEngine start(SnakeBridgeConfig config, Telemetry telemetry, Handles handles) {
    return EngineParts.start(config, telemetry, handles);
  }

  /** The runtime's name in messages, such as {@code SnakeBridgeRuntime#2}. */
  public String name() {
    return name;
  }

  public SnakeBridgeConfig config() {
    return config;
  }

  public Telemetry telemetry() {
    return parts.telemetry();
  }

  public SessionRegistry sessions() {
    return parts.sessions();
  }

  public CallbackTable callbacks() {
    return parts.callbacks();
  }

  /** The cleaner that releases the objects of refs the program no longer reaches. */
  public Cleaner cleaner() {
    return parts.cleaner();
  }

  public Iterable<WorkerPool> pools() {
    return parts.pools().values();
  }

  // ------------------------------------------------------------------ calls

  /** Runs {@code spec} in {@code session}, waiting for the answer in this thread. */
  public Object call(SessionState session, CallSpec spec) {
    return execute(CallKind.SYNC, session, spec);
  }

  /** Like {@link #call}, returning a failure as {@link Result.Err} instead of throwing it. */
  public Result tryCall(SessionState session, CallSpec spec) {
    try {
      return new Result.Ok(call(session, spec));
    } catch (SnakeBridgeException e) {
      return new Result.Err(e);
    }
  }

  /** Runs {@code spec} without blocking: the future completes on a library thread. */
  public CompletableFuture<Object> callAsync(SessionState session, CallSpec spec) {
    CompletableFuture<Object> result = new CompletableFuture<>();
    CallTelemetry.Span span = observer.begin(CallKind.ASYNC, spec, session);
    String traceparent = CallTelemetry.traceparent(span);
    Prepared first;
    try {
      first = requests.prepare(session, spec, traceparent);
    } catch (RuntimeException e) {
      observer.failed(span, spec, e);
      result.completeExceptionally(e);
      return result;
    }
    observer.sent(span, spec, first.worker());
    sender.sendAsync(first, () -> requests.prepare(session, spec, traceparent), 0).whenComplete((sent, error) -> complete(() -> {
      Object value = null;
      Throwable failure = error;
      if (failure == null) {
        try {
          value = sessions().withSession(session, () -> decode(sent, session, spec.context()));
        } catch (RuntimeException e) {
          failure = e;
        }
      }
      observer.ended(span, spec, sent == null ? first.worker() : sent.worker(), failure);
      if (failure == null) {
        result.complete(value);
      } else {
        result.completeExceptionally(failure);
      }
    }));
    return result;
  }

  /**
   * Runs the calls in one BATCH request: one result per call; a call that cannot be encoded is an error
   * of its own, a failed round trip an error of every call it did not answer. Never throws for those.
   */
  public List<Result> batch(SessionState session, List<CallSpec> calls, CallOptions options) {
    if (calls.isEmpty()) {
      return List.of();
    }
    Result[] results = new Result[calls.size()];
    CallSpec whole = new CallSpec(Op.BATCH, null, "batch", options, new Object[0]);
    CallTelemetry.Span span = observer.begin(CallKind.BATCH, whole, session);
    String traceparent = CallTelemetry.traceparent(span);
    try {
      Prepared first = requests.prepareBatch(session, calls, options, results, traceparent);
      if (first == null) {
        observer.failed(span, whole, new SerializationException("no call of the batch could be sent"));
      } else {
        observer.sent(span, whole, first.worker());
        Sent sent = sender.sendSync(first, () -> requests.prepareBatch(session, calls, options, results, traceparent));
        batchResults(sent, session, calls, results);
        observer.succeeded(span, whole, sent.worker());
      }
    } catch (SnakeBridgeException e) {
      observer.failed(span, whole, e);
      for (int i = 0; i < results.length; i++) {
        if (results[i] == null) {
          results[i] = new Result.Err(e);
        }
      }
    }
    return List.of(results);
  }

  /** Opens a Python iterator over {@code iterable}, read in batches. */
  public BatchedIterator iterator(SessionState session, PyRef iterable) {
    PyRef iterator = (PyRef) execute(CallKind.STREAM, session, CallSpec.iterOpen(iterable));
    return new BatchedIterator(this, iterator, config.iterationBatch());
  }

  /** The next batch of an iterator: {@code [items, exhausted]}. */
  List<?> iterNext(PyRef iterator, int max) {
    return (List<?>) execute(CallKind.STREAM, sessions().current(), CallSpec.iterNext(iterator, max));
  }

  /**
   * A generator pushed to subscribers. Each subscription sends its own STREAM request; the consumer
   * runs in {@code session}, and its own calls go to the stream's worker, admitted at once (the stream
   * waits for the consumer, so queueing them behind it would never end).
   */
  public java.util.concurrent.Flow.Publisher<Object> push(SessionState session, CallSpec spec) {
    return new PushPublisher(this, session, spec, router.profileTimeout(spec.options(), spec.module()));
  }

  /**
   * Pushes every item to {@code consumer}, asking for items in windows, and returns how many there were
   * once the generator ends.
   */
  public long pushEach(SessionState session, CallSpec spec, java.util.function.Consumer<Object> consumer) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    push(session, spec).subscribe(new WindowedSubscriber(consumer, done));
    try {
      return done.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** Sends a push stream's request; {@code items} gets each STREAM_ITEM frame on the reading thread. */
  PushPublisher.Opened openPush(SessionState session, CallSpec spec, java.util.function.Consumer<Frame> items) {
    CallTelemetry.Span span = observer.begin(CallKind.PUSH, spec, session);
    Prepared request;
    try {
      request = requests.prepare(session, spec, CallTelemetry.traceparent(span));
    } catch (RuntimeException e) {
      observer.failed(span, spec, e);
      throw e;
    }
    observer.sent(span, spec, request.worker());
    Duration timeout = spec.options().timeout().orElse(PushPublisher.STREAM_TIMEOUT);
    var stream = request.worker().connection().openStream(request.sink(), timeout, items);
    stream.done().whenComplete((frame, error) -> {
      large().discard(request.files());
      observer.ended(span, spec, request.worker(), error != null ? error
          : frame.kind() == FrameKind.RESULT ? null : new SnakeBridgeException("the generator raised"));
    });
    return new PushPublisher.Opened(stream, request.worker());
  }

  /** Releases the object behind {@code ref} now. */
  public void release(PyRef ref) {
    RefState state = handles.stateOf(ref);
    if (state.release("released by releaseRef")) {
      state.worker().flushReleases();
    }
  }

  // ---------------------------------------------------------------- the path

  private Object execute(CallKind kind, SessionState session, CallSpec spec) {
    CallTelemetry.Span span = observer.begin(kind, spec, session);
    String traceparent = CallTelemetry.traceparent(span);
    try {
      Prepared request = requests.prepare(session, spec, traceparent);
      observer.sent(span, spec, request.worker());
      Sent sent = sender.sendSync(request, new Supplier<Prepared>() {
        @Override
        public Prepared get() {
          return requests.prepare(session, spec, traceparent);
        }
      });
      Object value = decode(sent, session, spec.context());
      observer.succeeded(span, spec, sent.worker());
      return value;
    } catch (RuntimeException e) {
      observer.failed(span, spec, e);
      throw e;
    }
  }

  /** Runs completion work (decoding, user callbacks) off the thread that reads the worker's frames. */
  private void complete(Runnable work) {
    try {
      parts.completions().execute(work);
    } catch (RejectedExecutionException closing) {
      // The runtime is shutting down after draining this very call: complete it here.
      work.run();
    }
  }

  private Object decode(Sent sent, SessionState session, String context) {
    Object value = decodeValue(sent.answer().payload(), sent.worker(), session, sent.threadBound());
    if (sent.answer().kind() == FrameKind.RESULT) {
      return value;
    }
    throw errors.toException(value, context);
  }

  /** Files the answer of a batch: {@code [[ok, value or error], ...]} for the calls that were sent. */
  private void batchResults(Sent sent, SessionState session, List<CallSpec> calls, Result[] results) {
    Object value = decode(sent, session, "batch");
    if (!(value instanceof List<?> outcomes)) {
      throw new SerializationException("malformed batch answer from Python worker: " + value);
    }
    int next = 0;
    for (int i = 0; i < results.length; i++) {
      if (results[i] != null) {
        continue;
      }
      if (next >= outcomes.size() || !(outcomes.get(next++) instanceof List<?> outcome) || outcome.size() != 2) {
        throw new SerializationException("malformed batch answer from Python worker: " + outcomes.size()
            + " outcomes for " + results.length + " calls");
      }
      results[i] = Boolean.TRUE.equals(outcome.get(0))
          ? new Result.Ok(outcome.get(1))
          : new Result.Err(errors.toException(outcome.get(1), calls.get(i).context()));
    }
  }

  /**
   * Decodes a value from {@code worker}; refs in it belong to {@code session}, and are thread-bound when
   * the call that made them was.
   */
  Object decodeValue(byte[] payload, WorkerProcess worker, SessionState session, boolean threadBound) {
    ValueDecoder decoder = new ValueDecoder(payload, 0, payload.length, new ValueDecoder.RefFactory() {
      @Override
      public Object newRef(String id, String type, String repr) {
        RefState state = new RefState(id, session, worker, type, threadBound);
        sessions().track(state);
        return handles.newRef(CallEngine.this, state, repr);
      }
    }, tuples, large());
    return decoder.decode();
  }

  /** The end of a push stream: null when the generator finished, else its exception. */
  RuntimeException streamEnd(Frame end, WorkerProcess worker, SessionState session, String context) {
    try {
      decode(new Sent(end, worker, false), session, context);
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  /** An answer that came after its call timed out: every object it made is released at once. */
  void releaseLateAnswer(WorkerProcess worker, Frame frame) {
    if (frame.kind() != FrameKind.RESULT) {
      return;
    }
    try {
      new ValueDecoder(frame.payload(), 0, frame.payload().length, (id, type, repr) -> {
        worker.queueRelease(id);
        return null;
      }, handles::tuple, large()).decode();
    } finally {
      worker.flushReleases();
    }
  }

  /** The encoder extension for values sent in {@code session}: refs and Java functions. */
  RefArguments refArguments(SessionState session) {
    return new RefArguments(this, handles, callbacks(), session.id());
  }

  /** Bytes moved through shared memory so far: {@code {sent, received}}. */
  public long[] bulkBytesMoved() {
    return large().bytesMoved();
  }

  LargeBuffers large() {
    return parts.large();
  }

  JavaExceptions javaExceptions() {
    return parts.javaExceptions();
  }

  ExecutorService completions() {
    return parts.completions();
  }

  void requireOpen() {
    if (closed) {
      throw new SnakeBridgeException("this SnakeBridge runtime is closed");
    }
  }

  // --------------------------------------------------------------- lifecycle

  /** Stops taking calls, then stops the workers after letting calls in flight finish for {@code drainMillis}. */
  public void shutdown(long drainMillis) {
    if (closed) {
      return;
    }
    closed = true;
    parts.shutdown(drainMillis);
  }

  @Override
  public String toString() {
    return name;
  }
}
