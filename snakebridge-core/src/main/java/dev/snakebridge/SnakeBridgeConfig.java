package dev.snakebridge;

import dev.snakebridge.internal.config.Defaults;
import dev.snakebridge.internal.config.RuntimeOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Immutable configuration of a {@link SnakeBridgeRuntime}, built with {@link #builder()}:
 *
 * <pre>{@code
 * SnakeBridgeConfig config = SnakeBridgeConfig.builder()
 *     .pythonExecutable("/opt/venv/bin/python")
 *     .poolSize(4)
 *     .errorMode(ErrorMode.TRANSLATED)
 *     .build();
 * }</pre>
 *
 * <p>{@link #load()} reads the same settings from {@code snakebridge.properties} on the classpath,
 * overridden by system properties of the same names: every builder method has a property, such as {@code
 * snakebridge.poolSize}, {@code snakebridge.callTimeout} or {@code snakebridge.pool.io.size}. docs/GUIDE.md
 * lists them all with their types and defaults; durations are a number of seconds or ISO-8601 ({@code
 * PT30S}).
 *
 * <p>Thread-safe.
 */
public final class SnakeBridgeConfig {
  private final String pythonExecutable;
  private final int poolSize;
  private final List<Path> helperPaths;
  private final ErrorMode errorMode;
  private final Duration startupTimeout;
  private final Duration callTimeout;
  private final Path workerCacheDir;
  private final String pythonLogLevel;
  private final Map<String, String> environment;
  private final Map<String, PoolConfig> pools;
  private final Affinity affinity;
  private final Duration refTtl;
  private final int maxRefsPerSession;
  private final Duration sessionCleanupTimeout;
  private final Map<String, Optional<Duration>> timeoutProfiles;
  private final Map<String, String> libraryTimeoutProfiles;
  private final Duration heartbeatInterval;
  private final Duration spinWait;
  private final int iterationBatch;
  private final int largeBufferThreshold;
  private final Path largeBufferDirectory;
  private final Transport transport;
  private final int ringBytes;
  private final boolean forkServer;
  private final boolean strictEnvironment;

  private SnakeBridgeConfig(Builder b) {
    this.pythonExecutable = b.pythonExecutable;
    this.poolSize = b.poolSize;
    this.helperPaths = List.copyOf(b.helperPaths);
    this.errorMode = b.errorMode;
    this.startupTimeout = b.startupTimeout;
    this.callTimeout = b.callTimeout;
    this.workerCacheDir = b.workerCacheDir;
    this.pythonLogLevel = b.pythonLogLevel;
    this.environment = Map.copyOf(b.environment);
    this.pools = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.pools));
    this.affinity = b.affinity;
    this.refTtl = b.refTtl;
    this.maxRefsPerSession = b.maxRefsPerSession;
    this.sessionCleanupTimeout = b.sessionCleanupTimeout;
    this.timeoutProfiles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.timeoutProfiles));
    this.libraryTimeoutProfiles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.libraryTimeoutProfiles));
    this.heartbeatInterval = b.heartbeatInterval;
    this.spinWait = b.spinWait;
    this.iterationBatch = b.iterationBatch;
    this.largeBufferThreshold = b.largeBufferThreshold;
    this.largeBufferDirectory = b.largeBufferDirectory;
    this.transport = b.transport;
    this.ringBytes = b.ringBytes;
    this.forkServer = b.forkServer;
    this.strictEnvironment = b.strictEnvironment;
  }

  /** A builder with every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults: interpreter found automatically, one worker per processor, RAW errors. */
  public static SnakeBridgeConfig defaults() {
    return builder().build();
  }

  /** Defaults overridden by {@code snakebridge.properties} on the classpath, then by system properties. */
  public static SnakeBridgeConfig load() {
    Properties merged = new Properties();
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = SnakeBridgeConfig.class.getClassLoader();
    }
    try (InputStream in = loader == null ? null : loader.getResourceAsStream("snakebridge.properties")) {
      if (in != null) {
        merged.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read snakebridge.properties", e);
    }
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("snakebridge.")) {
        merged.setProperty(name, System.getProperty(name));
      }
    }
    return fromProperties(merged);
  }

  /**
   * Defaults overridden by the {@code snakebridge.*} entries of {@code properties}.
   *
   * @throws IllegalArgumentException naming the property whose value is malformed
   */
  public static SnakeBridgeConfig fromProperties(Properties properties) {
    for (String name : properties.stringPropertyNames()) {
      if (name.startsWith(RuntimeOptions.PREFIX)) {
        return RuntimeOptions.TABLE.apply(properties, builder()).build();
      }
    }
    // Nothing to apply: the option table (and the cost of linking its accessors) is not needed.
    return builder().build();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.pythonExecutable = pythonExecutable;
    b.poolSize = poolSize;
    b.helperPaths.addAll(helperPaths);
    b.errorMode = errorMode;
    b.startupTimeout = startupTimeout;
    b.callTimeout = callTimeout;
    b.workerCacheDir = workerCacheDir;
    b.pythonLogLevel = pythonLogLevel;
    b.environment.putAll(environment);
    b.pools.putAll(pools);
    b.affinity = affinity;
    b.refTtl = refTtl;
    b.maxRefsPerSession = maxRefsPerSession;
    b.sessionCleanupTimeout = sessionCleanupTimeout;
    b.timeoutProfiles.putAll(timeoutProfiles);
    b.libraryTimeoutProfiles.putAll(libraryTimeoutProfiles);
    b.heartbeatInterval = heartbeatInterval;
    b.spinWait = spinWait;
    b.iterationBatch = iterationBatch;
    b.largeBufferThreshold = largeBufferThreshold;
    b.largeBufferDirectory = largeBufferDirectory;
    b.transport = transport;
    b.ringBytes = ringBytes;
    b.forkServer = forkServer;
    b.strictEnvironment = strictEnvironment;
    return b;
  }

  /**
   * The interpreter set explicitly; empty means: {@code SNAKEBRIDGE_PYTHON}, the project environment the
   * build recorded ({@code META-INF/snakebridge/environment.json}), {@code VIRTUAL_ENV}, {@code python3} on PATH.
   */
  public Optional<String> pythonExecutable() {
    return Optional.ofNullable(pythonExecutable);
  }

  /** Workers in the default pool (default: {@code Runtime.availableProcessors()}). */
  public int poolSize() {
    return poolSize;
  }

  /** Directories put in front of the workers' {@code sys.path} for helper modules. */
  public List<Path> helperPaths() {
    return helperPaths;
  }

  /** How Python errors are presented (default {@link ErrorMode#RAW}). */
  public ErrorMode errorMode() {
    return errorMode;
  }

  /** How long a worker may take to start (default 30 s). */
  public Duration startupTimeout() {
    return startupTimeout;
  }

  /** How long a call may take unless its {@link CallOptions} say otherwise (default 120 s). */
  public Duration callTimeout() {
    return callTimeout;
  }

  /** Where the Python worker files are unpacked (default {@code $XDG_CACHE_HOME/snakebridge} or {@code ~/.cache/snakebridge}). */
  public Path workerCacheDir() {
    return workerCacheDir;
  }

  /** The level of Python's root logger in workers (default {@code INFO}). */
  public String pythonLogLevel() {
    return pythonLogLevel;
  }

  /** Extra environment variables for the worker processes. */
  public Map<String, String> environment() {
    return environment;
  }

  /**
   * Every pool: {@code default} (from {@link #poolSize()}, {@link #pythonExecutable()} and {@link
   * #environment()}, unless a pool named {@code default} was given) and the named pools added.
   */
  public Map<String, PoolConfig> pools() {
    Map<String, PoolConfig> all = new LinkedHashMap<>();
    PoolConfig.Builder fallback = PoolConfig.builder("default").size(poolSize);
    for (Map.Entry<String, String> e : environment.entrySet()) {
      fallback.environment(e.getKey(), e.getValue());
    }
    all.put("default", pools.getOrDefault("default", fallback.build()));
    for (Map.Entry<String, PoolConfig> e : pools.entrySet()) {
      all.putIfAbsent(e.getKey(), e.getValue());
    }
    return java.util.Collections.unmodifiableMap(all);
  }

  /** The affinity of calls that do not say (default {@link Affinity#HINT}). */
  public Affinity affinity() {
    return affinity;
  }

  /** Refs idle for longer are released ({@link RefNotFoundException} says they expired); empty (default) = never. */
  public Optional<Duration> refTtl() {
    return Optional.ofNullable(refTtl);
  }

  /** The most live refs one session holds; beyond it the least recently used is evicted (default 10,000). */
  public int maxRefsPerSession() {
    return maxRefsPerSession;
  }

  /** How long the release of a session in its workers may take before it is reported as failed (default 10 s). */
  public Duration sessionCleanupTimeout() {
    return sessionCleanupTimeout;
  }

  /**
   * The timeout of a named profile: {@code default} = {@link #callTimeout()}, {@code streaming} 120 s,
   * {@code mlInference} 600 s, {@code batchJob} none (an empty Optional), plus configured ones.
   *
   * @throws IllegalArgumentException for a profile nobody defined
   */
  public Optional<Duration> timeoutProfile(String name) {
    if (name.equals("default")) {
      return Optional.of(callTimeout);
    }
    Optional<Duration> found = timeoutProfiles.get(name);
    if (found == null) {
      throw new IllegalArgumentException("unknown timeout profile '" + name + "'; known: default, " + timeoutProfiles.keySet());
    }
    return found;
  }

  /**
   * The named timeout profiles besides {@code default} (which is {@link #callTimeout()}): {@code streaming},
   * {@code mlInference}, {@code batchJob} and configured ones; an empty Optional means no timeout.
   */
  public Map<String, Optional<Duration>> timeoutProfiles() {
    return timeoutProfiles;
  }

  /** Module prefixes mapped to the timeout profile their calls use by default ({@code torch} → {@code mlInference}). */
  public Map<String, String> libraryTimeoutProfiles() {
    return libraryTimeoutProfiles;
  }

  /** How often idle workers are pinged; one that does not answer within 3 intervals is replaced (default 5 s). */
  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  /**
   * How long each side polls for the other's next frame before it sleeps (default 50 µs; zero turns it
   * off). A sleeping reader costs a cross-core wake-up of tens of µs when the frame comes; a polling one
   * sees it at once. The cost is at most this much CPU after each frame, and none while idle.
   */
  public Duration spinWait() {
    return spinWait;
  }

  /**
   * Items fetched per round trip when Java iterates a Python iterator; 0 (the default) is adaptive:
   * 16 first, doubling up to 4096, so short reads stay short and long ones take few round trips.
   */
  public int iterationBatch() {
    return iterationBatch;
  }

  /**
   * How frames travel (default {@link Transport#SHARED_MEMORY}, falling back to {@link Transport#PIPE}
   * where {@code /dev/shm} cannot be used; see docs/PERFORMANCE.md).
   */
  public Transport transport() {
    return transport;
  }

  /** The size of each shared-memory ring (default 1 MiB); larger frames travel on the pipe. */
  public int ringBytes() {
    return ringBytes;
  }

  /**
   * Whether each pool's workers are forked from a pre-warmed template process (default {@code true}, on
   * Linux; elsewhere, or when the template cannot start, workers start directly). A forked worker is ready
   * in a few ms instead of paying the interpreter's start-up and its pool's start-up imports again; see
   * docs/PERFORMANCE.md, "Start-up", for how it works and its trade-offs.
   */
  public boolean forkServer() {
    return forkServer;
  }

  /**
   * Whether a Python environment that differs from the project's lock is an error at start-up (default
   * {@code false}: one warning). The check runs when the build recorded a project environment ({@code
   * mvn snakebridge:setup}); it compares the lock's packages, and the library versions generated wrappers
   * were made from, with what the interpreter has. See docs/ENVIRONMENTS.md.
   */
  public boolean strictEnvironment() {
    return strictEnvironment;
  }

  /**
   * Buffers of at least this many bytes (numeric arrays, {@link NDArray}s, table columns) travel through
   * a shared-memory file instead of inside the frame (default 1 MiB); {@link Integer#MAX_VALUE} keeps
   * everything inline.
   */
  public int largeBufferThreshold() {
    return largeBufferThreshold;
  }

  /**
   * Where the shared-memory files of large buffers are made: set explicitly, else {@code /dev/shm} when
   * it is a writable directory, else {@code java.io.tmpdir}. Each file lives only while a transfer runs.
   */
  public Path largeBufferDirectory() {
    return largeBufferDirectory != null ? largeBufferDirectory
        : dev.snakebridge.internal.bulk.LargeBuffers.defaultDirectory();
  }

  /** Every option as {@code property=value}, in the syntax of {@code snakebridge.properties}. */
  @Override
  public String toString() {
    return RuntimeOptions.TABLE.describe("SnakeBridgeConfig", this);
  }

  /** Builds a {@link SnakeBridgeConfig}; every setter validates its argument. Not thread-safe. */
  public static final class Builder {
    // Defaults come from the option table, where they are documented once.
    private String pythonExecutable = Defaults.PYTHON;
    private int poolSize = Defaults.poolSize();
    private final List<Path> helperPaths = new ArrayList<>(List.of());
    private ErrorMode errorMode = Defaults.ERROR_MODE;
    private Duration startupTimeout = Defaults.STARTUP_TIMEOUT;
    private Duration callTimeout = Defaults.CALL_TIMEOUT;
    private Path workerCacheDir = Defaults.workerCacheDir();
    private String pythonLogLevel = Defaults.PYTHON_LOG_LEVEL;
    private final Map<String, String> environment = new LinkedHashMap<>(Map.of());
    private final Map<String, PoolConfig> pools = new LinkedHashMap<>(Map.of());
    private Affinity affinity = Defaults.AFFINITY;
    private Duration refTtl = Defaults.REF_TTL;
    private int maxRefsPerSession = Defaults.MAX_REFS_PER_SESSION;
    private Duration sessionCleanupTimeout = Defaults.SESSION_CLEANUP_TIMEOUT;
    private final Map<String, Optional<Duration>> timeoutProfiles =
        new LinkedHashMap<>(Defaults.TIMEOUT_PROFILES);
    private final Map<String, String> libraryTimeoutProfiles =
        new LinkedHashMap<>(Map.of());
    private Duration heartbeatInterval = Defaults.HEARTBEAT_INTERVAL;
    private Duration spinWait = Defaults.SPIN_WAIT;
    private int iterationBatch = Defaults.ITERATION_BATCH;
    private int largeBufferThreshold = Defaults.LARGE_BUFFER_THRESHOLD;
    private Path largeBufferDirectory = Defaults.LARGE_BUFFER_DIRECTORY;
    private Transport transport = Defaults.TRANSPORT;
    private int ringBytes = Defaults.RING_BYTES;
    private boolean forkServer = Defaults.FORK_SERVER;
    private boolean strictEnvironment = Defaults.STRICT_ENVIRONMENT;

    private Builder() {}

    /**
     * Whether an environment that differs from the project's lock fails {@link SnakeBridgeRuntime#create}
     * (default {@code false}: a warning names what differs and the fix).
     */
    public Builder strictEnvironment(boolean strict) {
      this.strictEnvironment = strict;
      return this;
    }

    /**
     * Whether workers are forked from a pre-warmed template process per pool (default {@code true});
     * {@code false} starts every worker as a fresh interpreter.
     */
    public Builder forkServer(boolean enabled) {
      this.forkServer = enabled;
      return this;
    }

    /**
     * Buffers of at least {@code bytes} go through shared memory (default 1 MiB); {@link
     * Integer#MAX_VALUE} keeps every buffer inline in the frame.
     *
     * @throws IllegalArgumentException when {@code bytes} is below 1
     */
    public Builder largeBufferThreshold(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("largeBufferThreshold must be at least 1 byte, got " + bytes);
      }
      this.largeBufferThreshold = bytes;
      return this;
    }

    /**
     * The directory for the shared-memory files of large buffers (default {@code /dev/shm}, else the
     * temporary directory). It must exist and be writable by the JVM and the workers; a disk directory
     * works but is slower than a memory file system.
     */
    public Builder largeBufferDirectory(Path dir) {
      this.largeBufferDirectory = Objects.requireNonNull(dir, "dir").toAbsolutePath();
      return this;
    }

    /**
     * The transport between the JVM and its workers (default {@link Transport#SHARED_MEMORY}, which
     * falls back to pipes where {@code /dev/shm} cannot be used).
     */
    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /** Each shared-memory ring's size: a power of two from 4 KiB to 1 GiB. */
    public Builder ringBytes(int bytes) {
      if (Integer.bitCount(bytes) != 1 || bytes < 4096 || bytes > (1 << 30)) {
        throw new IllegalArgumentException("ringBytes must be a power of two from 4096 to 2^30, got " + bytes);
      }
      this.ringBytes = bytes;
      return this;
    }

    /** A fixed number of items per iteration round trip; 0 (default) is adaptive. */
    public Builder iterationBatch(int items) {
      if (items < 0) {
        throw new IllegalArgumentException("iterationBatch must not be negative, got " + items);
      }
      this.iterationBatch = items;
      return this;
    }

    /** How long readers poll before they sleep; {@link Duration#ZERO} turns polling off. */
    public Builder spinWait(Duration spin) {
      Objects.requireNonNull(spin, "spin");
      if (spin.isNegative() || spin.compareTo(Duration.ofMillis(10)) > 0) {
        throw new IllegalArgumentException("spinWait must be between 0 and 10 ms, got " + spin);
      }
      this.spinWait = spin;
      return this;
    }

    /** Adds (or replaces, by name) a pool; a pool named {@code default} replaces the default pool's settings. */
    public Builder pool(PoolConfig pool) {
      pools.put(pool.name(), Objects.requireNonNull(pool, "pool"));
      return this;
    }

    /** The affinity of calls that do not set one (default {@link Affinity#HINT}). */
    public Builder affinity(Affinity affinity) {
      this.affinity = Objects.requireNonNull(affinity, "affinity");
      return this;
    }

    /** Releases refs idle for longer than {@code ttl} (default: never). */
    public Builder refTtl(Duration ttl) {
      this.refTtl = positive(ttl, "refTtl");
      return this;
    }

    /** The most live refs per session before the least recently used is evicted (default 10,000). */
    public Builder maxRefsPerSession(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxRefsPerSession must be at least 1, got " + max);
      }
      this.maxRefsPerSession = max;
      return this;
    }

    /** How long releasing a session in its workers may take before it is reported as failed (default 10 s). */
    public Builder sessionCleanupTimeout(Duration timeout) {
      this.sessionCleanupTimeout = positive(timeout, "sessionCleanupTimeout");
      return this;
    }

    /** Defines or redefines a timeout profile; {@code null} means no timeout. ({@code default} is {@link #callTimeout}.) */
    public Builder timeoutProfile(String name, Duration timeout) {
      Objects.requireNonNull(name, "name");
      if (name.equals("default")) {
        return callTimeout(Objects.requireNonNull(timeout, "the default profile needs a timeout"));
      }
      timeoutProfiles.put(name, timeout == null ? Optional.empty() : Optional.of(positive(timeout, "timeout")));
      return this;
    }

    /** Calls into modules starting with {@code modulePrefix} ({@code "torch"}) use {@code profile} unless they say otherwise. */
    public Builder libraryTimeoutProfile(String modulePrefix, String profile) {
      libraryTimeoutProfiles.put(Objects.requireNonNull(modulePrefix, "modulePrefix"), Objects.requireNonNull(profile, "profile"));
      return this;
    }

    /** How often idle workers are pinged; one silent for 3 intervals is replaced (default 5 s). */
    public Builder heartbeatInterval(Duration interval) {
      this.heartbeatInterval = positive(interval, "heartbeatInterval");
      return this;
    }

    /** The interpreter to launch exactly as given: a path, a name on PATH, or a wrapper script. */
    public Builder pythonExecutable(String executable) {
      if (executable == null || executable.isBlank()) {
        throw new IllegalArgumentException("pythonExecutable must not be blank");
      }
      this.pythonExecutable = executable;
      return this;
    }

    /** Workers in the default pool, at least 1. */
    public Builder poolSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("poolSize must be at least 1, got " + size);
      }
      this.poolSize = size;
      return this;
    }

    /** Adds a directory of helper modules ({@code callHelper("math_ops.add")} finds {@code math_ops.py}). */
    public Builder addHelperPath(Path dir) {
      helperPaths.add(Objects.requireNonNull(dir, "dir").toAbsolutePath());
      return this;
    }

    /** Replaces the helper directories. */
    public Builder helperPaths(List<Path> dirs) {
      helperPaths.clear();
      dirs.forEach(this::addHelperPath);
      return this;
    }

    /** How Python errors are presented (default {@link ErrorMode#RAW}). */
    public Builder errorMode(ErrorMode mode) {
      this.errorMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** How long a worker may take to start (default 30 s); must be positive. */
    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = positive(timeout, "startupTimeout");
      return this;
    }

    /** How long a call may take unless its {@link CallOptions} say otherwise (default 120 s); must be positive. */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = positive(timeout, "callTimeout");
      return this;
    }

    /** Where the Python worker files are unpacked (default {@code $XDG_CACHE_HOME/snakebridge} or {@code ~/.cache/snakebridge}). */
    public Builder workerCacheDir(Path dir) {
      this.workerCacheDir = Objects.requireNonNull(dir, "dir").toAbsolutePath();
      return this;
    }

    /** Python logging level name for the workers' root logger: DEBUG, INFO, WARNING, ERROR. */
    public Builder pythonLogLevel(String level) {
      String upper = Objects.requireNonNull(level, "level").toUpperCase(Locale.ROOT);
      if (!List.of("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL").contains(upper)) {
        throw new IllegalArgumentException("pythonLogLevel must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got '" + level + "'");
      }
      this.pythonLogLevel = upper;
      return this;
    }

    /** Sets an environment variable for the worker processes. */
    public Builder environment(String name, String value) {
      environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException when a library timeout profile names a profile nobody defined
     */
    public SnakeBridgeConfig build() {
      for (String profile : libraryTimeoutProfiles.values()) {
        if (!profile.equals("default") && !timeoutProfiles.containsKey(profile)) {
          throw new IllegalArgumentException("libraryTimeoutProfile names unknown profile '" + profile + "'");
        }
      }
      return new SnakeBridgeConfig(this);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, got " + d);
      }
      return d;
    }
  }
}
