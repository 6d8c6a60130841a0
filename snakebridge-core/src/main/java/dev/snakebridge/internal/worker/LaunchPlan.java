package dev.snakebridge.internal.worker;

import dev.snakebridge.PoolConfig;
import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.Transport;
import dev.snakebridge.WorkerProfile;
import dev.snakebridge.internal.bulk.LargeBuffers;
import dev.snakebridge.internal.transport.SharedMemorySupport;
import dev.snakebridge.internal.transport.SpinPolicy;
import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a pool's workers are launched: the interpreter, the worker files, and the environment that carries
 * the runtime's settings into each worker process.
 */
public final class LaunchPlan {
  private LaunchPlan() {}

  /** The launch of {@code pool}'s workers; {@code helperDirs} are prepended to their {@code sys.path}. */
  public static WorkerLaunch of(SnakeBridgeConfig config, PoolConfig pool, Path workerDir, List<String> helperDirs) {
    var interpreter = InterpreterResolver.forPool(config, pool);
    Map<String, String> env = new LinkedHashMap<>();
    if (pool.profile() == WorkerProfile.PROCESS) {
      // One user call per process: N workers should use N cores, not N × (BLAS threads) cores.
      for (String var : List.of("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")) {
        if (System.getenv(var) == null) {
          env.put(var, "1");
        }
      }
    }
    env.putAll(config.environment());
    env.putAll(pool.environment());
    env.put("SNAKEBRIDGE_HELPER_PATHS", String.join(File.pathSeparator, helperDirs));
    env.put("SNAKEBRIDGE_LOG_LEVEL", config.pythonLogLevel());
    env.put("SNAKEBRIDGE_STARTUP_IMPORTS", String.join(",", pool.startupImports()));
    env.put("SNAKEBRIDGE_HEARTBEAT_TIMEOUT_S", Long.toString(Math.max(30, config.heartbeatInterval().toSeconds() * 12)));
    env.put("SNAKEBRIDGE_SPIN_US", Long.toString(config.spinWait().toNanos() / 1000));
    env.put("SNAKEBRIDGE_SLOTS", Integer.toString(pool.concurrencyPerWorker()));
    int workers = 0;
    for (PoolConfig each : config.pools().values()) {
      workers += each.size();
    }
    env.putIfAbsent(SpinPolicy.YIELD_ENV, SpinPolicy.forMachine(config.spinWait().toNanos(), workers,
        Runtime.getRuntime().availableProcessors()).yielding() ? "1" : "0");
    env.put("SNAKEBRIDGE_BULK_DIR", config.largeBufferDirectory().toString());
    env.put("SNAKEBRIDGE_BULK_FALLBACK_DIR",
        LargeBuffers.fallbackDirectory(config.largeBufferDirectory()).orElse(Path.of("")).toString());
    env.put("SNAKEBRIDGE_BULK_THRESHOLD", Integer.toString(config.largeBufferThreshold()));
    int ring = config.transport() == Transport.SHARED_MEMORY && SharedMemorySupport.available() ? config.ringBytes() : 0;
    return new WorkerLaunch(interpreter.executable(), workerDir, env, config.startupTimeout(), config.spinWait(), ring,
        config.forkServer());
  }
}
