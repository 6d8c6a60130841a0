package dev.snakebridge;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.Iterator;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Call any Python module from Java. The static methods use a default {@link SnakeBridgeRuntime} that
 * starts on first use (configured by {@link #configure}, else by {@link SnakeBridgeConfig#load()}) and
 * stops its workers at JVM shutdown.
 *
 * <pre>{@code
 * double root = (Double) SnakeBridge.call("math", "sqrt", 16);           // 4.0
 * Object pi = SnakeBridge.get("math", "pi");                             // 3.141592653589793
 * PyRef arr = (PyRef) SnakeBridge.call("numpy", "array", List.of(1, 2, 3));
 * long total = SnakeBridge.call(Long.class, "numpy", "sum", arr);       // 6
 * }</pre>
 *
 * <p>Arguments and results cross by value when they are plain data (docs/TYPES.md has the table); other
 * objects stay in Python and come back as {@link PyRef}. A trailing {@link Kwargs} gives keyword
 * arguments and a trailing {@link CallOptions} per-call options; a {@link java.util.Map} is always a
 * positional dict. Python exceptions arrive as {@link PythonException}.
 *
 * <p>Thread-safe: any number of threads may call at once.
 */
public final class SnakeBridge {
  private static final ReentrantLock LOCK = new ReentrantLock();
  private static volatile SnakeBridgeRuntime runtime;
  private static SnakeBridgeConfig pendingConfig;
  /** A runtime given by {@link #useRuntime}: its owner closes it, not {@link #shutdown()}. */
  private static SnakeBridgeRuntime given;

  private SnakeBridge() {}

  /**
   * Sets the configuration of the default runtime. Must come before the first call.
   *
   * @throws IllegalStateException when the default runtime has already started
   */
  public static void configure(SnakeBridgeConfig config) {
    Objects.requireNonNull(config, "config");
    LOCK.lock();
    try {
      if (runtime != null) {
        throw new IllegalStateException(
            "SnakeBridge.configure must be called before the first call; the default runtime is already running");
      }
      pendingConfig = config;
    } finally {
      LOCK.unlock();
    }
  }

  /** The default runtime, started now if it is not running yet. */
  public static SnakeBridgeRuntime runtime() {
    SnakeBridgeRuntime r = runtime;
    if (r != null) {
      return r;
    }
    LOCK.lock();
    try {
      if (runtime == null) {
        runtime = SnakeBridgeRuntime.create(pendingConfig != null ? pendingConfig : SnakeBridgeConfig.load());
      }
      return runtime;
    } finally {
      LOCK.unlock();
    }
  }

  /**
   * Makes {@code owned} the default runtime, the one the static methods (and generated wrappers) call: for
   * a container, such as Spring, that creates and closes the runtime itself. {@link #shutdown()} does
   * not close it; {@code useRuntime(null)} lets go of it without closing it, and a later call starts a
   * runtime of the facade's own again.
   *
   * @throws IllegalStateException when the facade already runs a runtime of its own or another one was
   *     given and not let go of
   */
  public static void useRuntime(SnakeBridgeRuntime owned) {
    LOCK.lock();
    try {
      if (owned == null) {
        if (runtime == given) {
          runtime = null;
        }
        given = null;
        return;
      }
      if (runtime != null && runtime != owned) {
        throw new IllegalStateException("the static SnakeBridge facade already uses " + runtime
            + "; call SnakeBridge.shutdown() or useRuntime(null) before giving it " + owned);
      }
      runtime = owned;
      given = owned;
    } finally {
      LOCK.unlock();
    }
  }

  /** The default runtime if it has started, without starting it (for tools and test extensions). */
  public static java.util.Optional<SnakeBridgeRuntime> runtimeIfStarted() {
    return java.util.Optional.ofNullable(runtime);
  }

  /**
   * Stops the default runtime's workers. A later call starts a new runtime (with the configuration set
   * by {@link #configure}, if any). Mostly for tests and orderly shutdown; JVM exit does it anyway. A
   * runtime given by {@link #useRuntime} is let go of, not closed: its owner closes it.
   */
  public static void shutdown() {
    LOCK.lock();
    try {
      if (runtime != null && runtime != given) {
        runtime.close();
      }
      runtime = null;
      given = null;
    } finally {
      LOCK.unlock();
    }
  }

  /**
   * Python: {@code module.function(*args, **kwargs)}. {@code call("math", "sqrt", 16)} returns {@code 4.0}.
   *
   * @throws PythonException when Python raises (a missing module is {@code ModuleNotFoundError})
   * @throws SerializationException when an argument has no Python mapping (nothing is sent)
   * @throws WorkerCrashedException when the worker dies during the call
   * @throws CallTimeoutException when the call exceeds its timeout
   */
  public static Object call(String module, String function, Object... args) {
    return runtime().call(module, function, args);
  }

  /**
   * Like {@link #call(String, String, Object...)}, converting the result to {@code type}; numbers are
   * coerced when exact ({@code call(Integer.class, "math", "floor", 2.5)} is {@code 2}).
   *
   * @throws SerializationException when the result cannot be converted exactly
   */
  public static <T> T call(Class<T> type, String module, String function, Object... args) {
    return runtime().call(type, module, function, args);
  }

  /** Python: {@code module.name}; {@code get("math", "pi")} returns {@code 3.141592653589793}. */
  public static Object get(String module, String name) {
    return runtime().get(module, name);
  }

  /** Python: {@code ref.name(*args, **kwargs)}; the same as {@link PyRef#call}. */
  public static Object method(PyRef ref, String name, Object... args) {
    return runtime().method(ref, name, args);
  }

  /** Python: {@code ref.name}; the same as {@link PyRef#attr}. */
  public static Object attr(PyRef ref, String name) {
    return runtime().attr(ref, name);
  }

  /** Python: {@code ref.name = value}. */
  public static void setAttr(PyRef ref, String name, Object value) {
    runtime().setAttr(ref, name, value);
  }

  /** The UTF-8 bytes of {@code text}, which cross as Python {@code bytes} (a {@code String} is a {@code str}). */
  public static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether {@code value} is a handle to a Python object rather than plain data. */
  public static boolean isRef(Object value) {
    return value instanceof PyRef;
  }

  /** Releases the Python object behind {@code ref} now; later use throws {@link RefNotFoundException}. */
  public static void releaseRef(PyRef ref) {
    Objects.requireNonNull(ref, "ref");
    ref.release();
  }

  /**
   * Calls a function of one of the program's helper modules: {@code callHelper("math_ops.add_arrays", a, b)}
   * imports {@code math_ops} from the configured helper paths or the classpath's {@code snakebridge/helpers/}.
   */
  public static Object callHelper(String dottedName, Object... args) {
    return runtime().callHelper(dottedName, args);
  }

  /** Like {@link #call(String, String, Object...)}, returning {@link Result.Ok} or {@link Result.Err}. */
  public static Result tryCall(String module, String function, Object... args) {
    try {
      return runtime().tryCall(module, function, args);
    } catch (SnakeBridgeException e) {
      return new Result.Err(e);
    }
  }

  // ------------------------------------------------------------- bulk data

  /**
   * Copies a numpy array (or anything {@code numpy.asarray} accepts) into a Java {@link NDArray} of the
   * same dtype and shape. Conversion is always explicit: results keep numpy arrays as {@link PyRef}s
   * unless the call passes {@link CallOptions#arraysAsNDArray()}. Large arrays come through shared
   * memory, and the {@code NDArray} is then a view of it (no copy on the Java side).
   *
   * <pre>{@code
   * PyRef x = (PyRef) SnakeBridge.call("numpy", "random.rand", 1000, 3);
   * double[] flat = SnakeBridge.toNDArray(x).toDoubleArray();   // 3000 values, row-major
   * }</pre>
   *
   * @throws PythonException ({@code TypeError}) for a dtype other than float64, float32, int64, int32,
   *     int16, int8, uint8 and bool (convert with {@code astype} first), or when numpy is missing
   */
  public static NDArray toNDArray(PyRef array) {
    return runtime().toNDArray(array);
  }

  /**
   * Copies a pandas DataFrame into a {@link PyTable}, column by column: each numeric or boolean column
   * as one raw block, each other column as one list of strings (never cell by cell).
   *
   * @throws PythonException ({@code TypeError}) when the object is not a DataFrame
   */
  public static PyTable toTable(PyRef frame) {
    return runtime().toTable(frame);
  }

  /**
   * Makes a pandas DataFrame of {@code table} in a worker and returns it as a ref. (A {@link PyTable}
   * passed as any argument becomes a DataFrame too; this is the way to keep one in Python.)
   */
  public static PyRef fromTable(PyTable table) {
    return runtime().fromTable(table);
  }

  // ----------------------------------------------------------------- batches

  /**
   * A batch of calls sent in one round trip and run in order, each failure isolated:
   * {@code SnakeBridge.batch().call("math", "sqrt", 16).call("math", "log", -1).execute()} gives {@code
   * [Ok(4.0), Err(ValueError)]}. See {@link Batch}.
   */
  public static Batch batch() {
    return runtime().batch();
  }

  // --------------------------------------------------------------- sessions

  /**
   * The id of the current thread's session: its automatic session ({@code auto_<random>}, created on the
   * thread's first call and released when the thread ends), or the explicit session entered with
   * {@link #withSession}.
   */
  public static String currentSession() {
    return runtime().currentSession();
  }

  /**
   * Runs {@code body} in the explicit session {@code id}: refs it creates belong to that session, and
   * another thread entering the same id sees them. The session is created on first use.
   */
  public static void withSession(String id, Runnable body) {
    runtime().withSession(id, body);
  }

  /** Like {@link #withSession(String, Runnable)}, returning the body's result. */
  public static <T> T withSession(String id, Supplier<T> body) {
    return runtime().withSession(id, body);
  }

  /**
   * A handle to the explicit session {@code id} (created if needed) with the same call methods as this
   * facade; closing it releases the session and its refs.
   */
  public static Session session(String id) {
    return runtime().session(id);
  }

  /** Releases the current thread's automatic session and every ref in it; the next call starts a new one. */
  public static void releaseAutoSession() {
    runtime().releaseAutoSession();
  }

  /** Releases the current thread's automatic session and starts afresh (for tests). */
  public static void clearAutoSession() {
    runtime().releaseAutoSession();
    runtime().currentSession();
  }

  // ------------------------------------------------------------------ async

  /**
   * {@link #call(String, String, Object...)} without blocking: the future completes with the result, or
   * exceptionally with the same exceptions. Runs in the session current in the calling thread; no
   * library thread waits per call, so thousands may be in flight. Safe from virtual threads.
   */
  public static CompletableFuture<Object> callAsync(String module, String function, Object... args) {
    return runtime().callAsync(module, function, args);
  }

  // -------------------------------------------------------- observability

  /** Per pool: live workers, busy workers, queued calls, sessions and live refs. */
  public static PoolStats stats() {
    return runtime().stats();
  }

  /** The default runtime's telemetry: attach handlers to call, worker, session and ref events. */
  public static Telemetry telemetry() {
    return runtime().telemetry();
  }

  // ------------------------------------------------ iteration and streams

  /**
   * A Python iterable, iterator or generator (a {@link PyRef}) as a lazy Java {@link Stream}: items are
   * fetched in adaptive batches, so {@code limit(10)} on an infinite generator fetches little more than
   * ten and 100,000 items take a few hundred round trips. A generator is single-use, as in Python.
   */
  public static Stream<Object> stream(PyRef iterable) {
    return runtime().stream(iterable);
  }

  /** Like {@link #stream(PyRef)}, as an {@link Iterator}. */
  public static Iterator<Object> iterator(PyRef iterable) {
    return runtime().iterator(iterable);
  }

  /**
   * Runs the generator function {@code module.generatorFunction(*args)} in a worker and pushes its items
   * to subscribers with backpressure by demand (no request per item). Cancelling stops the generator,
   * running its {@code finally}; an exception in it reaches {@code onError} as a {@link PythonException}
   * after the items before it. For a plain consumer see {@link #pushEach}.
   */
  public static Flow.Publisher<Object> push(String module, String generatorFunction, Object... args) {
    return runtime().push(module, generatorFunction, args);
  }

  /**
   * Pushes every item of the generator function to {@code consumer}, in order, and returns the count once
   * the generator ends; memory stays flat however slow the consumer.
   */
  public static long pushEach(Consumer<Object> consumer, String module, String generatorFunction, Object... args) {
    return runtime().pushEach(consumer, module, generatorFunction, args);
  }

  // ------------------------------------------------------ context managers

  /**
   * Python's {@code with contextManager as value: body(value)}: {@code __enter__}, the body, then {@code
   * __exit__} with the body's exception (a Java exception becomes a Python exception object). If {@code
   * __exit__} returns true the exception is suppressed and this returns null.
   */
  public static <R> R withPython(PyRef contextManager, Function<PyRef, R> body) {
    return runtime().withPython(contextManager, body);
  }

  /** Enters a context manager for try-with-resources; see {@link PyContext} for how exceptions reach {@code __exit__}. */
  public static PyContext enter(PyRef contextManager) {
    return runtime().enter(contextManager);
  }
}
