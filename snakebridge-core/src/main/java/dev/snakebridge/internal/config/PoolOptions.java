package dev.snakebridge.internal.config;

import dev.snakebridge.PoolConfig;
import dev.snakebridge.PoolConfig.Builder;
import dev.snakebridge.WorkerProfile;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Every option of a {@link PoolConfig}, set by properties {@code snakebridge.pool.<name>.<option>}: the
 * pool counterpart of {@link RuntimeOptions}. The defaults here are {@code PoolConfig.Builder}'s, which a
 * test holds equal.
 */
public final class PoolOptions {
  /** The properties of pool {@code name} start with {@code snakebridge.pool.<name>.}. */
  public static final String PREFIX = RuntimeOptions.PREFIX + "pool.";

  public static final ConfigOption<PoolConfig, Builder, Integer> SIZE = new ConfigOption<>(
      "size", "size", ValueType.INT, () -> Runtime.getRuntime().availableProcessors(),
      "available processors (`default`: `poolSize`)", "Worker processes in the pool", "5",
      PoolConfig::size, Builder::size);
  public static final ConfigOption<PoolConfig, Builder, String> PYTHON = new ConfigOption<>(
      "python", "pythonExecutable", ValueType.TEXT, () -> null, "the runtime's",
      "The pool's interpreter, launched exactly as given", "/opt/torch-venv/bin/python",
      p -> p.pythonExecutable().orElse(null), Builder::pythonExecutable);
  public static final ConfigOption<PoolConfig, Builder, Map<String, String>> ENVIRONMENT = new ConfigOption<>(
      "environment", "environment", ValueType.keyed("NAME", ValueType.TEXT), Map::of,
      "{} (`default`: the runtime's `environment`)", "An environment variable of the pool's workers",
      "CUDA_VISIBLE_DEVICES=0", PoolConfig::environment, (b, m) -> m.forEach(b::environment));
  public static final ConfigOption<PoolConfig, Builder, List<String>> STARTUP_IMPORTS = ConfigOption.of(
      "startupImports", "startupImports", ValueType.NAME_LIST, List.of(),
      "Modules each worker imports before it reports ready", "json,decimal",
      PoolConfig::startupImports, (b, modules) -> b.startupImports(modules.toArray(String[]::new)));
  public static final ConfigOption<PoolConfig, Builder, WorkerProfile> PROFILE = ConfigOption.of(
      "profile", "profile", ValueType.enumOf(WorkerProfile.class), WorkerProfile.PROCESS,
      "One user call at a time per worker process, or `threadsPerWorker` at once", "THREAD",
      PoolConfig::profile, Builder::profile);
  public static final ConfigOption<PoolConfig, Builder, Integer> THREADS_PER_WORKER = ConfigOption.of(
      "threadsPerWorker", "threadsPerWorker", ValueType.INT, 8,
      "User calls one worker runs at once under the `THREAD` profile", "4",
      PoolConfig::threadsPerWorker, Builder::threadsPerWorker);
  public static final ConfigOption<PoolConfig, Builder, Integer> PIPELINE_DEPTH = ConfigOption.of(
      "pipelineDepth", "pipelineDepth", ValueType.INT, 32,
      "User calls the JVM keeps in flight to one worker; the worker runs its share and queues the rest", "8",
      PoolConfig::pipelineDepth, Builder::pipelineDepth);
  public static final ConfigOption<PoolConfig, Builder, Integer> MAX_QUEUE = ConfigOption.of(
      "maxQueue", "maxQueue", ValueType.INT, 1_000_000,
      "The most calls that may wait in the pool's queues", "100", PoolConfig::maxQueue, Builder::maxQueue);
  public static final ConfigOption<PoolConfig, Builder, Duration> QUEUE_TIMEOUT = new ConfigOption<>(
      "queueTimeout", "queueTimeout", ValueType.DURATION, () -> null, "none",
      "How long a call may wait in a queue before `PoolSaturatedException`", "PT1S",
      p -> p.queueTimeout().orElse(null), Builder::queueTimeout);
  public static final ConfigOption<PoolConfig, Builder, Long> RECYCLE_AFTER_CALLS = ConfigOption.of(
      "recycleAfterCalls", "recycleAfterCalls", ValueType.LONG, 0L,
      "A worker is replaced after this many calls; 0 never", "10000",
      PoolConfig::recycleAfterCalls, Builder::recycleAfterCalls);
  public static final ConfigOption<PoolConfig, Builder, Long> RECYCLE_ABOVE_MEMORY_BYTES = ConfigOption.of(
      "recycleAboveMemoryBytes", "recycleAboveMemoryBytes", ValueType.LONG_BYTES, 0L,
      "A worker whose resident memory exceeds this is replaced; 0 never", "2147483648",
      PoolConfig::recycleAboveMemoryBytes, Builder::recycleAboveMemoryBytes);

  /** Every pool option, in the order properties are applied and printed. */
  public static final OptionTable<PoolConfig, Builder> TABLE = new OptionTable<>(PREFIX + "<name>.", List.of(
      SIZE, PYTHON, ENVIRONMENT, STARTUP_IMPORTS, PROFILE, THREADS_PER_WORKER, PIPELINE_DEPTH, MAX_QUEUE, QUEUE_TIMEOUT,
      RECYCLE_AFTER_CALLS, RECYCLE_ABOVE_MEMORY_BYTES));

  private PoolOptions() {}

  /**
   * The pools defined by {@code snakebridge.pool.<name>.<option>} properties. Pool names may contain dots,
   * so a name is what comes before a known option; a property under {@code snakebridge.pool.} that ends in
   * no known option is rejected, since it can only be a typo.
   */
  static final class PoolsType implements ValueType<Map<String, PoolConfig>> {
    @Override
    public String description() {
      return "per pool option, see below";
    }

    @Override
    public String format(Map<String, PoolConfig> pools) {
      return pools.values().stream().map(p -> TABLE.describe(p.name(), p))
          .collect(Collectors.joining(", ", "{", "}"));
    }

    @Override
    public String documentedName(String property) {
      return property + ".<name>.<option>";
    }

    @Override
    public Optional<Map<String, PoolConfig>> read(Properties properties, String property) {
      String prefix = property + ".";
      TreeSet<String> names = new TreeSet<>();
      for (String key : properties.stringPropertyNames()) {
        if (key.startsWith(prefix)) {
          names.add(poolName(key, key.substring(prefix.length())));
        }
      }
      Map<String, PoolConfig> pools = new LinkedHashMap<>();
      for (String name : names) {
        Builder builder = seed(name, properties);
        for (ConfigOption<PoolConfig, Builder, ?> option : TABLE.options()) {
          option.apply(properties, prefix + name + ".", builder);
        }
        pools.put(name, builder.build());
      }
      return pools.isEmpty() ? Optional.empty() : Optional.of(pools);
    }

    private static String poolName(String key, String rest) {
      for (ConfigOption<PoolConfig, Builder, ?> option : TABLE.options()) {
        String suffix = "." + option.property();
        if (option.type() instanceof ValueType.Keyed<?> && rest.contains(suffix + ".")) {
          return rest.substring(0, rest.indexOf(suffix + "."));
        }
        if (rest.endsWith(suffix) && rest.length() > suffix.length()) {
          return rest.substring(0, rest.length() - suffix.length());
        }
      }
      throw new IllegalArgumentException(key + " names no pool option; a pool property is " + PREFIX
          + "<name>.<option>, the options: "
          + TABLE.options().stream().map(ConfigOption::property).collect(Collectors.joining(", ")));
    }

    /**
     * The pool named {@code default} replaces the default pool, which otherwise has {@code poolSize}
     * workers and the runtime's environment; it starts from those so that setting, say, its profile does
     * not also reset its size.
     */
    private static Builder seed(String name, Properties properties) {
      Builder builder = PoolConfig.builder(name);
      if (name.equals("default")) {
        RuntimeOptions.POOL_SIZE.type().read(properties, RuntimeOptions.PREFIX + RuntimeOptions.POOL_SIZE.property())
            .ifPresent(builder::size);
        RuntimeOptions.ENVIRONMENT.type()
            .read(properties, RuntimeOptions.PREFIX + RuntimeOptions.ENVIRONMENT.property())
            .ifPresent(env -> env.forEach(builder::environment));
      }
      return builder;
    }
  }
}
