package dev.snakebridge;

import dev.snakebridge.internal.call.CallEngine;
import dev.snakebridge.internal.call.CallSpec;
import dev.snakebridge.internal.call.Invocation;
import dev.snakebridge.internal.call.ResultCoercion;
import dev.snakebridge.internal.callback.CallbackInvoker;
import dev.snakebridge.internal.environment.EnvironmentCheck;
import dev.snakebridge.internal.environment.StartupInstall;
import dev.snakebridge.internal.pool.PoolStatistics;
import java.util.Iterator;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A SnakeBridge runtime: pools of Python workers, the sessions that own Python objects, and the calls
 * into them. The static {@link SnakeBridge} facade uses one default runtime; programs that want their
 * own (dependency injection, several configurations) create one with {@link #create(SnakeBridgeConfig)}
 * and {@link #close()} it. Every method of the facade exists here with the same meaning.
 *
 * <p>Calls run in the calling thread's current session (its automatic session unless inside {@link
 * #withSession}); a {@link Session} is the same API bound to one explicit session.
 *
 * <p>Thread-safe: any number of threads may call at once; calls are spread over the workers.
 */
public final class SnakeBridgeRuntime implements AutoCloseable {
  /** The worker module behind {@link #toNDArray}, {@link #toTable} and {@link #fromTable}. */
  private static final String BULK_MODULE = "snakebridge.bulk";

  private final CallEngine engine;

  private SnakeBridgeRuntime(CallEngine engine) {
    this.engine = engine;
  }

  /**
   * Starts a runtime: resolves interpreters, unpacks the worker, and starts every pool's workers in
   * parallel, returning as soon as each pool has one ready worker; the others go on starting, and a call
   * or a new session that is better served by one of them waits for it ({@link #stats()} waits for all).
   *
   * <p>When the build recorded a project environment ({@code META-INF/snakebridge/environment.json}, written
   * by {@code mvn snakebridge:setup}), one query in a worker compares the interpreter's packages with the
   * lock: a difference is a warning, or with {@link SnakeBridgeConfig#strictEnvironment()} an error. When
   * the build allowed it ({@code autoInstall}), an out-of-date environment is first set up.
   *
   * @throws SnakeBridgeException when no interpreter is found, every worker of a pool fails to start (the message
   *     includes the interpreter and its stderr), the interpreter is older than Python 3.9, or in strict
   *     mode the environment differs from the lock
   */
  public static SnakeBridgeRuntime create(SnakeBridgeConfig config) {
    Objects.requireNonNull(config, "config");
    CallEngine.beginWarmup();
    StartupInstall.beforeStart(config, System.getenv());
    SnakeBridgeRuntime runtime = new SnakeBridgeRuntime(CallEngine.start(config, new Telemetry(), EngineHandles.INSTANCE));
    try {
      EnvironmentCheck.atStartup(config, new EnvironmentCheck.Query() { // a class, not a lambda: see EngineParts
        @Override
        public Object call(String module, String function, Object... args) {
          return runtime.call(module, function, args);
        }
      });
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    }
    return runtime;
  }

  /** The configuration this runtime was created with. */
  public SnakeBridgeConfig config() {
    return engine.config();
  }

  /** This runtime's telemetry: attach handlers to its events. */
  public Telemetry telemetry() {
    return engine.telemetry();
  }

  private Object run(CallSpec spec) {
    return engine.call(engine.sessions().current(), spec);
  }

  // ------------------------------------------------------------------ calls

  /** Python: {@code module.function(*args, **kwargs)}. See {@link SnakeBridge#call(String, String, Object...)}. */
  public Object call(String module, String function, Object... args) {
    return run(CallSpec.call(module, function, args));
  }

  /** Like {@link #call(String, String, Object...)}, converting the result to {@code type}. */
  public <T> T call(Class<T> type, String module, String function, Object... args) {
    return ResultCoercion.coerce(call(module, function, args), type);
  }

  /** Python: {@code module.name}. */
  public Object get(String module, String name) {
    return run(CallSpec.get(module, name));
  }

  /** Python: {@code ref.name(*args, **kwargs)}. */
  public Object method(PyRef ref, String name, Object... args) {
    return run(CallSpec.method(ref, name, args));
  }

  /** Python: {@code ref(*args, **kwargs)}. */
  public Object invoke(PyRef ref, Object... args) {
    return run(CallSpec.invoke(ref, args));
  }

  /** Python: {@code ref.name}. */
  public Object attr(PyRef ref, String name) {
    return run(CallSpec.attr(ref, name));
  }

  /** Python: {@code ref.name = value}. */
  public void setAttr(PyRef ref, String name, Object value) {
    run(CallSpec.setAttr(ref, name, value));
  }

  /** Calls a function of one of the program's helper modules, {@code "module.function"}. */
  public Object callHelper(String dottedName, Object... args) {
    return run(CallSpec.helper(dottedName, args));
  }

  /** Like {@link #call(String, String, Object...)}, returning failures as {@link Result.Err}. */
  public Result tryCall(String module, String function, Object... args) {
    return engine.tryCall(engine.sessions().current(), CallSpec.call(module, function, args));
  }

  /**
   * {@link #call(String, String, Object...)} without blocking: the future completes with the result or
   * the exception. Runs in the session current in the calling thread; no thread waits per call.
   */
  public CompletableFuture<Object> callAsync(String module, String function, Object... args) {
    return engine.callAsync(engine.sessions().current(), CallSpec.call(module, function, args));
  }

  /** Releases the object behind {@code ref} now. Idempotent; refs of a dead worker are already gone. */
  public void releaseRef(PyRef ref) {
    engine.release(Objects.requireNonNull(ref, "ref"));
  }

  // ------------------------------------------------------------- bulk data

  /**
   * Copies the numpy array behind {@code array} (or anything {@code numpy.asarray} accepts) into an
   * {@link NDArray}; see {@link SnakeBridge#toNDArray}.
   *
   * @throws PythonException ({@code TypeError}) for a dtype {@link NDArray.DType} does not have
   */
  public NDArray toNDArray(PyRef array) {
    return expect(NDArray.class, "toNDArray",
        call(BULK_MODULE, "to_ndarray", Objects.requireNonNull(array, "array"), CallOptions.defaults().arraysAsNDArray()));
  }

  /**
   * Copies the pandas DataFrame behind {@code frame} into a {@link PyTable}, column by column; see
   * {@link SnakeBridge#toTable}.
   *
   * @throws PythonException ({@code TypeError}) when {@code frame} is not a DataFrame
   */
  public PyTable toTable(PyRef frame) {
    return expect(PyTable.class, "toTable", call(BULK_MODULE, "to_table", Objects.requireNonNull(frame, "frame")));
  }

  /** Makes a pandas DataFrame of {@code table} in a worker; see {@link SnakeBridge#fromTable}. */
  public PyRef fromTable(PyTable table) {
    return expect(PyRef.class, "fromTable", call(BULK_MODULE, "from_table", Objects.requireNonNull(table, "table")));
  }

  private static <T> T expect(Class<T> type, String what, Object value) {
    if (type.isInstance(value)) {
      return type.cast(value);
    }
    throw new SerializationException(what + " expected a " + type.getSimpleName() + " from the worker, got " + value);
  }

  // ----------------------------------------------------------------- batches

  /** A batch of calls sent in one round trip; see {@link Batch}. */
  public Batch batch() {
    return new Batch(engine, null);
  }

  // ------------------------------------------------- iteration and streams

  /**
   * A Python iterable, iterator or generator as a lazy Java {@link Iterator}: items are fetched in
   * batches (adaptive unless {@link SnakeBridgeConfig#iterationBatch()} fixes the size). A generator is
   * single-use, as in Python: a second pass over an exhausted one yields nothing.
   */
  public Iterator<Object> iterator(PyRef iterable) {
    return engine.iterator(engine.sessions().current(), Objects.requireNonNull(iterable, "iterable"));
  }

  /** Like {@link #iterator(PyRef)}, as a sequential {@link Stream}; closing it releases the iterator. */
  public Stream<Object> stream(PyRef iterable) {
    var it = engine.iterator(engine.sessions().current(), Objects.requireNonNull(iterable, "iterable"));
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED), false).onClose(it::close);
  }

  /**
   * Runs the generator function {@code module.generatorFunction(*args)} in a worker and pushes its items
   * to each subscriber, with backpressure by demand and no request per item. Cancelling stops the
   * generator ({@code close()} runs its {@code finally}); an exception in it reaches {@code onError} as a
   * {@link PythonException} after the items produced before it. The subscriber runs in the session
   * current now, and calls it makes go to the stream's worker without queueing behind the stream. The
   * whole stream has one deadline: a trailing {@link CallOptions#timeout}, else 30 minutes; a timeout
   * profile ({@link CallOptions#timeoutProfile}, or the library's) also bounds the wait for each item.
   */
  public Flow.Publisher<Object> push(String module, String generatorFunction, Object... args) {
    return engine.push(engine.sessions().current(), CallSpec.stream(module, generatorFunction, args));
  }

  /**
   * Pushes every item of the generator to {@code consumer} (on a library thread, in order) and returns
   * how many there were, blocking until the generator ends. Credit is granted in windows, so memory
   * stays flat however slow the consumer.
   *
   * @throws PythonException when the generator raises (after the items before it were consumed)
   */
  public long pushEach(Consumer<Object> consumer, String module, String generatorFunction, Object... args) {
    return engine.pushEach(engine.sessions().current(), CallSpec.stream(module, generatorFunction, args), consumer);
  }

  // ---------------------------------------------------------- context managers

  /**
   * Enters a Python context manager ({@code __enter__}); close the result to run {@code __exit__}. Call
   * {@link PyContext#complete()} at the end of the block: a context closed without it tells {@code
   * __exit__} that the block failed.
   */
  public PyContext enter(PyRef contextManager) {
    PyRef value = (PyRef) run(CallSpec.enter(Objects.requireNonNull(contextManager, "contextManager")));
    return new PyContext(engine, contextManager, value);
  }

  /**
   * Python's {@code with}: enters the context manager, runs {@code body} with the {@code __enter__} result,
   * and exits, passing the body's exception (as a Python exception object) to {@code __exit__}. When
   * {@code __exit__} returns true the exception is suppressed and this returns null, as in Python.
   */
  public <R> R withPython(PyRef contextManager, Function<PyRef, R> body) {
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
    context.complete();
    context.close();
    return result;
  }

  // ---------------------------------------------------------------- callbacks

  /**
   * Registers a Java function under {@code name}; Python calls it with {@code snakebridge.invoke(name, ...)}
   * or {@code snakebridge.callback(name)}. Replaces an earlier one of the same name.
   */
  public void registerCallback(String name, Object function) {
    engine.callbacks().register(name, function);
  }

  /** Removes the callback {@code name}; Python calls to it then fail clearly. Returns whether it existed. */
  public boolean unregisterCallback(String name) {
    return engine.callbacks().unregister(name);
  }

  /** Invokes the registered callback {@code name} from Java, as Python would (trailing {@link Kwargs} allowed). */
  public Object invokeCallback(String name, Object... args) {
    Invocation inv = Invocation.of(args);
    try {
      return CallbackInvoker.invoke(engine.callbacks().named(name), inv.positional(), inv.keywords());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new SnakeBridgeException("callback '" + name + "' failed: " + e, e);
    }
  }

  // --------------------------------------------------------------- sessions

  /** The id of the current thread's session (its automatic session unless inside {@link #withSession}). */
  public String currentSession() {
    return engine.sessions().current().id();
  }

  /** Runs {@code body} in the explicit session {@code id} (created if needed; shared with other threads). */
  public <T> T withSession(String id, Supplier<T> body) {
    return engine.sessions().withSession(engine.sessions().named(id), body);
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
    engine.sessions().named(id);
    return new Session(engine, id);
  }

  /** Releases the current thread's automatic session and its refs; the next call starts a new one. */
  public void releaseAutoSession() {
    engine.sessions().releaseAuto();
  }

  /** A snapshot of each pool: workers, busy workers, queued calls, sessions, live refs. */
  public PoolStats stats() {
    return PoolStatistics.snapshot(engine.pools(), engine.sessions(), engine.bulkBytesMoved());
  }

  /**
   * Stops the runtime: releases every session, lets calls in flight finish (up to 5 s), then stops the
   * workers. Idempotent.
   */
  @Override
  public void close() {
    engine.shutdown(5000);
  }

  @Override
  public String toString() {
    return engine.name();
  }
}
