package dev.snakebridge.internal.call;

import dev.snakebridge.CallOptions;
import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.WorkerBusyException;

import dev.snakebridge.internal.pool.WorkerPool;
import dev.snakebridge.internal.session.SessionState;
import dev.snakebridge.internal.worker.WorkerProcess;
import java.time.Duration;
import java.util.Map;

/**
 * Decides where and how long a call runs: the refs' worker for a call that passes refs, else the
 * session's home worker in the chosen pool as the {@link Affinity} says; and the call's timeout from its
 * options, its timeout profile, its library's profile, or the configured default.
 */
final class Router {
  private final SnakeBridgeConfig config;
  private final Map<String, WorkerPool> pools;

  Router(SnakeBridgeConfig config, Map<String, WorkerPool> pools) {
    this.config = config;
    this.pools = pools;
  }

  WorkerPool pool(String name) {
    WorkerPool pool = pools.get(name);
    if (pool == null) {
      throw new IllegalArgumentException("no pool named '" + name + "'; configured pools: " + pools.keySet());
    }
    return pool;
  }

  WorkerProcess route(SessionState session, CallOptions options) {
    WorkerPool pool = pool(options.pool().orElse("default"));
    WorkerProcess home = session.home(pool.name());
    if (home == null || !home.isAlive() || home.isRetiring()) {
      // A session outlives its worker: it moves to a healthy one at once.
      home = pool.nextHome();
      session.setHome(pool.name(), home);
    }
    return switch (options.affinity().orElse(config.affinity())) {
      case HINT -> home.connection().admission().isBusy() ? pool.leastLoaded() : home;
      case STRICT_QUEUE -> home;
      case STRICT_FAIL_FAST -> {
        if (home.connection().admission().isBusy()) {
          throw new WorkerBusyException(home.id(), "home worker " + home + " of session " + session.id()
              + " is busy (STRICT_FAIL_FAST)");
        }
        yield home;
      }
    };
  }

  /**
   * The timeout a call's timeout profile gives it (named in its options, or its library's), or null
   * when no profile applies: a push stream takes it as the longest wait for each item.
   */
  Duration profileTimeout(CallOptions options, String module) {
    if (options.timeout().isPresent()) {
      return null;
    }
    if (options.timeoutProfile().isPresent() || libraryProfile(module) != null) {
      return timeout(options, module);
    }
    return null;
  }

  private String libraryProfile(String module) {
    if (module == null) {
      return null;
    }
    String best = null;
    for (String prefix : config.libraryTimeoutProfiles().keySet()) {
      if ((module.equals(prefix) || module.startsWith(prefix + "."))
          && (best == null || prefix.length() > best.length())) {
        best = prefix;
      }
    }
    return best;
  }

  /** The timeout of a call, or null for none. */
  Duration timeout(CallOptions options, String module) {
    if (options.timeout().isPresent()) {
      return options.timeout().get();
    }
    if (options.timeoutProfile().isPresent()) {
      return config.timeoutProfile(options.timeoutProfile().get()).orElse(null);
    }
    String library = config.libraryTimeoutProfiles().isEmpty() ? null : libraryProfile(module);
    if (library != null) {
      return config.timeoutProfile(config.libraryTimeoutProfiles().get(library)).orElse(null);
    }
    return config.callTimeout();
  }
}
