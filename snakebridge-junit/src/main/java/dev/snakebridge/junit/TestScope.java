package dev.snakebridge.junit;

import dev.snakebridge.PoolStats;
import dev.snakebridge.Session;
import dev.snakebridge.SnakeBridge;
import dev.snakebridge.SnakeBridgeRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

/**
 * One test's SnakeBridge state: its session, what the pool and the JVM's child processes looked like
 * before it, and the leak checks after it.
 */
final class TestScope {
  private static final String OUTPUT_ENTRY = "snakebridge.workerOutput";
  /** The stderr pipe is read apart from answers: give a traceback printed just before a failure time to arrive. */
  private static final long OUTPUT_SETTLE_MILLIS = 100;

  private final SnakeBridgeExtension owner;
  private final SnakeBridgeRuntime runtime;
  private final RuntimeMonitor monitor;
  private final ExtensionSettings settings;
  private final Session session;
  private final long outputMark;
  private final Map<String, Integer> workersBefore;
  private final Set<Long> childrenBefore;
  private final boolean processChecks;

  private TestScope(SnakeBridgeExtension owner, RuntimeMonitor monitor, ExtensionSettings settings, Session session,
      boolean processChecks) {
    this.owner = owner;
    this.runtime = monitor.runtime();
    this.monitor = monitor;
    this.settings = settings;
    this.session = session;
    this.outputMark = monitor.mark();
    this.workersBefore = liveWorkers(runtime.stats());
    this.childrenBefore = childPids();
    this.processChecks = processChecks;
  }

  /**
   * Starts a test: a fresh automatic session for this thread, or a new explicit session.
   *
   * @param processChecks whether to check the JVM's child processes and the live workers, which only
   *     tests that run one at a time can
   */
  static TestScope begin(SnakeBridgeExtension owner, RuntimeMonitor monitor, ExtensionSettings settings,
      String testName, boolean processChecks) {
    SnakeBridgeRuntime runtime = monitor.runtime();
    Session session = null;
    if (settings.isolatedSession()) {
      session = runtime.session(Sessions.uniqueId("junit-" + testName));
    } else {
      runtime.releaseAutoSession(); // whatever this thread (a reused JUnit thread) made before is not this test's
      runtime.currentSession();
    }
    return new TestScope(owner, monitor, settings, session, processChecks);
  }

  SnakeBridgeExtension owner() {
    return owner;
  }

  /** The test's explicit session, or null when it runs in its thread's automatic session. */
  Session session() {
    return session;
  }

  /**
   * Ends the test: releases its session, checks for leaks, shows the workers' output if the test failed.
   *
   * @throws AssertionFailedError listing the leaks, when they should fail a test that passed so far
   */
  void end(ExtensionContext context) {
    if (SnakeBridge.runtime() != runtime) {
      // Its session went with the old runtime, and the pool and processes are not comparable any more.
      System.err.println("SnakeBridge: " + context.getDisplayName() + " replaced the default runtime;"
          + " its leak checks were skipped");
      return;
    }
    List<String> problems = leaks();
    boolean alreadyFailed = context.getExecutionException().isPresent();
    boolean failNow = !problems.isEmpty() && settings.failOnLeaks() && !alreadyFailed;
    if (!problems.isEmpty() && !failNow) {
      // A test that failed already usually skipped its cleanup: its leaks are noise next to its failure.
      System.err.println("SnakeBridge: " + context.getDisplayName() + " leaked:\n  - " + String.join("\n  - ", problems));
    }
    if (alreadyFailed || failNow) {
      reportOutput(context);
    }
    if (failNow) {
      throw new AssertionFailedError("SnakeBridge leak check failed for " + context.getDisplayName() + ":\n  - "
          + String.join("\n  - ", problems));
    }
  }

  /** Prints the workers' output since the test began and publishes it as a report entry. */
  private void reportOutput(ExtensionContext context) {
    if (settings.outputLines() == 0) {
      return;
    }
    try {
      Thread.sleep(OUTPUT_SETTLE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<String> lines = monitor.linesSince(outputMark, settings.outputLines());
    if (lines.isEmpty()) {
      return;
    }
    String text = String.join("\n", lines);
    System.err.println("---- SnakeBridge worker output during " + context.getDisplayName() + " ----\n" + text
        + "\n---- end of worker output ----");
    context.publishReportEntry(OUTPUT_ENTRY, text);
  }

  /** Releases the test's session and returns what leaked, one sentence each; empty when nothing did. */
  private List<String> leaks() {
    List<String> problems = new ArrayList<>();
    String id = session != null ? session.id() : runtime.currentSession();
    int refs = monitor.refsReleasedBy(id, session != null ? session::close : runtime::releaseAutoSession);
    if (refs > 0) {
      problems.add(refs + " Python ref" + (refs == 1 ? " was" : "s were") + " still live in the test's session "
          + id + " after the test. Release each ref when done (PyRef.release() or SnakeBridge.releaseRef), or"
          + " make them in a Session you close; a dropped ref keeps its Python object alive until the garbage"
          + " collector happens to notice.");
    }
    if (processChecks) {
      problems.addAll(workerProblems());
      problems.addAll(childProblems());
    }
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
        return stray.stream().map(TestScope::strayChild).toList();
      }
      pause();
    }
  }

  private static String strayChild(ProcessHandle p) {
    ProcessHandle.Info info = p.info();
    String command = info.commandLine().or(info::command).orElse("command unknown");
    // The boot script's name gives away the worker of a runtime the test created and did not close.
    String fix = command.contains("snakebridge_boot") || command.contains("snakebridge_forkserver") ? "a runtime the test created must be closed"
        : "stop it (Process.destroy, waitFor) before the test ends";
    return "child process " + p.pid() + " (" + command + ") started during the test is still running: " + fix + ".";
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
