package dev.snakebridge;

import dev.snakebridge.internal.callback.CallbackTable;
import dev.snakebridge.internal.callback.JavaExceptions;
import dev.snakebridge.internal.bulk.LargeBuffers;
import dev.snakebridge.internal.codec.ByteSink;
import dev.snakebridge.internal.codec.ValueDecoder;
import dev.snakebridge.internal.codec.ValueEncoder;
import dev.snakebridge.internal.codec.WireTag;
import dev.snakebridge.internal.errors.MlErrorTranslator;
import dev.snakebridge.internal.pool.Housekeeper;
import dev.snakebridge.internal.pool.WorkerPool;
import dev.snakebridge.internal.protocol.Frame;
import dev.snakebridge.internal.protocol.FrameKind;
import dev.snakebridge.internal.protocol.Op;
import dev.snakebridge.internal.session.RefState;
import dev.snakebridge.internal.session.SessionRegistry;
import dev.snakebridge.internal.session.SessionState;
import dev.snakebridge.internal.transport.SharedMemorySupport;
import dev.snakebridge.internal.transport.SpinPolicy;
import dev.snakebridge.internal.worker.CallbackHandler;
import dev.snakebridge.internal.worker.ClasspathHelpers;
import dev.snakebridge.internal.worker.InterpreterResolver;
import dev.snakebridge.internal.worker.NotSentException;
import dev.snakebridge.internal.worker.WorkerConnection;
import dev.snakebridge.internal.worker.WorkerFiles;
import dev.snakebridge.internal.worker.WorkerLaunch;
import dev.snakebridge.internal.worker.WorkerProcess;
import java.io.File;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A SnakeBridge runtime: pools of Python workers, the sessions that own Python objects, and the calls
 * into them. The static {@link SnakeBridge} facade uses one default runtime; programs that want their
 * own (dependency injection, several configurations) create one with {@link #create(SnakeBridgeConfig)}
 * and {@link #close()} it. Every method of the facade exists here with the same meaning.
 *
 * <p>Thread-safe: any number of threads may call at once; calls are spread over the workers.
 */
public final class SnakeBridgeRuntime implements AutoCloseable {
  private final SnakeBridgeConfig config;
  private final Map<String, WorkerPool> pools;
  private final Telemetry telemetry;
  private final SessionRegistry sessions;
  private final CallRouter router;
  private final Cleaner cleaner;
  private final Housekeeper housekeeper;
  private final ExecutorService completions;
  private final Thread shutdownHook;
  private final CallbackTable callbacks = new CallbackTable();
  private final JavaExceptions javaExceptions = new JavaExceptions();
  private final LargeBuffers large;
  private volatile boolean closed;

  private SnakeBridgeRuntime(SnakeBridgeConfig config, Map<String, WorkerPool> pools, Telemetry telemetry) {
    this.config = config;
    this.pools = pools;
    this.telemetry = telemetry;
    this.router = new CallRouter(config, pools);
    this.sessions = new SessionRegistry(telemetry, this::releaseSessionIn, config.refTtl(),
        config.maxRefsPerSession(), config.sessionCleanupTimeout());
    this.cleaner = Cleaner.create(runnable -> {
      Thread t = new Thread(runnable, "snakebridge-ref-cleaner");
      t.setDaemon(true);
      return t;
    });
    this.completions = Executors.newThreadPerTaskExecutor(
        Thread.ofVirtual().name("snakebridge-async-", 0).factory());
    this.housekeeper = new Housekeeper(List.copyOf(pools.values()), sessions, config.heartbeatInterval(), this::ping);
    this.shutdownHook = new Thread(this::shutdownNow, "snakebridge-shutdown");
    this.sessions.onRelease(callbacks::releaseSession);
    this.large = new LargeBuffers(config.largeBufferDirectory(), config.largeBufferThreshold());
    // Files of processes that died mid-transfer (a killed JVM, a crashed worker) go now.
    this.large.sweepDead();
  }

  /**
   * Starts a runtime: resolves interpreters, unpacks the worker, and starts every pool's workers in
   * parallel, returning when all are ready.
   *
   * @throws SnakeBridgeException when no interpreter is found or workers fail to start (the message
   *     includes the interpreter and its stderr)
   */
  public static SnakeBridgeRuntime create(SnakeBridgeConfig config) {
    Objects.requireNonNull(config, "config");
    Path workerDir = WorkerFiles.unpack(config.workerCacheDir());
    List<String> helperDirs = new ArrayList<>();
    config.helperPaths().forEach(p -> helperDirs.add(p.toString()));
    ClasspathHelpers.unpack(config.workerCacheDir()).ifPresent(p -> helperDirs.add(p.toString()));
    Telemetry telemetry = new Telemetry();
    // Workers start before the runtime exists; callbacks can only come once calls are made.
    java.util.concurrent.atomic.AtomicReference<CallbackHandler> handler = new java.util.concurrent.atomic.AtomicReference<>();
    CallbackHandler forward = new CallbackHandler() {
      @Override
      public void onCallback(WorkerProcess worker, Frame frame) {
        handler.get().onCallback(worker, frame);
      }

      @Override
      public void onCallbackDropped(long id) {
        handler.get().onCallbackDropped(id);
      }
    };
    Map<String, WorkerPool> pools = new LinkedHashMap<>();
    for (PoolConfig pool : config.pools().values()) {
      pools.put(pool.name(), new WorkerPool(pool, launchOf(config, pool, workerDir, helperDirs), telemetry, forward));
    }
    CompletableFuture<Void> started = startAll(pools.values());
    // The runtime's own parts are built while the workers start (the JVM waits for Python meanwhile).
    SnakeBridgeRuntime runtime;
    try {
      runtime = new SnakeBridgeRuntime(config, Map.copyOf(pools), telemetry);
    } catch (RuntimeException | Error e) {
      started.whenComplete((ok, failure) -> pools.values().forEach(WorkerPool::close));
      throw e;
    }
    awaitStarted(started, pools.values());
    handler.set(new CallbackDispatcher(runtime, runtime.sessions, runtime.callbacks, runtime.javaExceptions,
        runtime.completions));
    runtime.housekeeper.start();
    Runtime.getRuntime().addShutdownHook(runtime.shutdownHook);
    return runtime;
  }

  private static WorkerLaunch launchOf(SnakeBridgeConfig config, PoolConfig pool, Path workerDir, List<String> helperDirs) {
    var interpreter = InterpreterResolver.resolve(
        pool.pythonExecutable().or(config::pythonExecutable), System.getenv());
    Map<String, String> env = new LinkedHashMap<>();
    if (pool.profile() == WorkerProfile.PROCESS) {
      // One user call per process: N workers should use N cores, not N × (BLAS threads) cores.
      for (String var : List.of("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")) {
        if (System.getenv(var) == null) {
          env.put(var, "1");
        }
      }
    }
    env.putAll(config.environment());
    env.putAll(pool.environment());
    env.put("SNAKEBRIDGE_HELPER_PATHS", String.join(File.pathSeparator, helperDirs));
    env.put("SNAKEBRIDGE_LOG_LEVEL", config.pythonLogLevel());
    env.put("SNAKEBRIDGE_STARTUP_IMPORTS", String.join(",", pool.startupImports()));
    env.put("SNAKEBRIDGE_HEARTBEAT_TIMEOUT_S", Long.toString(Math.max(30, config.heartbeatInterval().toSeconds() * 12)));
    env.put("SNAKEBRIDGE_SPIN_US", Long.toString(config.spinWait().toNanos() / 1000));
    env.put("SNAKEBRIDGE_SLOTS", Integer.toString(pool.concurrencyPerWorker()));
    int workers = config.pools().values().stream().mapToInt(PoolConfig::size).sum();
    env.putIfAbsent(SpinPolicy.YIELD_ENV, SpinPolicy.forMachine(config.spinWait().toNanos(), workers,
        Runtime.getRuntime().availableProcessors()).yielding() ? "1" : "0");
    env.put("SNAKEBRIDGE_BULK_DIR", config.largeBufferDirectory().toString());
    env.put("SNAKEBRIDGE_BULK_THRESHOLD", Integer.toString(config.largeBufferThreshold()));
    int ring = config.transport() == Transport.SHARED_MEMORY && SharedMemorySupport.available() ? config.ringBytes() : 0;
    return new WorkerLaunch(interpreter.executable(), workerDir, env, config.startupTimeout(), config.spinWait(), ring,
        config.forkServer());
  }

  /** Starts every pool on a thread of its own; the future completes when all are ready. */
  private static CompletableFuture<Void> startAll(Iterable<WorkerPool> pools) {
    List<CompletableFuture<Void>> starting = new ArrayList<>();
    for (WorkerPool pool : pools) {
      starting.add(CompletableFuture.runAsync(pool::start,
          body -> Thread.ofPlatform().daemon().name("snakebridge-" + pool.name() + "-start").start(body)));
    }
    return CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new));
  }

  private static void awaitStarted(CompletableFuture<Void> started, Iterable<WorkerPool> pools) {
    try {
      started.join();
    } catch (java.util.concurrent.CompletionException e) {
      pools.forEach(WorkerPool::close);
      throw e.getCause() instanceof SnakeBridgeException sbe ? sbe : new SnakeBridgeException(e.getMessage(), e);
    }
  }

  /** The configuration this runtime was created with. */
  public SnakeBridgeConfig config() {
    return config;
  }

  /** This runtime's telemetry: attach handlers to its events. */
  public Telemetry telemetry() {
    return telemetry;
  }

  // ------------------------------------------------------------------ calls

  /** Python: {@code module.function(*args, **kwargs)}. See {@link SnakeBridge#call(String, String, Object...)}. */
  public Object call(String module, String function, Object... args) {
    Invocation inv = Invocation.of(args);
    return execute(Op.CALL, module, function, inv.options(),
        requireName(module, "module"), requireName(function, "function"), inv.positional(), inv.keywords());
  }

  /** Like {@link #call(String, String, Object...)}, converting the result to {@code type}. */
  public <T> T call(Class<T> type, String module, String function, Object... args) {
    return ResultCoercion.coerce(call(module, function, args), type);
  }

  /** Python: {@code module.name}. */
  public Object get(String module, String name) {
    return execute(Op.GET, module, name, CallOptions.defaults(), requireName(module, "module"), requireName(name, "name"));
  }

  /** Python: {@code ref.name(*args, **kwargs)}. */
  public Object method(PyRef ref, String name, Object... args) {
    Invocation inv = Invocation.of(args);
    return execute(Op.METHOD, moduleOf(ref), name, inv.options(),
        Objects.requireNonNull(ref, "ref"), requireName(name, "name"), inv.positional(), inv.keywords());
  }

  /** Python: {@code ref(*args, **kwargs)}. */
  public Object invoke(PyRef ref, Object... args) {
    Invocation inv = Invocation.of(args);
    return execute(Op.CALL_REF, moduleOf(ref), "__call__", inv.options(),
        Objects.requireNonNull(ref, "ref"), inv.positional(), inv.keywords());
  }

  /** Python: {@code ref.name}. */
  public Object attr(PyRef ref, String name) {
    return execute(Op.ATTR, moduleOf(ref), name, CallOptions.defaults(),
        Objects.requireNonNull(ref, "ref"), requireName(name, "name"));
  }

  /** Python: {@code ref.name = value}. */
  public void setAttr(PyRef ref, String name, Object value) {
    execute(Op.SET_ATTR, moduleOf(ref), name, CallOptions.defaults(),
        Objects.requireNonNull(ref, "ref"), requireName(name, "name"), value);
  }

  Object builtin(String builtin, PyRef ref) {
    return execute(Op.BUILTIN, moduleOf(ref), builtin, CallOptions.defaults(), builtin, Objects.requireNonNull(ref, "ref"));
  }

  /** Calls a function of one of the program's helper modules, {@code "module.function"}. */
  public Object callHelper(String dottedName, Object... args) {
    int dot = Objects.requireNonNull(dottedName, "dottedName").lastIndexOf('.');
    if (dot <= 0 || dot == dottedName.length() - 1) {
      throw new IllegalArgumentException("helper name must be 'module.function', got '" + dottedName + "'");
    }
    return call(dottedName.substring(0, dot), dottedName.substring(dot + 1), args);
  }

  /** Like {@link #call(String, String, Object...)}, returning failures as {@link Result.Err}. */
  public Result tryCall(String module, String function, Object... args) {
    try {
      return new Result.Ok(call(module, function, args));
    } catch (SnakeBridgeException e) {
      return new Result.Err(e);
    }
  }

  // ------------------------------------------------------------- bulk data

  /** The worker module behind {@link #toNDArray}, {@link #toTable} and {@link #fromTable}. */
  private static final String BULK_MODULE = "snakebridge.bulk";

  /**
   * Copies the numpy array behind {@code array} (or anything {@code numpy.asarray} accepts) into an
   * {@link NDArray}; see {@link SnakeBridge#toNDArray}.
   *
   * @throws PythonException ({@code TypeError}) for a dtype {@link NDArray.DType} does not have
   */
  public NDArray toNDArray(PyRef array) {
    Object value = call(BULK_MODULE, "to_ndarray", Objects.requireNonNull(array, "array"),
        CallOptions.defaults().arraysAsNDArray());
    if (value instanceof NDArray a) {
      return a;
    }
    throw new SerializationException("toNDArray expected an NDArray from the worker, got " + value);
  }

  /**
   * Copies the pandas DataFrame behind {@code frame} into a {@link PyTable}, column by column; see
   * {@link SnakeBridge#toTable}.
   *
   * @throws PythonException ({@code TypeError}) when {@code frame} is not a DataFrame
   */
  public PyTable toTable(PyRef frame) {
    Object value = call(BULK_MODULE, "to_table", Objects.requireNonNull(frame, "frame"));
    if (value instanceof PyTable t) {
      return t;
    }
    throw new SerializationException("toTable expected a PyTable from the worker, got " + value);
  }

  /** Makes a pandas DataFrame of {@code table} in a worker; see {@link SnakeBridge#fromTable}. */
  public PyRef fromTable(PyTable table) {
    Object value = call(BULK_MODULE, "from_table", Objects.requireNonNull(table, "table"));
    if (value instanceof PyRef ref) {
      return ref;
    }
    throw new SerializationException("fromTable expected a DataFrame ref from the worker, got " + value);
  }

  // ----------------------------------------------------------------- batches

  /** A batch of calls sent in one round trip; see {@link Batch}. */
  public Batch batch() {
    return new Batch(this, null);
  }

  Batch batchIn(String sessionId) {
    return new Batch(this, sessionId);
  }

  /** Runs a batch: one BATCH request, one result per call; see {@link Batch#execute()}. */
  List<Result> executeBatch(List<Batch.Call> calls, CallOptions options) {
    if (calls.isEmpty()) {
      return List.of();
    }
    SessionState session = sessions.current();
    Result[] results = new Result[calls.size()];
    try {
      for (int attempt = 0; ; attempt++) {
        java.util.Arrays.fill(results, null);
        Request sent = prepareBatch(session, calls, options, results);
        if (sent == null) {
          break; // no call could be encoded: nothing to send
        }
        try {
          Frame answer = sent.worker.connection().call(sent.sink, sent.timeout, !sent.admitted);
          batchResults(answer, sent.worker, session, calls, results);
          break;
        } catch (NotSentException e) {
          if (sent.pinned || attempt >= MAX_RESENDS) {
            throw e.reason();
          }
        } finally {
          large.discard(sent.files);
        }
      }
    } catch (SnakeBridgeException e) {
      for (int i = 0; i < results.length; i++) {
        if (results[i] == null) {
          results[i] = new Result.Err(e);
        }
      }
    }
    return List.of(results);
  }

  /**
   * Encodes {@code [BATCH, session, [call...]]}, each call a complete request payload as bytes; a call
   * that cannot be encoded gets its {@code Result.Err} in {@code results} now and is left out. Returns
   * null when no call is left.
   */
  private Request prepareBatch(SessionState session, List<Batch.Call> calls, CallOptions options, Result[] results) {
    if (closed) {
      throw new SnakeBridgeException("this SnakeBridge runtime is closed");
    }
    ByteSink sink = WorkerConnection.newRequestSink(64 + 48 * calls.size());
    CallArguments refs = new CallArguments(callbacks, session.id());
    ValueEncoder encoder = new ValueEncoder(sink, refs, large);
    sink.u8(WireTag.LIST);
    sink.i32(3);
    encoder.encode(Op.BATCH.code());
    encoder.encode(session.id());
    sink.u8(WireTag.LIST);
    int countAt = sink.position();
    sink.i32(0);
    int count = 0;
    for (int i = 0; i < calls.size(); i++) {
      Batch.Call call = calls.get(i);
      int start = sink.position();
      int filesBefore = encoder.createdFiles().size();
      try {
        sink.u8(WireTag.BYTES);
        int lengthAt = sink.position();
        sink.i32(0);
        Object[] envelope = new Object[call.operands().length + 2];
        envelope[0] = call.options().isArraysAsNDArray() ? call.op().code() | Op.MODIFIER_ARRAYS : call.op().code();
        envelope[1] = session.id();
        System.arraycopy(call.operands(), 0, envelope, 2, call.operands().length);
        encoder.encodeListOf(envelope);
        sink.putI32At(lengthAt, sink.position() - lengthAt - 4);
        count++;
      } catch (RuntimeException e) {
        sink.truncate(start);
        List<java.nio.file.Path> files = encoder.createdFiles();
        if (files.size() > filesBefore) {
          List<java.nio.file.Path> failed = files.subList(filesBefore, files.size());
          large.discard(failed);
          failed.clear();
        }
        results[i] = new Result.Err(e instanceof SnakeBridgeException sbe ? sbe
            : new SerializationException("call " + (i + 1) + " of the batch (" + contextOf(call) + ") cannot be sent: " + e));
      }
    }
    sink.putI32At(countAt, count);
    if (count == 0) {
      return null;
    }
    try {
      return route(sink, refs, session, options, null, encoder.createdFiles());
    } catch (RuntimeException e) {
      large.discard(encoder.createdFiles());
      throw e;
    }
  }

  /** Files the answer of a batch: {@code [[ok, value or error], ...]} for the calls that were sent. */
  private void batchResults(Frame answer, WorkerProcess worker, SessionState session, List<Batch.Call> calls,
      Result[] results) {
    Object value = decodeValue(answer.payload(), worker, session);
    if (answer.kind() != FrameKind.RESULT) {
      throw toException(value, "batch");
    }
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
          : new Result.Err(toException(outcome.get(1), contextOf(calls.get(i))));
    }
  }

  private static String contextOf(Batch.Call call) {
    return call.module() == null ? call.name() : call.module() + "." + call.name();
  }

  /**
   * {@link #call(String, String, Object...)} without blocking: the future completes with the result or
   * the exception. Runs in the session current in the calling thread; no thread waits per call.
   */
  public CompletableFuture<Object> callAsync(String module, String function, Object... args) {
    SessionState session = sessions.current();
    Invocation inv = Invocation.of(args);
    CompletableFuture<Object> result = new CompletableFuture<>();
    Request request;
    try {
      request = prepare(Op.CALL, session, module, inv.options(),
          requireName(module, "module"), requireName(function, "function"), inv.positional(), inv.keywords());
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
      return result;
    }
    sendAsync(request, session, module + "." + function, result, 0,
        () -> prepare(Op.CALL, session, module, inv.options(),
            module, function, inv.positional(), inv.keywords()));
    return result;
  }

  private void sendAsync(Request request, SessionState session, String context, CompletableFuture<Object> result,
      int attempt, Supplier<Request> reprepare) {
    request.worker.connection().callAsync(request.sink, request.timeout, !request.admitted).whenComplete((frame, error) -> {
      large.discard(request.files);
      if (error instanceof NotSentException notSent) {
        if (request.pinned || attempt >= MAX_RESENDS) {
          result.completeExceptionally(notSent.reason());
        } else {
          try {
            sendAsync(reprepare.get(), session, context, result, attempt + 1, reprepare);
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        }
        return;
      }
      Runnable complete = () -> sessions.withSession(session, () -> {
        try {
          if (error != null) {
            result.completeExceptionally(error);
          } else {
            result.complete(decode(frame, request.worker, session, context));
          }
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
        return null;
      });
      try {
        completions.execute(complete);
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        // The runtime is shutting down after draining this very call: complete it here.
        complete.run();
      }
    });
  }

  /** Releases the object behind {@code ref} now. Idempotent; refs of a dead worker are already gone. */
  public void releaseRef(PyRef ref) {
    if (ref.releaseNow("released by releaseRef")) {
      ref.state().worker().flushReleases();
    }
  }

  // ------------------------------------------------- iteration and streams

  /**
   * A Python iterable, iterator or generator as a lazy Java {@link java.util.Iterator}: items are fetched
   * in batches (adaptive unless {@link SnakeBridgeConfig#iterationBatch()} fixes the size). A generator is
   * single-use, as in Python: a second pass over an exhausted one yields nothing.
   */
  public java.util.Iterator<Object> iterator(PyRef iterable) {
    PyRef it = (PyRef) execute(Op.ITER_OPEN, moduleOf(iterable), "__iter__", CallOptions.defaults(),
        Objects.requireNonNull(iterable, "iterable"));
    return new PyIterator(this, it, config.iterationBatch());
  }

  /** Like {@link #iterator(PyRef)}, as a sequential {@link java.util.stream.Stream}; closing it releases the iterator. */
  public java.util.stream.Stream<Object> stream(PyRef iterable) {
    PyIterator it = (PyIterator) iterator(iterable);
    return java.util.stream.StreamSupport.stream(
            java.util.Spliterators.spliteratorUnknownSize(it, java.util.Spliterator.ORDERED), false)
        .onClose(it::close);
  }

  Object iterNext(PyRef iterator, int max) {
    return execute(Op.ITER_NEXT, moduleOf(iterator), "__next__", CallOptions.defaults(), iterator, (long) max);
  }

  /**
   * Runs the generator function {@code module.generatorFunction(*args)} in a worker and pushes its items
   * to each subscriber, with backpressure by demand and no request per item. Cancelling stops the
   * generator ({@code close()} runs its {@code finally}); an exception in it reaches {@code onError} as a
   * {@link PythonException} after the items produced before it. Runs in the session current now. The
   * whole stream has one deadline: a trailing {@link CallOptions#timeout(Duration)}, else 30 minutes.
   */
  public java.util.concurrent.Flow.Publisher<Object> push(String module, String generatorFunction, Object... args) {
    SessionState session = sessions.current();
    Invocation inv = Invocation.of(args);
    String context = module + "." + generatorFunction;
    java.util.concurrent.atomic.AtomicReference<WorkerProcess> worker = new java.util.concurrent.atomic.AtomicReference<>();
    return new PushPublisher(
        items -> {
          Request request = prepare(Op.STREAM, session, module, inv.options(), requireName(module, "module"),
              requireName(generatorFunction, "generatorFunction"), inv.positional(), inv.keywords());
          worker.set(request.worker);
          Duration timeout = inv.options().timeout().orElse(STREAM_TIMEOUT);
          var stream = request.worker.connection().openStream(request.sink, timeout, items);
          if (!request.files.isEmpty()) {
            stream.done().whenComplete((frame, error) -> large.discard(request.files));
          }
          return stream;
        },
        frame -> (List<?>) decodeValue(frame.payload(), worker.get(), session),
        end -> {
          try {
            decode(end, worker.get(), session, context);
            return null;
          } catch (RuntimeException e) {
            return e;
          }
        });
  }

  /** How long a push stream may run unless its options say otherwise. */
  private static final Duration STREAM_TIMEOUT = Duration.ofMinutes(30);

  /**
   * Pushes every item of the generator to {@code consumer} (on a library thread, in order) and returns
   * how many there were, blocking until the generator ends. Credit is granted in windows, so memory
   * stays flat however slow the consumer.
   *
   * @throws PythonException when the generator raises (after the items before it were consumed)
   */
  public long pushEach(java.util.function.Consumer<Object> consumer, String module, String generatorFunction,
      Object... args) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    push(module, generatorFunction, args).subscribe(new WindowedSubscriber(consumer, done));
    try {
      return done.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  // ---------------------------------------------------------- context managers

  /** Enters a Python context manager ({@code __enter__}); close the result to run {@code __exit__}. */
  public PyContext enter(PyRef contextManager) {
    PyRef value = (PyRef) execute(Op.ENTER, moduleOf(contextManager), "__enter__", CallOptions.defaults(),
        Objects.requireNonNull(contextManager, "contextManager"));
    return new PyContext(this, contextManager, value);
  }

  Object exitContext(PyRef contextManager, Object errorInfo) {
    return execute(Op.EXIT, moduleOf(contextManager), "__exit__", CallOptions.defaults(), contextManager, errorInfo);
  }

  /**
   * Python's {@code with}: enters the context manager, runs {@code body} with the {@code __enter__} result,
   * and exits, passing the body's exception (as a Python exception object) to {@code __exit__}. When
   * {@code __exit__} returns true the exception is suppressed and this returns null, as in Python.
   */
  public <R> R withPython(PyRef contextManager, java.util.function.Function<PyRef, R> body) {
    PyContext context = enter(contextManager);
    R result;
    try {
      result = body.apply(context.value());
    } catch (RuntimeException | Error e) {
      if (context.exit(e)) {
        return null;
      }
      throw e;
    }
    context.close();
    return result;
  }

  // ---------------------------------------------------------------- callbacks

  /**
   * Registers a Java function under {@code name}; Python calls it with {@code snakebridge.invoke(name, ...)}
   * or {@code snakebridge.callback(name)}. Replaces an earlier one of the same name.
   */
  public void registerCallback(String name, Object function) {
    callbacks.register(name, function);
  }

  /** Removes the callback {@code name}; Python calls to it then fail clearly. Returns whether it existed. */
  public boolean unregisterCallback(String name) {
    return callbacks.unregister(name);
  }

  /** Invokes the registered callback {@code name} from Java, as Python would (trailing {@link Kwargs} allowed). */
  public Object invokeCallback(String name, Object... args) {
    Invocation inv = Invocation.of(args);
    try {
      return dev.snakebridge.internal.callback.CallbackInvoker.invoke(callbacks.named(name), inv.positional(), inv.keywords());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new SnakeBridgeException("callback '" + name + "' failed: " + e, e);
    }
  }

  // --------------------------------------------------------------- sessions

  /** The id of the current thread's session (its automatic session unless inside {@link #withSession}). */
  public String currentSession() {
    return sessions.current().id();
  }

  /** Runs {@code body} in the explicit session {@code id} (created if needed; shared with other threads). */
  public <T> T withSession(String id, Supplier<T> body) {
    return sessions.withSession(sessions.named(id), body);
  }

  /** Runs {@code body} in the explicit session {@code id}. */
  public void withSession(String id, Runnable body) {
    withSession(id, () -> {
      body.run();
      return null;
    });
  }

  /** A handle to the explicit session {@code id}, created if needed; closing it releases the session. */
  public Session session(String id) {
    sessions.named(id);
    return new Session(this, id);
  }

  /** Releases the current thread's automatic session and its refs; the next call starts a new one. */
  public void releaseAutoSession() {
    sessions.releaseAuto();
  }

  /** Releases the explicit session {@code id} and its refs. */
  void releaseSession(String id) {
    sessions.release(sessions.named(id), "closed");
  }

  /** A snapshot of each pool: workers, busy workers, queued calls, sessions, live refs. */
  public PoolStats stats() {
    Map<String, PoolStats.Pool> result = new LinkedHashMap<>();
    for (WorkerPool pool : pools.values()) {
      List<WorkerProcess> live = pool.live();
      int busy = 0;
      long answered = 0;
      for (WorkerProcess w : live) {
        busy += w.connection().admission().isBusy() ? 1 : 0;
        answered += w.connection().answeredCalls();
      }
      int sessionCount = 0;
      int refs = 0;
      for (SessionState s : sessions.sessions()) {
        sessionCount += s.home(pool.name()) != null ? 1 : 0;
        refs += s.countRefs(w -> pool.workers().contains(w));
      }
      result.put(pool.name(), new PoolStats.Pool(pool.name(), live.size(), busy, pool.queued(), sessionCount, refs, answered));
    }
    return new PoolStats(result);
  }

  // ---------------------------------------------------------------- machinery

  /** A call encoded for a worker; {@code pinned} when it passes refs, which only that worker holds. */
  private record Request(ByteSink sink, WorkerProcess worker, java.time.Duration timeout, boolean pinned,
      boolean admitted, List<java.nio.file.Path> files) {}

  /** How often a call whose worker died before it was sent is sent elsewhere. */
  private static final int MAX_RESENDS = 3;

  private Object execute(Op op, String module, String name, CallOptions options, Object... operands) {
    SessionState session = sessions.current();
    Request request = prepare(op, session, module, options, operands);
    String context = module == null ? name : module + "." + name;
    boolean observed = telemetry.observesCalls();
    long start = observed ? begin(request, session, module, name) : 0;
    try {
      Sent sent = send(request, op, session, module, options, operands);
      // Refs in the answer live in the worker that answered, which a resend may have changed.
      Object value = decode(sent.answer(), sent.worker(), session, context);
      if (observed) {
        end("call.stop", start, request, session, module, name, null);
      }
      return value;
    } catch (SnakeBridgeException e) {
      if (observed) {
        end("call.exception", start, request, session, module, name, e);
      }
      throw e;
    }
  }

  /**
   * Sends a request; one its worker never got (it died first) goes to another worker unless refs pin it.
   * The shared-memory files of each attempt are removed once it is over (the worker unlinks them as it
   * maps them; this catches the ones it never saw).
   */
  private record Sent(Frame answer, WorkerProcess worker) {}

  private Sent send(Request request, Op op, SessionState session, String module, CallOptions options, Object[] operands) {
    for (int attempt = 0; ; attempt++) {
      Request sent = request;
      try {
        return new Sent(sent.worker.connection().call(sent.sink, sent.timeout, !sent.admitted), sent.worker);
      } catch (NotSentException e) {
        if (sent.pinned || attempt >= MAX_RESENDS) {
          throw e.reason();
        }
        request = prepare(op, session, module, options, operands);
      } finally {
        large.discard(sent.files);
      }
    }
  }

  private long begin(Request request, SessionState session, String module, String name) {
    telemetry.emit("call.start", Map.of(), callMetadata(request, session, module, name));
    return System.nanoTime();
  }

  private void end(String event, long start, Request request, SessionState session, String module, String name,
      SnakeBridgeException error) {
    Map<String, Object> meta = callMetadata(request, session, module, name);
    if (error != null) {
      meta.put("exception", error.getClass().getSimpleName());
      meta.put("message", String.valueOf(error.getMessage()));
    }
    telemetry.emit(event, Map.of("duration_us", (System.nanoTime() - start) / 1000), meta);
  }

  private static Map<String, Object> callMetadata(Request r, SessionState session, String module, String name) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("module", String.valueOf(module));
    meta.put("function", name);
    meta.put("pool", r.worker.id().substring(0, r.worker.id().lastIndexOf("-w")));
    meta.put("worker", r.worker.id());
    meta.put("session", session.id());
    return meta;
  }

  private Request prepare(Op op, SessionState session, String module, CallOptions options, Object... operands) {
    if (closed) {
      throw new SnakeBridgeException("this SnakeBridge runtime is closed");
    }
    ByteSink sink = WorkerConnection.newRequestSink(64);
    CallArguments refs = new CallArguments(callbacks, session.id());
    Object[] envelope = new Object[operands.length + 2];
    // Push streams encode their items themselves: the option does not reach them.
    envelope[0] = options.isArraysAsNDArray() && op != Op.STREAM ? op.code() | Op.MODIFIER_ARRAYS : op.code();
    envelope[1] = session.id();
    System.arraycopy(operands, 0, envelope, 2, operands.length);
    ValueEncoder encoder = new ValueEncoder(sink, refs, large);
    try {
      encoder.encodeListOf(envelope);
    } catch (RuntimeException e) {
      large.discard(encoder.createdFiles());
      throw e;
    }
    try {
      return route(sink, refs, session, options, module, encoder.createdFiles());
    } catch (RuntimeException e) {
      large.discard(encoder.createdFiles());
      throw e;
    }
  }

  /** Picks the worker of an encoded request: the refs' worker, a callback's worker, or the router's choice. */
  private Request route(ByteSink sink, CallArguments refs, SessionState session, CallOptions options, String module,
      List<java.nio.file.Path> files) {
    // A callback's own calls go to the worker running the call that invoked it, which waits for the
    // callback: they must be admitted even when the worker is at capacity, or both would wait forever.
    WorkerProcess callbackWorker = CallbackDispatcher.callingWorker();
    WorkerProcess worker = refs.worker() != null ? refs.worker()
        : callbackWorker != null && callbackWorker.isAlive() ? callbackWorker
        : router.route(session, options);
    boolean admitted = callbackWorker != null && worker == callbackWorker;
    return new Request(sink, worker, router.timeout(options, module), refs.worker() != null, admitted, files);
  }

  private Object decode(Frame answer, WorkerProcess worker, SessionState session, String context) {
    Object value = decodeValue(answer.payload(), worker, session);
    if (answer.kind() == FrameKind.RESULT) {
      return value;
    }
    throw toException(value, context);
  }

  /** Decodes a value from {@code worker}; refs in it belong to {@code session}. */
  Object decodeValue(byte[] payload, WorkerProcess worker, SessionState session) {
    ValueDecoder decoder = new ValueDecoder(payload, 0, payload.length, (id, type, repr) -> {
      RefState state = new RefState(id, session, worker, type);
      sessions.track(state);
      return new PyRef(this, state, repr, cleaner);
    }, PyTuple::wrap, large);
    return decoder.decode();
  }

  private SnakeBridgeException toException(Object errorPayload, String context) {
    if (!(errorPayload instanceof List<?> e) || e.size() < 6) {
      return new SerializationException("malformed error from Python worker: " + errorPayload);
    }
    String type = (String) e.get(0);
    String message = (String) e.get(3);
    if ("RefNotFound".equals(type)) {
      return new RefNotFoundException(message, "ref not found in its worker: " + message + " (in " + context + ")");
    }
    List<String> bases = new ArrayList<>();
    ((List<?>) e.get(2)).forEach(b -> bases.add(String.valueOf(b)));
    Map<String, Object> details = new LinkedHashMap<>();
    if (e.get(5) instanceof Map<?, ?> d) {
      d.forEach((k, v) -> details.put(String.valueOf(k), v));
    }
    PythonException raw = new PythonException(type, (String) e.get(1), bases, message, (String) e.get(4), details, context);
    if (details.get("java_exception_id") instanceof Number id) {
      Throwable original = javaExceptions.find(id.longValue());
      if (original != null) {
        raw.initCause(original);
      }
    }
    return config.errorMode() == ErrorMode.TRANSLATED ? MlErrorTranslator.translate(raw) : raw;
  }

  private static String moduleOf(PyRef ref) {
    String type = Objects.requireNonNull(ref, "ref").typeName();
    int dot = type.lastIndexOf('.');
    return dot < 0 ? type : type.substring(0, dot);
  }

  private static String requireName(String name, String what) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(what + " name must not be blank");
    }
    return name;
  }

  /** Sends RELEASE_SESSION to one worker, as a control message. */
  private CompletableFuture<?> releaseSessionIn(WorkerProcess worker, String sessionId) {
    ByteSink sink = WorkerConnection.newRequestSink(32);
    new ValueEncoder(sink, null).encodeListOf(Op.RELEASE_SESSION.code(), sessionId);
    return worker.connection().callAsync(sink, config.sessionCleanupTimeout(), false);
  }

  /** A heartbeat: PING answered with the worker's facts ({@code rss} bytes). */
  private CompletableFuture<Map<?, ?>> ping(WorkerProcess worker, Duration timeout) {
    ByteSink sink = WorkerConnection.newRequestSink(16);
    new ValueEncoder(sink, null).encodeListOf(Op.PING.code(), "");
    return worker.connection().callAsync(sink, timeout, false).thenApply(frame -> {
      Object value = new ValueDecoder(frame.payload(), 0, frame.payload().length,
          (id, type, repr) -> null, PyTuple::wrap).decode();
      return value instanceof Map<?, ?> m ? m : Map.of();
    });
  }

  /**
   * Stops the runtime: releases every session, lets calls in flight finish (up to 5 s), then stops the
   * workers. Idempotent.
   */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook is running or will run: it stops the workers.
    }
    shutdown(5000);
  }

  private void shutdownNow() {
    shutdown(2000);
  }

  private void shutdown(long drainMillis) {
    if (closed) {
      return;
    }
    closed = true;
    housekeeper.stop();
    for (WorkerPool pool : pools.values()) {
      pool.close(drainMillis);
    }
    completions.shutdown();
    large.close();
    large.sweepDead();
  }
}
