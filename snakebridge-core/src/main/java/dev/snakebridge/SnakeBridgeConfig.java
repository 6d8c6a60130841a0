package dev.snakebridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
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
 * overridden by system properties of the same names ({@code snakebridge.python}, {@code
 * snakebridge.poolSize}, {@code snakebridge.helperPaths}, {@code snakebridge.errorMode}, {@code
 * snakebridge.startupTimeout}, {@code snakebridge.callTimeout}, {@code snakebridge.workerCacheDir},
 * {@code snakebridge.pythonLogLevel}); durations are ISO-8601 ({@code PT30S}) or a number of seconds.
 * Thread-safe.
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
    Builder b = builder();
    String python = properties.getProperty("snakebridge.python");
    if (python != null && !python.isBlank()) {
      b.pythonExecutable(python.strip());
    }
    String size = properties.getProperty("snakebridge.poolSize");
    if (size != null) {
      try {
        b.poolSize(Integer.parseInt(size.strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("snakebridge.poolSize must be a whole number, got '" + size + "'");
      }
    }
    String helpers = properties.getProperty("snakebridge.helperPaths");
    if (helpers != null) {
      for (String p : helpers.split(java.io.File.pathSeparator)) {
        if (!p.isBlank()) {
          b.addHelperPath(Path.of(p.strip()));
        }
      }
    }
    String mode = properties.getProperty("snakebridge.errorMode");
    if (mode != null) {
      try {
        b.errorMode(ErrorMode.valueOf(mode.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("snakebridge.errorMode must be RAW or TRANSLATED, got '" + mode + "'");
      }
    }
    durationProperty(properties, "snakebridge.startupTimeout").ifPresent(b::startupTimeout);
    durationProperty(properties, "snakebridge.callTimeout").ifPresent(b::callTimeout);
    String cache = properties.getProperty("snakebridge.workerCacheDir");
    if (cache != null && !cache.isBlank()) {
      b.workerCacheDir(Path.of(cache.strip()));
    }
    String level = properties.getProperty("snakebridge.pythonLogLevel");
    if (level != null && !level.isBlank()) {
      b.pythonLogLevel(level.strip());
    }
    return b.build();
  }

  private static Optional<Duration> durationProperty(Properties properties, String name) {
    String text = properties.getProperty(name);
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    String t = text.strip();
    try {
      return Optional.of(t.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(t)) : Duration.parse(t));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(name + " must be a number of seconds or an ISO-8601 duration such as PT30S, got '" + text + "'");
    }
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
    return b;
  }

  /** The interpreter set explicitly; empty means: {@code SNAKEBRIDGE_PYTHON}, {@code VIRTUAL_ENV}, {@code python3} on PATH. */
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

  @Override
  public String toString() {
    return "SnakeBridgeConfig[python=" + (pythonExecutable == null ? "auto" : pythonExecutable)
        + ", poolSize=" + poolSize + ", helperPaths=" + helperPaths + ", errorMode=" + errorMode
        + ", startupTimeout=" + startupTimeout + ", callTimeout=" + callTimeout + "]";
  }

  private static Path defaultCacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("snakebridge");
  }

  /** Builds a {@link SnakeBridgeConfig}; every setter validates its argument. Not thread-safe. */
  public static final class Builder {
    private String pythonExecutable;
    private int poolSize = Runtime.getRuntime().availableProcessors();
    private final List<Path> helperPaths = new ArrayList<>();
    private ErrorMode errorMode = ErrorMode.RAW;
    private Duration startupTimeout = Duration.ofSeconds(30);
    private Duration callTimeout = Duration.ofSeconds(120);
    private Path workerCacheDir = defaultCacheDir();
    private String pythonLogLevel = "INFO";
    private final Map<String, String> environment = new LinkedHashMap<>();

    private Builder() {}

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

    public Builder errorMode(ErrorMode mode) {
      this.errorMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = positive(timeout, "startupTimeout");
      return this;
    }

    public Builder callTimeout(Duration timeout) {
      this.callTimeout = positive(timeout, "callTimeout");
      return this;
    }

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

    public SnakeBridgeConfig build() {
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
