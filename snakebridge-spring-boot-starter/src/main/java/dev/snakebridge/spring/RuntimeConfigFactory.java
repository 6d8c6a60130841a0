package dev.snakebridge.spring;

import dev.snakebridge.SnakeBridgeConfig;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Turns the bound {@link SnakeBridgeProperties} into the runtime's own property names and lets the
 * runtime's configuration read them ({@link SnakeBridgeConfig#fromProperties}): one parser, one set of
 * checks and defaults, whether the options come from Spring, a {@code snakebridge.properties} file or
 * system properties.
 */
final class RuntimeConfigFactory {
  private RuntimeConfigFactory() {}

  static SnakeBridgeConfig create(SnakeBridgeProperties p) {
    return SnakeBridgeConfig.fromProperties(toRuntimeProperties(p));
  }

  /** The {@code snakebridge.*} properties in the runtime's spelling, for the options that are set. */
  static Properties toRuntimeProperties(SnakeBridgeProperties p) {
    Properties out = new Properties();
    put(out, "python", p.getPython());
    put(out, "poolSize", p.getPoolSize());
    put(out, "helperPaths", joined(p.getHelperPaths(), File.pathSeparator));
    put(out, "errorMode", p.getErrorMode());
    put(out, "startupTimeout", p.getStartupTimeout());
    put(out, "callTimeout", p.getCallTimeout());
    put(out, "workerCacheDir", p.getWorkerCacheDir());
    put(out, "pythonLogLevel", p.getPythonLogLevel());
    putAll(out, "environment.", p.getEnvironment());
    put(out, "affinity", p.getAffinity());
    put(out, "refTtl", p.getRefTtl());
    put(out, "maxRefsPerSession", p.getMaxRefsPerSession());
    put(out, "sessionCleanupTimeout", p.getSessionCleanupTimeout());
    putAll(out, "timeoutProfile.", p.getTimeoutProfile());
    putAll(out, "libraryTimeoutProfile.", p.getLibraryTimeoutProfile());
    put(out, "heartbeatInterval", p.getHeartbeatInterval());
    put(out, "spinMicros", p.getSpinMicros());
    put(out, "iterationBatch", p.getIterationBatch());
    put(out, "largeBufferThreshold", p.getLargeBufferThreshold());
    put(out, "largeBufferDirectory", p.getLargeBufferDirectory());
    put(out, "transport", p.getTransport());
    put(out, "ringBytes", p.getRingBytes());
    put(out, "forkServer", p.getForkServer());
    put(out, "strictEnvironment", p.getStrictEnvironment());
    for (Map.Entry<String, SnakeBridgeProperties.Pool> e : p.getPool().entrySet()) {
      String at = "pool." + e.getKey() + ".";
      SnakeBridgeProperties.Pool pool = e.getValue();
      put(out, at + "size", pool.getSize());
      put(out, at + "python", pool.getPython());
      putAll(out, at + "environment.", pool.getEnvironment());
      put(out, at + "startupImports", joined(pool.getStartupImports(), ","));
      put(out, at + "profile", pool.getProfile());
      put(out, at + "threadsPerWorker", pool.getThreadsPerWorker());
      put(out, at + "pipelineDepth", pool.getPipelineDepth());
      put(out, at + "maxQueue", pool.getMaxQueue());
      put(out, at + "queueTimeout", pool.getQueueTimeout());
      put(out, at + "recycleAfterCalls", pool.getRecycleAfterCalls());
      put(out, at + "recycleAboveMemoryBytes", pool.getRecycleAboveMemoryBytes());
    }
    return out;
  }

  /** Durations print as ISO-8601 ({@code PT30S}), which the runtime reads; enums by name. */
  private static void put(Properties out, String name, Object value) {
    if (value != null) {
      out.setProperty("snakebridge." + name, value.toString());
    }
  }

  private static void putAll(Properties out, String prefix, Map<String, String> values) {
    values.forEach((k, v) -> put(out, prefix + k, v));
  }

  private static String joined(List<String> values, String separator) {
    return values.isEmpty() ? null : String.join(separator, values);
  }
}
