package dev.snakebridge.internal.call;

import dev.snakebridge.PoolConfig;
import dev.snakebridge.SnakeBridgeConfig;
import dev.snakebridge.SnakeBridgeException;
import dev.snakebridge.Telemetry;
import dev.snakebridge.internal.bulk.LargeBuffers;
import dev.snakebridge.internal.callback.CallbackTable;
import dev.snakebridge.internal.callback.JavaExceptions;
import dev.snakebridge.internal.codec.ByteSink;
import dev.snakebridge.internal.codec.ValueDecoder;
import dev.snakebridge.internal.codec.ValueEncoder;
import dev.snakebridge.internal.pool.Housekeeper;
import dev.snakebridge.internal.pool.WorkerPool;
import dev.snakebridge.internal.protocol.Frame;
import dev.snakebridge.internal.protocol.Op;
import dev.snakebridge.internal.session.SessionRegistry;
import dev.snakebridge.internal.transport.SharedMemorySupport;
import dev.snakebridge.internal.worker.CallbackHandler;
import dev.snakebridge.internal.worker.ClasspathHelpers;
import dev.snakebridge.internal.worker.EarlyTemplate;
import dev.snakebridge.internal.worker.LaunchPlan;
import dev.snakebridge.internal.worker.WorkerConnection;
import dev.snakebridge.internal.worker.WorkerFiles;
import dev.snakebridge.internal.worker.WorkerProcess;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * What a running engine is made of — pools, sessions, callbacks, bulk buffers, the housekeeper, the
 * completion threads — and the order in which they start and stop.
 */
final class EngineParts implements CallbackHandler {
  private static final AtomicInteger RUNTIMES = new AtomicInteger();

  private final Map<String, WorkerPool> pools;
  private final Telemetry telemetry;
  private final SessionRegistry sessions;
  private final Housekeeper housekeeper;
  /** Made on first use (a ref, an async call, a callback): each starts threads a first call need not wait for. */
  private volatile Cleaner cleaner;
  private volatile ExecutorService completions;
  private boolean stopped; // guarded by this: no cleaner or executor is made after shutdown
  private final CallbackTable callbacks = new CallbackTable();
  private final JavaExceptions javaExceptions = new JavaExceptions();
  private final LargeBuffers large;
  private final Thread shutdownHook;
  /** Set once the engine exists; frames that need it can only come after calls are made. */
  private volatile CallEngine engine;
  private volatile Callbacks callbackRunner;

  private EngineParts(SnakeBridgeConfig config, Map<String, WorkerPool> pools, Telemetry telemetry) {
    this.pools = pools;
    this.telemetry = telemetry;
    // Anonymous classes rather than lambdas on the start path: a fresh JVM spins a class for each lambda
    // it links, several times the cost of loading a small class (docs/ARCHITECTURE.md, the first call).
    this.sessions = new SessionRegistry(telemetry, new SessionRegistry.WorkerCleanup() {
      @Override
      public CompletableFuture<?> apply(WorkerProcess worker, String sessionId) {
        return releaseSessionIn(worker, sessionId);
      }
    }, config.refTtl(), config.maxRefsPerSession(), config.sessionCleanupTimeout());
    this.sessions.onRelease(new Consumer<String>() {
      @Override
      public void accept(String sessionId) {
        callbacks.releaseSession(sessionId);
      }
    });
    this.large = new LargeBuffers(config.largeBufferDirectory(), config.largeBufferThreshold());
    // The housekeeper's first job, off the first call's path: the files of processes that died
    // mid-transfer (a killed JVM, a crashed worker), and the ring files of JVMs killed while their workers
    // started. Neither can be a live file of ours: the names carry the creator's pid and start.
    Runnable sweep = new Runnable() {
      @Override
      public void run() {
        large.sweepDead();
        SharedMemorySupport.sweepDeadRings();
      }
    };
    this.housekeeper = new Housekeeper(List.copyOf(pools.values()), sessions, config.heartbeatInterval(),
        new BiFunction<WorkerProcess, Duration, CompletableFuture<Map<?, ?>>>() {
          @Override
          public CompletableFuture<Map<?, ?>> apply(WorkerProcess worker, Duration timeout) {
            return ping(worker, timeout);
          }
        }, sweep);
    this.shutdownHook = new Thread(new Runnable() {
      @Override
      public void run() {
        engine.shutdown(2000);
      }
    }, "snakebridge-shutdown");
  }

  /**
   * Starts an engine: resolves interpreters, unpacks the worker, and starts every pool's workers in
   * parallel, returning when each pool has one ready (the others go on starting).
   *
   * @throws SnakeBridgeException when no interpreter is found or workers fail to start
   */
  static CallEngine start(SnakeBridgeConfig config, Telemetry telemetry, Handles handles) {
    // Python's start is the longest part of a first call: the templates' interpreters start before anything else.
    Map<String, EarlyTemplate> early = new LinkedHashMap<>();
    try {
      for (PoolConfig pool : config.pools().values()) {
        EarlyTemplate started = EarlyTemplate.startFor(config, pool);
        if (started != null) {
          early.put(pool.name(), started);
        }
      }
      return start(config, telemetry, handles, early);
    } catch (RuntimeException | Error e) {
      early.values().forEach(EarlyTemplate::close); // each pool closes its own once it has it: a no-op then
      throw e;
    }
  }

  private static CallEngine start(SnakeBridgeConfig config, Telemetry telemetry, Handles handles,
      Map<String, EarlyTemplate> early) {
    Path workerDir = WorkerFiles.unpack(config.workerCacheDir());
    for (EarlyTemplate template : early.values()) {
      template.offerWorkerDirectory(workerDir); // it goes on with its imports while the pools are planned
    }
    List<String> helperDirs = new ArrayList<>();
    for (Path helpers : config.helperPaths()) {
      helperDirs.add(helpers.toString());
    }
    Optional<Path> fromClasspath = ClasspathHelpers.unpack(config.workerCacheDir());
    if (fromClasspath.isPresent()) {
      helperDirs.add(fromClasspath.get().toString());
    }
    // The pools forward worker frames here; the parts exist before any such frame can come.
    ForwardingHandler forward = new ForwardingHandler();
    Map<String, WorkerPool> pools = new LinkedHashMap<>();
    for (PoolConfig pool : config.pools().values()) {
      pools.put(pool.name(), new WorkerPool(pool, LaunchPlan.of(config, pool, workerDir, helperDirs),
          early.get(pool.name()), telemetry, forward));
    }
    // Each pool's own thread launches its template and starts its workers.
    List<PoolStart> started = new ArrayList<>();
    for (WorkerPool pool : pools.values()) {
      started.add(PoolStart.begin(pool));
    }
    // The engine's own parts are built meanwhile.
    EngineParts parts;
    try {
      parts = new EngineParts(config, Map.copyOf(pools), telemetry);
    } catch (RuntimeException | Error e) {
      for (PoolStart start : started) {
        start.await();
      }
      for (WorkerPool pool : pools.values()) {
        pool.close();
      }
      throw e;
    }
    CallEngine engine = new CallEngine("SnakeBridgeRuntime#" + RUNTIMES.incrementAndGet(), config, parts, handles);
    parts.engine = engine;
    parts.callbackRunner = new Callbacks(engine);
    forward.target = parts;
    awaitStarted(started, pools.values());
    parts.housekeeper.start();
    Runtime.getRuntime().addShutdownHook(parts.shutdownHook);
    return engine;
  }

  /** Waits for every pool's start; when one failed, closes them all and throws its failure. */
  private static void awaitStarted(List<PoolStart> started, Iterable<WorkerPool> pools) {
    Throwable failure = null;
    for (PoolStart start : started) {
      Throwable failed = start.await();
      if (failure == null) {
        failure = failed;
      }
    }
    if (failure != null) {
      for (WorkerPool pool : pools) {
        pool.close();
      }
      if (failure instanceof SnakeBridgeException sbe) {
        throw sbe;
      }
      if (failure instanceof Error error) {
        throw error;
      }
      throw new SnakeBridgeException(failure.toString(), failure);
    }
  }

  /** One pool's {@link WorkerPool#start} on a daemon thread of its own ({@code snakebridge-<pool>-start}). */
  private static final class PoolStart extends Thread {
    private final WorkerPool pool;
    private volatile Throwable failure;

    private PoolStart(WorkerPool pool) {
      super("snakebridge-" + pool.name() + "-start");
      this.pool = pool;
      setDaemon(true);
    }

    static PoolStart begin(WorkerPool pool) {
      PoolStart start = new PoolStart(pool);
      start.start();
      return start;
    }

    @Override
    public void run() {
      try {
        pool.start();
      } catch (RuntimeException | Error e) {
        failure = e;
      }
    }

    /** Waits for the start to end; its failure, or null. */
    Throwable await() {
      boolean interrupted = false;
      while (isAlive()) {
        try {
          join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return failure;
    }
  }

  Map<String, WorkerPool> pools() {
    return pools;
  }

  Telemetry telemetry() {
    return telemetry;
  }

  SessionRegistry sessions() {
    return sessions;
  }

  Cleaner cleaner() {
    Cleaner c = cleaner;
    if (c == null) {
      synchronized (this) {
        c = cleaner;
        if (c == null) {
          c = Cleaner.create(runnable -> {
            Thread t = new Thread(runnable, "snakebridge-ref-cleaner");
            t.setDaemon(true);
            return t;
          });
          cleaner = c;
        }
      }
    }
    return c;
  }

  /** The virtual-thread executor that completes async calls and runs callbacks; refuses work once stopped. */
  ExecutorService completions() {
    ExecutorService c = completions;
    if (c == null) {
      synchronized (this) {
        c = completions;
        if (c == null) {
          c = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("snakebridge-async-", 0).factory());
          if (stopped) {
            c.shutdown();
          }
          completions = c;
        }
      }
    }
    return c;
  }

  CallbackTable callbacks() {
    return callbacks;
  }

  JavaExceptions javaExceptions() {
    return javaExceptions;
  }

  LargeBuffers large() {
    return large;
  }

  // ------------------------------------------------------- frames from workers

  @Override
  public void onCallback(WorkerProcess worker, Frame frame) {
    callbackRunner.onCallback(worker, frame);
  }

  @Override
  public void onCallbackDropped(long id) {
    callbacks.drop(id);
  }

  @Override
  public void onLateAnswer(WorkerProcess worker, Frame frame) {
    engine.releaseLateAnswer(worker, frame);
  }

  /** Forwards to the parts once they exist (workers start before them). */
  private static final class ForwardingHandler implements CallbackHandler {
    volatile CallbackHandler target;

    @Override
    public void onCallback(WorkerProcess worker, Frame frame) {
      target.onCallback(worker, frame);
    }

    @Override
    public void onCallbackDropped(long id) {
      target.onCallbackDropped(id);
    }

    @Override
    public void onLateAnswer(WorkerProcess worker, Frame frame) {
      target.onLateAnswer(worker, frame);
    }
  }

  // ---------------------------------------------------------- control messages

  /** Sends RELEASE_SESSION to one worker, as a control message. */
  private CompletableFuture<?> releaseSessionIn(WorkerProcess worker, String sessionId) {
    ByteSink sink = WorkerConnection.newRequestSink(32);
    new ValueEncoder(sink, null).encodeListOf(Op.RELEASE_SESSION.code(), sessionId);
    return worker.connection().callAsync(sink, engine.config().sessionCleanupTimeout(), false);
  }

  /** A heartbeat: PING answered with the worker's facts ({@code rss} bytes). */
  private CompletableFuture<Map<?, ?>> ping(WorkerProcess worker, Duration timeout) {
    ByteSink sink = WorkerConnection.newRequestSink(16);
    new ValueEncoder(sink, null).encodeListOf(Op.PING.code(), "");
    return worker.connection().callAsync(sink, timeout, false).thenApply(frame -> {
      Object value = new ValueDecoder(frame.payload(), 0, frame.payload().length,
          (id, type, repr) -> null, items -> java.util.Arrays.asList(items)).decode();
      return value instanceof Map<?, ?> m ? m : Map.of();
    });
  }

  // ----------------------------------------------------------------- stopping

  /** Stops the housekeeper, drains and stops the pools, and removes bulk files. */
  void shutdown(long drainMillis) {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook is running or will run: it stops the workers too; stopping twice is harmless.
    }
    housekeeper.stop();
    sessions.close();
    for (WorkerPool pool : pools.values()) {
      pool.close(drainMillis);
    }
    ExecutorService made;
    synchronized (this) {
      stopped = true;
      made = completions;
    }
    if (made != null) {
      made.shutdown();
    }
    large.close();
    // Again at the end, in case the housekeeper had not come to it: a short-lived runtime still cleans up.
    large.sweepDead();
    SharedMemorySupport.sweepDeadRings();
  }
}
