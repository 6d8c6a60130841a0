package dev.snakebridge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable configuration of one named pool of identical workers: size, interpreter, environment,
 * start-up imports, profile, queue bounds and recycling.
 *
 * <pre>{@code
 * PoolConfig io = PoolConfig.builder("io").size(20).profile(WorkerProfile.THREAD).build();
 * SnakeBridgeConfig.builder().pool(io).build();
 * SnakeBridge.call("urllib.request", "urlopen", url, CallOptions.defaults().pool("io"));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class PoolConfig {
  private final String name;
  private final int size;
  private final String pythonExecutable;
  private final Map<String, String> environment;
  private final List<String> startupImports;
  private final WorkerProfile profile;
  private final int threadsPerWorker;
  private final int pipelineDepth;
  private final int maxQueue;
  private final Duration queueTimeout;
  private final long recycleAfterCalls;
  private final long recycleAboveMemoryBytes;

  private PoolConfig(Builder b) {
    this.name = b.name;
    this.size = b.size;
    this.pythonExecutable = b.pythonExecutable;
    this.environment = Map.copyOf(b.environment);
    this.startupImports = List.copyOf(b.startupImports);
    this.profile = b.profile;
    this.threadsPerWorker = b.threadsPerWorker;
    this.pipelineDepth = b.pipelineDepth;
    this.maxQueue = b.maxQueue;
    this.queueTimeout = b.queueTimeout;
    this.recycleAfterCalls = b.recycleAfterCalls;
    this.recycleAboveMemoryBytes = b.recycleAboveMemoryBytes;
  }

  /** A builder for the pool {@code name}, with every default. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder(name);
    b.size = size;
    b.pythonExecutable = pythonExecutable;
    b.environment.putAll(environment);
    b.startupImports.addAll(startupImports);
    b.profile = profile;
    b.threadsPerWorker = threadsPerWorker;
    b.pipelineDepth = pipelineDepth;
    b.maxQueue = maxQueue;
    b.queueTimeout = queueTimeout;
    b.recycleAfterCalls = recycleAfterCalls;
    b.recycleAboveMemoryBytes = recycleAboveMemoryBytes;
    return b;
  }

  /** The pool's name, used in {@link CallOptions#pool(String)}. */
  public String name() {
    return name;
  }

  /** How many worker processes (default: available processors). */
  public int size() {
    return size;
  }

  /** The interpreter of this pool; empty means the runtime's. */
  public Optional<String> pythonExecutable() {
    return Optional.ofNullable(pythonExecutable);
  }

  /** Extra environment variables of this pool's workers. */
  public Map<String, String> environment() {
    return environment;
  }

  /** Modules each worker imports before it reports ready, such as {@code numpy}. */
  public List<String> startupImports() {
    return startupImports;
  }

  /** {@link WorkerProfile#PROCESS} (default) or {@link WorkerProfile#THREAD}. */
  public WorkerProfile profile() {
    return profile;
  }

  /** User calls one worker runs at once under {@link WorkerProfile#THREAD} (default 8). */
  public int threadsPerWorker() {
    return threadsPerWorker;
  }

  /** How many user calls a worker executes at once: 1 under PROCESS, {@link #threadsPerWorker()} under THREAD. */
  public int concurrencyPerWorker() {
    return profile == WorkerProfile.PROCESS ? 1 : threadsPerWorker;
  }

  /**
   * How many user calls may be in flight to one worker (default 32): the worker executes
   * {@link #concurrencyPerWorker()} of them and queues the rest itself, so a stream of calls (async, or
   * from many threads) costs no process wake-up per call. 32 covers the wake-up of a sleeping worker
   * (~20-50 µs) many times over for calls of a few µs, while bounding how many calls a long call holds
   * up behind it on its worker. Calls beyond it wait in the JVM. A pool with a {@link #queueTimeout()}
   * uses {@link #concurrencyPerWorker()} instead: only calls waiting in the JVM can time out there. So
   * does the {@link Transport#PIPE} transport: only the shared-memory ring tells which calls a worker that
   * died had not started, and those are sent to another worker instead of failing.
   */
  public int pipelineDepth() {
    return pipelineDepth;
  }

  /** The most calls that may wait in the pool's queues, in the JVM or in a worker (default 1,000,000). */
  public int maxQueue() {
    return maxQueue;
  }

  /** How long a call may wait in a queue before {@link PoolSaturatedException}; empty means no limit. */
  public Optional<Duration> queueTimeout() {
    return Optional.ofNullable(queueTimeout);
  }

  /** A worker is replaced after this many calls (0, the default, never). */
  public long recycleAfterCalls() {
    return recycleAfterCalls;
  }

  /** A worker whose resident memory exceeds this is replaced (0, the default, never). */
  public long recycleAboveMemoryBytes() {
    return recycleAboveMemoryBytes;
  }

  @Override
  public String toString() {
    return "PoolConfig[" + name + ", size=" + size + ", profile=" + profile + ", python="
        + (pythonExecutable == null ? "runtime's" : pythonExecutable) + ", imports=" + startupImports + "]";
  }

  /** Builds a {@link PoolConfig}; every setter validates its argument. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private int size = Runtime.getRuntime().availableProcessors();
    private String pythonExecutable;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> startupImports = new ArrayList<>();
    private WorkerProfile profile = WorkerProfile.PROCESS;
    private int threadsPerWorker = 8;
    private int pipelineDepth = 32;
    private int maxQueue = 1_000_000;
    private Duration queueTimeout;
    private long recycleAfterCalls;
    private long recycleAboveMemoryBytes;

    private Builder(String name) {
      if (!isPoolName(name)) {
        throw new IllegalArgumentException("pool name must be letters, digits, '_', '.' or '-', got '" + name + "'");
      }
      this.name = name;
    }

    /**
     * {@code [A-Za-z0-9_.-]+}, checked by hand: the default pool is built on the first call's path, where
     * compiling a regular expression costs a fresh JVM a few milliseconds.
     */
    private static boolean isPoolName(String name) {
      if (name == null || name.isEmpty()) {
        return false;
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
            || c == '_' || c == '.' || c == '-';
        if (!ok) {
          return false;
        }
      }
      return true;
    }

    public Builder size(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("pool size must be at least 1, got " + size);
      }
      this.size = size;
      return this;
    }

    /** The interpreter, launched exactly as given (may be a wrapper script or a virtual env's python). */
    public Builder pythonExecutable(String executable) {
      if (executable == null || executable.isBlank()) {
        throw new IllegalArgumentException("pythonExecutable must not be blank");
      }
      this.pythonExecutable = executable;
      return this;
    }

    public Builder environment(String name, String value) {
      environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Adds modules imported at worker start-up, so the first call does not pay for them. */
    public Builder startupImports(String... modules) {
      for (String m : modules) {
        if (m == null || !m.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
          throw new IllegalArgumentException("not a module name: '" + m + "'");
        }
        startupImports.add(m);
      }
      return this;
    }

    public Builder profile(WorkerProfile profile) {
      this.profile = Objects.requireNonNull(profile, "profile");
      return this;
    }

    public Builder threadsPerWorker(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threadsPerWorker must be at least 1, got " + threads);
      }
      this.threadsPerWorker = threads;
      return this;
    }

    /** See {@link PoolConfig#pipelineDepth()}; 1 sends a call only once the previous one answered. */
    public Builder pipelineDepth(int depth) {
      if (depth < 1) {
        throw new IllegalArgumentException("pipelineDepth must be at least 1, got " + depth);
      }
      this.pipelineDepth = depth;
      return this;
    }

    public Builder maxQueue(int max) {
      if (max < 0) {
        throw new IllegalArgumentException("maxQueue must not be negative, got " + max);
      }
      this.maxQueue = max;
      return this;
    }

    public Builder queueTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("queueTimeout must be positive, got " + timeout);
      }
      this.queueTimeout = timeout;
      return this;
    }

    public Builder recycleAfterCalls(long calls) {
      if (calls < 0) {
        throw new IllegalArgumentException("recycleAfterCalls must not be negative, got " + calls);
      }
      this.recycleAfterCalls = calls;
      return this;
    }

    public Builder recycleAboveMemoryBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("recycleAboveMemoryBytes must not be negative, got " + bytes);
      }
      this.recycleAboveMemoryBytes = bytes;
      return this;
    }

    public PoolConfig build() {
      return new PoolConfig(this);
    }
  }
}
