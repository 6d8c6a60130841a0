package dev.snakebridge;

import dev.snakebridge.internal.codec.ByteSink;
import dev.snakebridge.internal.codec.ValueDecoder;
import dev.snakebridge.internal.codec.ValueEncoder;
import dev.snakebridge.internal.errors.MlErrorTranslator;
import dev.snakebridge.internal.pool.WorkerPool;
import dev.snakebridge.internal.protocol.Frame;
import dev.snakebridge.internal.protocol.FrameKind;
import dev.snakebridge.internal.protocol.Op;
import dev.snakebridge.internal.worker.ClasspathHelpers;
import dev.snakebridge.internal.worker.Housekeeper;
import dev.snakebridge.internal.worker.InterpreterResolver;
import dev.snakebridge.internal.worker.WorkerConnection;
import dev.snakebridge.internal.worker.WorkerFiles;
import dev.snakebridge.internal.worker.WorkerLaunch;
import dev.snakebridge.internal.worker.WorkerProcess;
import java.io.File;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A SnakeBridge runtime: a pool of Python workers and the calls into them. The static {@link
 * SnakeBridge} facade uses one default runtime; programs that want their own (dependency injection,
 * several configurations) create one with {@link #create(SnakeBridgeConfig)} and {@link #close()} it.
 * Every method of the facade exists here with the same meaning.
 *
 * <p>Thread-safe: any number of threads may call at once; calls are spread over the workers.
 */
public final class SnakeBridgeRuntime implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SnakeBridgeConfig config;
  private final WorkerPool pool;
  private final String sessionId;
  private final Cleaner cleaner;
  private final Housekeeper housekeeper;
  private final Thread shutdownHook;

  private SnakeBridgeRuntime(SnakeBridgeConfig config, WorkerPool pool) {
    this.config = config;
    this.pool = pool;
    this.sessionId = "default_" + HexFormat.of().formatHex(randomBytes());
    this.cleaner = Cleaner.create(runnable -> {
      Thread t = new Thread(runnable, "snakebridge-ref-cleaner");
      t.setDaemon(true);
      return t;
    });
    this.housekeeper = new Housekeeper(pool);
    this.shutdownHook = new Thread(this::stopWorkers, "snakebridge-shutdown");
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  /**
   * Starts a runtime: resolves the interpreter, unpacks the worker, and starts the pool's workers in
   * parallel, returning when all are ready.
   *
   * @throws SnakeBridgeException when no interpreter is found or the workers fail to start (the message
   *     includes the interpreter and its stderr)
   */
  public static SnakeBridgeRuntime create(SnakeBridgeConfig config) {
    Objects.requireNonNull(config, "config");
    var interpreter = InterpreterResolver.resolve(config.pythonExecutable(), System.getenv());
    Path workerDir = WorkerFiles.unpack(config.workerCacheDir());
    List<String> helperDirs = new ArrayList<>();
    config.helperPaths().forEach(p -> helperDirs.add(p.toString()));
    ClasspathHelpers.unpack(config.workerCacheDir()).ifPresent(p -> helperDirs.add(p.toString()));
    Map<String, String> env = new LinkedHashMap<>(config.environment());
    env.put("SNAKEBRIDGE_HELPER_PATHS", String.join(File.pathSeparator, helperDirs));
    env.put("SNAKEBRIDGE_LOG_LEVEL", config.pythonLogLevel());
    WorkerLaunch launch = new WorkerLaunch(interpreter.executable(), workerDir, env, config.startupTimeout());
    WorkerPool pool = new WorkerPool("default", config.poolSize(), launch);
    pool.start();
    SnakeBridgeRuntime runtime = new SnakeBridgeRuntime(config, pool);
    runtime.housekeeper.start();
    Runtime.getRuntime().addShutdownHook(runtime.shutdownHook);
    return runtime;
  }

  /** The configuration this runtime was created with. */
  public SnakeBridgeConfig config() {
    return config;
  }

  /** Python: {@code module.function(*args, **kwargs)}. See {@link SnakeBridge#call(String, String, Object...)}. */
  public Object call(String module, String function, Object... args) {
    Invocation inv = Invocation.of(args);
    return execute(Op.CALL, module + "." + function, inv.options(),
        requireName(module, "module"), requireName(function, "function"), inv.positional(), inv.keywords());
  }

  /** Like {@link #call(String, String, Object...)}, converting the result to {@code type}. */
  public <T> T call(Class<T> type, String module, String function, Object... args) {
    return ResultCoercion.coerce(call(module, function, args), type);
  }

  /** Python: {@code module.name}. */
  public Object get(String module, String name) {
    return execute(Op.GET, module + "." + name, CallOptions.defaults(),
        requireName(module, "module"), requireName(name, "name"));
  }

  /** Python: {@code ref.name(*args, **kwargs)}. */
  public Object method(PyRef ref, String name, Object... args) {
    Invocation inv = Invocation.of(args);
    return execute(Op.METHOD, ref.typeName() + "." + name, inv.options(),
        Objects.requireNonNull(ref, "ref"), requireName(name, "name"), inv.positional(), inv.keywords());
  }

  /** Python: {@code ref(*args, **kwargs)}. */
  public Object invoke(PyRef ref, Object... args) {
    Invocation inv = Invocation.of(args);
    return execute(Op.CALL_REF, ref.typeName() + "()", inv.options(),
        Objects.requireNonNull(ref, "ref"), inv.positional(), inv.keywords());
  }

  /** Python: {@code ref.name}. */
  public Object attr(PyRef ref, String name) {
    return execute(Op.ATTR, ref.typeName() + "." + name, CallOptions.defaults(),
        Objects.requireNonNull(ref, "ref"), requireName(name, "name"));
  }

  /** Python: {@code ref.name = value}. */
  public void setAttr(PyRef ref, String name, Object value) {
    execute(Op.SET_ATTR, ref.typeName() + "." + name, CallOptions.defaults(),
        Objects.requireNonNull(ref, "ref"), requireName(name, "name"), value);
  }

  Object builtin(String builtin, PyRef ref) {
    return execute(Op.BUILTIN, builtin + "(" + ref.typeName() + ")", CallOptions.defaults(),
        builtin, Objects.requireNonNull(ref, "ref"));
  }

  /**
   * Calls a function of one of the program's own helper modules, {@code "module.function"}: modules found
   * on the configured helper paths or on the classpath under {@code snakebridge/helpers/}.
   */
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

  /** Releases the object behind {@code ref} now. Idempotent; refs of a dead worker are already gone. */
  public void releaseRef(PyRef ref) {
    if (ref.markReleased("by releaseRef")) {
      ref.worker().flushReleases();
    }
  }

  private static String requireName(String name, String what) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(what + " name must not be blank");
    }
    return name;
  }

  private Object execute(Op op, String context, CallOptions options, Object... operands) {
    ByteSink request = WorkerConnection.newRequestSink(64);
    RefArguments refs = new RefArguments();
    Object[] envelope = new Object[operands.length + 2];
    envelope[0] = op.code();
    envelope[1] = sessionId;
    System.arraycopy(operands, 0, envelope, 2, operands.length);
    new ValueEncoder(request, refs).encodeListOf(envelope);
    WorkerProcess worker = refs.worker() != null ? refs.worker() : pool.select();
    Duration timeout = options.timeout().orElse(config.callTimeout());
    Frame answer = worker.connection().call(request, timeout);
    return decode(answer, worker, context);
  }

  private Object decode(Frame answer, WorkerProcess worker, String context) {
    byte[] payload = answer.payload();
    ValueDecoder decoder = new ValueDecoder(payload, 0, payload.length,
        (id, type, repr) -> new PyRef(this, worker, sessionId, id, type, repr, cleaner),
        PyTuple::wrap);
    Object value = decoder.decode();
    if (answer.kind() == FrameKind.RESULT) {
      return value;
    }
    throw toException(value, context);
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
    PythonException raw = new PythonException(
        type, (String) e.get(1), bases, message, (String) e.get(4), details, context);
    return config.errorMode() == ErrorMode.TRANSLATED ? MlErrorTranslator.translate(raw) : raw;
  }

  /** Stops every worker (end of file on its input, then a kill after a short grace). Idempotent. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook is running or will run: it stops the workers.
    }
    stopWorkers();
  }

  private void stopWorkers() {
    housekeeper.stop();
    pool.close();
  }

  WorkerPool pool() {
    return pool;
  }
}
