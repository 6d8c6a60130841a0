package dev.snakebridge.internal.worker;

import dev.snakebridge.internal.telemetry.Logs;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;

/**
 * Starts the processes of one pool's workers: forked from the pool's pre-warmed template ({@link
 * ForkServer}) when it is enabled and healthy, else directly with a {@link ProcessBuilder}. A template that
 * cannot start, or dies, is replaced up to {@link #MAX_TEMPLATE_STARTS} times in a row (a template that
 * forked a worker resets the count); after that (or off Linux)
 * workers start directly, which is slower but otherwise the same. Thread-safe.
 */
public final class WorkerSpawner implements AutoCloseable {
  private static final int MAX_TEMPLATE_STARTS = 3;

  private final String pool;
  private final WorkerLaunch launch;
  private final ReentrantLock lock = new ReentrantLock();
  private ForkServer template;
  private int templateStarts;
  private boolean templateImports = true;
  /** Whether {@link #template} said it is ready and may be forked (one thread). */
  private boolean templateReady;
  private volatile boolean closed;
  private final CountDownLatch opened = new CountDownLatch(1);
  private final AtomicBoolean opening = new AtomicBoolean();

  /** The interpreter started before the pool was planned, for the first template; null once used. */
  private EarlyTemplate early; // guarded by lock

  /** {@code early}: the pool's {@link EarlyTemplate}, or null to launch its first template here. */
  public WorkerSpawner(String pool, WorkerLaunch launch, EarlyTemplate early) {
    this.pool = pool;
    this.launch = launch;
    this.early = early;
  }

  /**
   * Launches the template, when enabled, without waiting for it; never fails (workers then start
   * directly). {@link #launch} waits for it to be ready, so the JVM's and the workers' own preparations
   * run while Python starts.
   */
  public void open() {
    if (!opening.compareAndSet(false, true)) {
      return; // already launched (the runtime launches templates before it starts the pools' threads)
    }
    try {
      if (!launch.forkServer() || !ForkServer.supported()) {
        closeEarly();
      }
      if (!launch.forkServer()) {
        return;
      }
      if (!ForkServer.supported()) {
        log().info("pool '{}': no fork server on {}; workers start directly", pool, System.getProperty("os.name"));
        return;
      }
      lock.lock();
      try {
        template = launchTemplate();
      } finally {
        lock.unlock();
      }
    } finally {
      opened.countDown();
    }
  }

  /** Launches one more template, or none once {@link #MAX_TEMPLATE_STARTS} were started. Under the lock. */
  private ForkServer launchTemplate() {
    templateReady = false;
    if (templateStarts >= MAX_TEMPLATE_STARTS || closed) {
      return null;
    }
    templateStarts++;
    ForkServer adopted = adoptEarly();
    if (adopted != null) {
      return adopted;
    }
    try {
      return ForkServer.launch(pool + "-template", launch, templateImports);
    } catch (IOException | RuntimeException e) {
      log().warn("pool '{}': the fork server failed to start ({}); workers start directly", pool, e.getMessage());
      templateStarts = MAX_TEMPLATE_STARTS;
      return null;
    }
  }

  /** The {@link EarlyTemplate} made a template, or null (none, or it failed: a launch follows). Under the lock. */
  private ForkServer adoptEarly() {
    EarlyTemplate taken = early;
    early = null;
    if (taken == null || !templateImports || !taken.interpreter().equals(launch.interpreter())) {
      if (taken != null) {
        taken.close();
      }
      return null;
    }
    try {
      return ForkServer.adopt(pool + "-template", taken, launch, true);
    } catch (IOException | RuntimeException e) {
      log().debug("pool '{}': the early template cannot be used ({}); launching one", pool, e.toString());
      return null;
    }
  }

  private void closeEarly() {
    lock.lock();
    try {
      if (early != null) {
        early.close();
        early = null;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for the launched template to be ready, replacing one that cannot be forked safely; {@code
   * null} when there is none to fork from. Under the lock.
   */
  private ForkServer readyTemplate() {
    while (template != null && !templateReady) {
      try {
        template.awaitReady(launch.startupTimeout());
      } catch (IOException e) {
        log().warn("pool '{}': the fork server failed to start ({}); workers start directly", pool, e.getMessage());
        template.close();
        templateStarts = MAX_TEMPLATE_STARTS;
        template = null;
        return null;
      }
      int threads = template.threads();
      if (threads <= 1) {
        templateReady = true;
        return template;
      }
      // fork() copies only the calling thread: locks held by the others would stay held in every worker.
      log().info("pool '{}': the fork server has {} threads after its start-up imports {}; forking it would be"
          + " unsafe, so its workers import them after the fork", pool, threads,
          launch.environment().get("SNAKEBRIDGE_STARTUP_IMPORTS"));
      template.close();
      templateImports = false;
      template = launchTemplate();
    }
    return template;
  }

  /** The template to fork from, replacing one that died; {@code null} for a direct start. */
  private ForkServer usableTemplate() {
    lock.lock();
    try {
      if (template != null && templateReady && !template.isAlive()) {
        log().warn("pool '{}': the fork server (pid {}) ended; starting a new one", pool, template.pid());
        template.close();
        template = launchTemplate();
      }
      return readyTemplate();
    } finally {
      lock.unlock();
    }
  }

  /**
   * A template that forked a worker works: its starts no longer count against {@link #MAX_TEMPLATE_STARTS},
   * which is there for templates that cannot start. Without this, a pool whose template was killed three
   * times over its life (by the OOM killer, say) started its workers directly from then on.
   */
  private void templateServed(ForkServer from) {
    lock.lock();
    try {
      if (template == from) {
        templateStarts = 0;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Starts a worker process with {@code env} added to the pool's environment.
   *
   * @throws IOException when the process cannot be started or a forked one never connected
   */
  LaunchedProcess launch(String workerId, Map<String, String> env) throws IOException {
    try {
      opened.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the fork server of pool '" + pool + "'", e);
    }
    if (closed) {
      // A replacement that raced the pool's close: starting it directly would only have it killed again.
      throw new IOException("pool '" + pool + "' is closing");
    }
    ForkServer from = usableTemplate();
    if (from != null) {
      ForkedProcess forked = from.spawn(workerId, env, launch.startupTimeout());
      if (forked != null) {
        templateServed(from);
        return forked;
      }
    }
    ProcessBuilder builder = new ProcessBuilder(
        launch.interpreter(), launch.workerDir().resolve(WorkerFiles.BOOT_SCRIPT).toString());
    builder.environment().putAll(launch.environment());
    builder.environment().putAll(env);
    builder.environment().put("SNAKEBRIDGE_CACHE_BYTECODE", "1"); // workerDir is our cache, not a source tree
    return new SpawnedProcess(builder.start());
  }

  /** Ends the template; call after the workers have been stopped (it kills those still running). */
  @Override
  public void close() {
    opened.countDown(); // never opened: nothing to wait for
    lock.lock();
    try {
      closed = true;
      if (early != null) {
        early.close();
        early = null;
      }
      if (template != null) {
        template.close();
        template = null;
      }
    } finally {
      lock.unlock();
    }
  }

  private static Logger log() {
    return Logs.get("snakebridge.pool");
  }
}
