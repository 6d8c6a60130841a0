package dev.snakebridge.internal.config;

import dev.snakebridge.Affinity;
import dev.snakebridge.ErrorMode;
import dev.snakebridge.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The default of every runtime option, as plain values: the builder starts from these and {@link
 * RuntimeOptions} documents and prints them. They live apart from the option table so that building a
 * configuration does not initialise the table, whose accessors are some eighty lambdas: linking them
 * costs a fresh JVM a few hundred milliseconds before its first call, and only properties, {@code
 * toString} and the docs need them.
 */
public final class Defaults {
  public static final String PYTHON = null;
  public static final ErrorMode ERROR_MODE = ErrorMode.RAW;
  public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(120);
  public static final String PYTHON_LOG_LEVEL = "INFO";
  public static final Affinity AFFINITY = Affinity.HINT;
  public static final Duration REF_TTL = null;
  public static final int MAX_REFS_PER_SESSION = 10_000;
  public static final Duration SESSION_CLEANUP_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
  public static final Duration SPIN_WAIT = Duration.ofNanos(50_000);
  public static final int ITERATION_BATCH = 0;
  public static final int LARGE_BUFFER_THRESHOLD = 1 << 20;
  public static final Path LARGE_BUFFER_DIRECTORY = null;
  public static final Transport TRANSPORT = Transport.SHARED_MEMORY;
  public static final int RING_BYTES = 1 << 20;
  public static final boolean FORK_SERVER = true;
  public static final boolean STRICT_ENVIRONMENT = false;
  /** The built-in timeout profiles besides {@code default} (which is {@link #CALL_TIMEOUT}). */
  public static final Map<String, Optional<Duration>> TIMEOUT_PROFILES = timeoutProfiles();

  private Defaults() {}

  /** One worker per available processor. */
  public static int poolSize() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** {@code $XDG_CACHE_HOME/snakebridge}, else {@code ~/.cache/snakebridge}. */
  public static Path workerCacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("snakebridge");
  }

  private static Map<String, Optional<Duration>> timeoutProfiles() {
    Map<String, Optional<Duration>> profiles = new LinkedHashMap<>();
    profiles.put("streaming", Optional.of(Duration.ofSeconds(120)));
    profiles.put("mlInference", Optional.of(Duration.ofSeconds(600)));
    profiles.put("batchJob", Optional.empty());
    return Collections.unmodifiableMap(profiles);
  }
}
