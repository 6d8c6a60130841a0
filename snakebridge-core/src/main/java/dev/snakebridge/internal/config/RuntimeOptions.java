package dev.snakebridge.internal.config;

import dev.snakebridge.Affinity;
import dev.snakebridge.ErrorMode;
import dev.snakebridge.PoolConfig;
import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.SnakeBridgeConfig.Builder;
import dev.snakebridge.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every option of {@link SnakeBridgeConfig}: the one place its property names, defaults and documentation
 * are written (in the manner of Aeron's {@code *_PROP_NAME} / {@code *_DEFAULT} pairs). The builder takes
 * its defaults from here, {@code fromProperties} reads through {@link #TABLE}, and {@code toString} and
 * docs/GUIDE.md print it.
 *
 * <p>Adding an option: a field, getter and builder method in {@link SnakeBridgeConfig} as before, one
 * constant here, and the constant in {@link #TABLE}; the tests then require its property round trip, its
 * {@code toString} entry and its row in docs/GUIDE.md.
 */
public final class RuntimeOptions {
  /** Every property of the runtime starts with this. */
  public static final String PREFIX = "snakebridge.";

  public static final ConfigOption<SnakeBridgeConfig, Builder, String> PYTHON = new ConfigOption<>(
      "python", "pythonExecutable", ValueType.TEXT, () -> Defaults.PYTHON, "auto",
      "The interpreter, launched exactly as given; unset: `SNAKEBRIDGE_PYTHON`, the project environment (docs/ENVIRONMENTS.md), `$VIRTUAL_ENV/bin/python`, `python3` on `PATH`",
      "/opt/venv/bin/python", c -> c.pythonExecutable().orElse(null), Builder::pythonExecutable);
  public static final ConfigOption<SnakeBridgeConfig, Builder, Integer> POOL_SIZE = new ConfigOption<>(
      "poolSize", "poolSize", ValueType.INT, Defaults::poolSize, "available processors",
      "Workers in the default pool", "3", SnakeBridgeConfig::poolSize, Builder::poolSize);
  public static final ConfigOption<SnakeBridgeConfig, Builder, List<Path>> HELPER_PATHS = ConfigOption.of(
      "helperPaths", "helperPaths", ValueType.PATH_LIST, List.of(),
      "Directories of helper modules, put in front of the workers' `sys.path`", "/opt/helpers",
      SnakeBridgeConfig::helperPaths, Builder::helperPaths);
  public static final ConfigOption<SnakeBridgeConfig, Builder, ErrorMode> ERROR_MODE = ConfigOption.of(
      "errorMode", "errorMode", ValueType.enumOf(ErrorMode.class), Defaults.ERROR_MODE,
      "How Python errors are presented: as raised, or ML errors as typed exceptions", "TRANSLATED",
      SnakeBridgeConfig::errorMode, Builder::errorMode);
  public static final ConfigOption<SnakeBridgeConfig, Builder, Duration> STARTUP_TIMEOUT = ConfigOption.of(
      "startupTimeout", "startupTimeout", ValueType.DURATION, Defaults.STARTUP_TIMEOUT,
      "How long a worker may take to start", "PT45S", SnakeBridgeConfig::startupTimeout, Builder::startupTimeout);
  public static final ConfigOption<SnakeBridgeConfig, Builder, Duration> CALL_TIMEOUT = ConfigOption.of(
      "callTimeout", "callTimeout", ValueType.DURATION, Defaults.CALL_TIMEOUT,
      "How long a call may take unless its `CallOptions` say otherwise (the `default` timeout profile)", "7",
      SnakeBridgeConfig::callTimeout, Builder::callTimeout);
  public static final ConfigOption<SnakeBridgeConfig, Builder, Path> WORKER_CACHE_DIR = new ConfigOption<>(
      "workerCacheDir", "workerCacheDir", ValueType.PATH, Defaults::workerCacheDir,
      "`$XDG_CACHE_HOME/snakebridge`, else `~/.cache/snakebridge`", "Where the Python worker files are unpacked",
      "/var/tmp/snakebridge-cache", SnakeBridgeConfig::workerCacheDir, Builder::workerCacheDir);
  public static final ConfigOption<SnakeBridgeConfig, Builder, String> PYTHON_LOG_LEVEL = ConfigOption.of(
      "pythonLogLevel", "pythonLogLevel", ValueType.TEXT, Defaults.PYTHON_LOG_LEVEL,
      "Level of the workers' root logger: `DEBUG`, `INFO`, `WARNING`, `ERROR` or `CRITICAL`", "DEBUG",
      SnakeBridgeConfig::pythonLogLevel, Builder::pythonLogLevel);
  public static final ConfigOption<SnakeBridgeConfig, Builder, Map<String, String>> ENVIRONMENT = ConfigOption.of(
      "environment", "environment", ValueType.keyed("NAME", ValueType.TEXT), Map.of(),
      "An environment variable of the worker processes", "OMP_NUM_THREADS=1",
      SnakeBridgeConfig::environment, (b, m) -> m.forEach(b::environment));
  public static final ConfigOption<SnakeBridgeConfig, Builder, Affinity> AFFINITY = ConfigOption.of(
      "affinity", "affinity", ValueType.enumOf(Affinity.class), Defaults.AFFINITY,
      "The affinity of calls that do not set one (see SESSIONS.md)", "STRICT_QUEUE",
      SnakeBridgeConfig::affinity, Builder::affinity);
  public static final ConfigOption<SnakeBridgeConfig, Builder, Duration> REF_TTL = new ConfigOption<>(
      "refTtl", "refTtl", ValueType.DURATION, () -> Defaults.REF_TTL, "never",
      "Refs idle for longer are released", "PT10M", c -> c.refTtl().orElse(null), Builder::refTtl);
  public static final ConfigOption<SnakeBridgeConfig, Builder, Integer> MAX_REFS_PER_SESSION = ConfigOption.of(
      "maxRefsPerSession", "maxRefsPerSession", ValueType.INT, Defaults.MAX_REFS_PER_SESSION,
      "The most live refs one session holds; beyond it the least recently used is evicted", "500",
      SnakeBridgeConfig::maxRefsPerSession, Builder::maxRefsPerSession);
  public static final ConfigOption<SnakeBridgeConfig, Builder, Duration> SESSION_CLEANUP_TIMEOUT = ConfigOption.of(
      "sessionCleanupTimeout", "sessionCleanupTimeout", ValueType.DURATION, Defaults.SESSION_CLEANUP_TIMEOUT,
      "How long releasing a session in its workers may take before it is reported as failed", "PT3S",
      SnakeBridgeConfig::sessionCleanupTimeout, Builder::sessionCleanupTimeout);
  public static final ConfigOption<SnakeBridgeConfig, Builder, Map<String, Optional<Duration>>> TIMEOUT_PROFILES =
      ConfigOption.of("timeoutProfile", "timeoutProfile", ValueType.keyed("profile", ValueType.DURATION_OR_NONE),
          Defaults.TIMEOUT_PROFILES, "Defines or redefines a named timeout profile (`default` sets `callTimeout`)",
          "mlInference=PT20M", SnakeBridgeConfig::timeoutProfiles,
          (b, m) -> m.forEach((name, timeout) -> b.timeoutProfile(name, timeout.orElse(null))));
  public static final ConfigOption<SnakeBridgeConfig, Builder, Map<String, String>> LIBRARY_TIMEOUT_PROFILES =
      ConfigOption.of("libraryTimeoutProfile", "libraryTimeoutProfile", ValueType.keyed("modulePrefix", ValueType.TEXT),
          Map.of(), "The timeout profile of calls into modules starting with the prefix (`torch`)",
          "torch=mlInference", SnakeBridgeConfig::libraryTimeoutProfiles, (b, m) -> m.forEach(b::libraryTimeoutProfile));
  public static final ConfigOption<SnakeBridgeConfig, Builder, Duration> HEARTBEAT_INTERVAL = ConfigOption.of(
      "heartbeatInterval", "heartbeatInterval", ValueType.DURATION, Defaults.HEARTBEAT_INTERVAL,
      "How often idle workers are pinged; one silent for 3 intervals is replaced", "PT2S",
      SnakeBridgeConfig::heartbeatInterval, Builder::heartbeatInterval);
  public static final ConfigOption<SnakeBridgeConfig, Builder, Duration> SPIN_WAIT = ConfigOption.of(
      "spinMicros", "spinWait", ValueType.MICROS, Defaults.SPIN_WAIT,
      "How long each side polls for the next frame before it sleeps (0 to 10,000; 0 turns polling off)", "0",
      SnakeBridgeConfig::spinWait, Builder::spinWait);
  public static final ConfigOption<SnakeBridgeConfig, Builder, Integer> ITERATION_BATCH = ConfigOption.of(
      "iterationBatch", "iterationBatch", ValueType.INT, Defaults.ITERATION_BATCH,
      "Items fetched per round trip when iterating a Python iterator; 0 is adaptive (16, doubling to 4096)", "64",
      SnakeBridgeConfig::iterationBatch, Builder::iterationBatch);
  public static final ConfigOption<SnakeBridgeConfig, Builder, Integer> LARGE_BUFFER_THRESHOLD = ConfigOption.of(
      "largeBufferThreshold", "largeBufferThreshold", ValueType.INT_BYTES, Defaults.LARGE_BUFFER_THRESHOLD,
      "Buffers at least this large travel through a shared-memory file instead of the frame", "4096",
      SnakeBridgeConfig::largeBufferThreshold, Builder::largeBufferThreshold);
  public static final ConfigOption<SnakeBridgeConfig, Builder, Path> LARGE_BUFFER_DIRECTORY = new ConfigOption<>(
      "largeBufferDirectory", "largeBufferDirectory", ValueType.PATH, () -> Defaults.LARGE_BUFFER_DIRECTORY,
      "`/dev/shm` if writable, else `java.io.tmpdir`", "Where the shared-memory files of large buffers are made",
      "/var/tmp", SnakeBridgeConfig::largeBufferDirectory, Builder::largeBufferDirectory);
  public static final ConfigOption<SnakeBridgeConfig, Builder, Transport> TRANSPORT = ConfigOption.of(
      "transport", "transport", ValueType.enumOf(Transport.class), Defaults.TRANSPORT,
      "How frames travel between the JVM and its workers (falls back to `PIPE` without `/dev/shm`)", "PIPE",
      SnakeBridgeConfig::transport, Builder::transport);
  public static final ConfigOption<SnakeBridgeConfig, Builder, Integer> RING_BYTES = ConfigOption.of(
      "ringBytes", "ringBytes", ValueType.INT_BYTES, Defaults.RING_BYTES,
      "Size of each shared-memory ring: a power of two from 4096 to 2^30", "65536",
      SnakeBridgeConfig::ringBytes, Builder::ringBytes);
  public static final ConfigOption<SnakeBridgeConfig, Builder, Boolean> FORK_SERVER = ConfigOption.of(
      "forkServer", "forkServer", ValueType.BOOLEAN, Defaults.FORK_SERVER,
      "Whether workers are forked from a pre-warmed template process per pool (Linux)", "false",
      SnakeBridgeConfig::forkServer, Builder::forkServer);
  public static final ConfigOption<SnakeBridgeConfig, Builder, Boolean> STRICT_ENVIRONMENT = ConfigOption.of(
      "strictEnvironment", "strictEnvironment", ValueType.BOOLEAN, Defaults.STRICT_ENVIRONMENT,
      "Whether an interpreter whose packages differ from the project's lock fails start-up (else: one warning)", "true",
      SnakeBridgeConfig::strictEnvironment, Builder::strictEnvironment);
  public static final ConfigOption<SnakeBridgeConfig, Builder, Map<String, PoolConfig>> POOLS = new ConfigOption<>(
      "pool", "pool", new PoolOptions.PoolsType(), Map::of, "only `default`, of `poolSize` workers",
      "A named pool's option, from the pool table below; `default` replaces the default pool", "io.size=20",
      SnakeBridgeConfig::pools, (b, pools) -> pools.values().forEach(b::pool));

  /** Every option, in the order properties are applied and {@code toString} prints them. */
  public static final OptionTable<SnakeBridgeConfig, Builder> TABLE = new OptionTable<>(PREFIX, List.of(
      PYTHON, POOL_SIZE, HELPER_PATHS, ERROR_MODE, STARTUP_TIMEOUT, CALL_TIMEOUT, WORKER_CACHE_DIR, PYTHON_LOG_LEVEL,
      ENVIRONMENT, AFFINITY, REF_TTL, MAX_REFS_PER_SESSION, SESSION_CLEANUP_TIMEOUT, TIMEOUT_PROFILES,
      LIBRARY_TIMEOUT_PROFILES, HEARTBEAT_INTERVAL, SPIN_WAIT, ITERATION_BATCH, LARGE_BUFFER_THRESHOLD,
      LARGE_BUFFER_DIRECTORY, TRANSPORT, RING_BYTES, FORK_SERVER, STRICT_ENVIRONMENT, POOLS));

  private RuntimeOptions() {}
}
