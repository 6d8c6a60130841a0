package dev.snakebridge.junit;

import dev.snakebridge.PoolStats;
import dev.snakebridge.Session;
import dev.snakebridge.SnakeBridgeRuntime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One test's SnakeBridge state: its session, what the pool and the JVM's child processes looked like
 * before it, and the leak checks after it.
 */
final class TestScope {
  private final SnakeBridgeExtension owner;
  private final SnakeBridgeRuntime runtime;
  private final RuntimeMonitor monitor;
  private final ExtensionSettings settings;
  private final Session session;
  private final long outputMark;
  private final Map<String, Integer> workersBefore;
  private final Set<Long> childrenBefore;

  private TestScope(SnakeBridgeExtension owner, RuntimeMonitor monitor, ExtensionSettings settings, Session session) {
    this.owner = owner;
    this.runtime = monitor.runtime();
    this.monitor = monitor;
    this.settings = settings;
    this.session = session;
    this.outputMark = monitor.mark();
    this.workersBefore = liveWorkers(runtime.stats());
    this.childrenBefore = childPids();
  }

  /** Starts a test: a fresh automatic session for this thread, or a new explicit session. */
  static TestScope begin(SnakeBridgeExtension owner, RuntimeMonitor monitor, ExtensionSettings settings, String testName) {
    SnakeBridgeRuntime runtime = monitor.runtime();
    Session session = null;
    if (settings.isolatedSession()) {
      // Readable in logs and telemetry, unique so that no earlier test's leftovers can be in it.
      session = runtime.session("junit-" + testName + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
    } else {
      runtime.releaseAutoSession(); // whatever this thread (a reused JUnit thread) made before is not this test's
      runtime.currentSession();
    }
    return new TestScope(owner, monitor, settings, session);
  }

  SnakeBridgeExtension owner() {
    return owner;
  }

  SnakeBridgeRuntime runtime() {
    return runtime;
  }

  ExtensionSettings settings() {
    return settings;
  }

  /** The test's explicit session, or null when it runs in its thread's automatic session. */
  Session session() {
    return session;
  }

  /** The workers' output since the test began, at most {@link ExtensionSettings#outputLines()} lines. */
  List<String> output() {
    return monitor.linesSince(outputMark, settings.outputLines());
  }

  /** Releases the test's session and returns what leaked, one sentence each; empty when nothing did. */
  List<String> finish() {
    List<String> problems = new ArrayList<>();
    String id = session != null ? session.id() : runtime.currentSession();
    int refs = monitor.refsReleasedBy(id, session != null ? session::close : runtime::releaseAutoSession);
    if (refs > 0) {
      problems.add(refs + " Python ref" + (refs == 1 ? " was" : "s were") + " still live in the test's session "
          + id + " after the test. Release each ref when done (PyRef.release() or SnakeBridge.releaseRef), or"
          + " make them in a Session you close; a dropped ref keeps its Python object alive until the garbage"
          + " collector happens to notice.");
    }
    problems.addAll(workerProblems());
    problems.addAll(childProblems());
    return problems;
  }

  /** Pools with fewer live workers than before, after waiting for replacements of workers that died. */
  private List<String> workerProblems() {
    long deadline = System.nanoTime() + settings.workerRecovery().toNanos();
    while (true) {
      Map<String, Integer> now = liveWorkers(runtime.stats());
      List<String> problems = new ArrayList<>();
      workersBefore.forEach((pool, before) -> {
        int after = now.getOrDefault(pool, 0);
        if (after < before) {
          problems.add("pool '" + pool + "' has " + after + " live worker(s) after the test but had " + before
              + " before it, and no replacement was ready within " + settings.workerRecovery().toMillis()
              + " ms (see the worker output for the crash).");
        }
      });
      if (problems.isEmpty() || System.nanoTime() >= deadline) {
        return problems;
      }
      pause();
    }
  }

  /**
   * Child processes of the JVM that the test started and left running. Workers the pool started meanwhile
   * (replacements) are not the test's; a replacement still starting becomes known when it is ready, so
   * wait for that as long as for a replacement.
   */
  private List<String> childProblems() {
    long deadline = System.nanoTime() + Math.max(settings.workerRecovery().toNanos(), TimeUnit.SECONDS.toNanos(1));
    while (true) {
      List<ProcessHandle> stray = ProcessHandle.current().children()
          .filter(p -> p.isAlive() && !childrenBefore.contains(p.pid()) && !monitor.isWorker(p.pid()))
          .toList();
      if (stray.isEmpty() || System.nanoTime() >= deadline) {
        return stray.stream()
            .map(p -> "child process " + p.pid() + " (" + describe(p) + ") started during the test is still"
                + " running: stop it before the test ends (a runtime the test created must be closed).")
            .toList();
      }
      pause();
    }
  }

  private static String describe(ProcessHandle p) {
    ProcessHandle.Info info = p.info();
    return info.commandLine().or(info::command).orElse("command unknown");
  }

  private static Map<String, Integer> liveWorkers(PoolStats stats) {
    Map<String, Integer> live = new LinkedHashMap<>();
    stats.pools().forEach((name, pool) -> live.put(name, pool.workers()));
    return live;
  }

  private static Set<Long> childPids() {
    return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for SnakeBridge workers after the test", e);
    }
  }
}
