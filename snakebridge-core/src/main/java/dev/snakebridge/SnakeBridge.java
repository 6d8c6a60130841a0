package dev.snakebridge;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

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
   * Stops the default runtime's workers. A later call starts a new runtime (with the configuration set
   * by {@link #configure}, if any). Mostly for tests and orderly shutdown; JVM exit does it anyway.
   */
  public static void shutdown() {
    LOCK.lock();
    try {
      if (runtime != null) {
        runtime.close();
        runtime = null;
      }
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
}
