package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * 64 threads make random calls whose answers are checked (no lost, duplicated or crossed answer) while
 * workers are killed at random: sync calls, async calls, batches, a ref shared by every session, push
 * streams, and callbacks into Java. A call that fails may fail only because its worker was killed
 * ({@link WorkerCrashedException}, or a ref that died with it); everything else must be exact. Runs for
 * {@code snakebridge.load.seconds} (20 by default; the long profile runs 600).
 */
class LoadIT {
  private static final int THREADS = 64;

  @Test
  void randomCallsFromManyThreadsStayExactWhileWorkersAreKilled() throws Exception {
    long seconds = Long.getLong("snakebridge.load.seconds", 20);
    long seed = Long.getLong("snakebridge.load.seed", System.nanoTime());
    AtomicLong verified = new AtomicLong();
    AtomicLong crashed = new AtomicLong();
    AtomicLong kills = new AtomicLong();
    AtomicReference<Throwable> wrong = new AtomicReference<>();
    Map<String, Boolean> answers = new ConcurrentHashMap<>();
    try (SnakeBridgeRuntime py = Workers.start(4)) {
      py.registerCallback("twice", (java.util.function.Function<Long, Long>) x -> 2 * x);
      AtomicReference<PyRef> shared = new AtomicReference<>((PyRef) py.session("shared").call("sb_test_helpers", "Box", 1000L));
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch done = new CountDownLatch(THREADS);
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        Thread.ofPlatform().name("load-" + t).start(() -> {
          Random random = new Random(seed + thread);
          Session session = py.session("load-" + thread);
          try {
            while (!stop.get() && wrong.get() == null) {
              long n = random.nextInt(1_000_000);
              String token = thread + "-" + verified.get() + "-" + n;
              try {
                if (!checkOne(py, session, shared.get(), random.nextInt(7), n, token, answers)) {
                  throw new AssertionError("wrong answer for " + token);
                }
                verified.incrementAndGet();
              } catch (RefNotFoundException e) {
                // The shared ref's worker was killed: every session gets the new one.
                PyRef gone = shared.get();
                if (gone.isReleased() || e.getMessage().contains(gone.id())) {
                  shared.compareAndSet(gone, (PyRef) py.session("shared").call("sb_test_helpers", "Box", 1000L));
                }
                crashed.incrementAndGet();
              } catch (WorkerCrashedException e) {
                crashed.incrementAndGet(); // its worker was killed under it: allowed
              } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof WorkerCrashedException || e.getCause() instanceof RefNotFoundException) {
                  crashed.incrementAndGet();
                } else {
                  throw e;
                }
              }
            }
          } catch (Throwable e) {
            wrong.compareAndSet(null, new AssertionError("thread " + thread + " (seed " + seed + ")", e));
          } finally {
            done.countDown();
          }
        });
      }
      Random killer = new Random(seed);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() < end && wrong.get() == null) {
        Thread.sleep(500 + killer.nextInt(1500));
        // Forked workers share their template's command line: the templates are the JVM's children.
        List<Long> templates = ProcessHandle.current().children()
            .filter(p -> p.info().commandLine().orElse("").contains("snakebridge_forkserver"))
            .map(ProcessHandle::pid).toList();
        List<ProcessHandle> workers = ProcessHandle.current().descendants()
            .filter(p -> !templates.contains(p.pid()) && ResourceCounts.running(p)).toList();
        if (!workers.isEmpty()) {
          workers.get(killer.nextInt(workers.size())).destroyForcibly();
          kills.incrementAndGet();
        }
      }
      stop.set(true);
      assertThat(done.await(120, TimeUnit.SECONDS)).as("every thread ended").isTrue();
      if (wrong.get() != null) {
        throw new AssertionError(wrong.get());
      }
    }
    String summary = String.format("load: %d threads, %d s, %d calls verified, %d failed with a killed worker,"
        + " %d workers killed, seed %d%n", THREADS, seconds, verified.get(), crashed.get(), kills.get(), seed);
    System.out.print(summary);
    Path out = Path.of("target", "reliability", "load.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, summary, StandardCharsets.UTF_8);
    assertThat(verified.get()).isGreaterThan(THREADS);
  }

  /** One random call of kind {@code kind}; true when its answer is exactly the expected one. */
  private static boolean checkOne(SnakeBridgeRuntime py, Session session, PyRef shared, int kind, long n,
      String token, Map<String, Boolean> answers) throws Exception {
    return switch (kind) {
      case 0 -> session.call("sb_test_helpers", "add", n, 1L).equals(n + 1);
      case 1 -> List.of(token, n).equals(session.callAsync("sb_test_helpers", "echo_args", token, n).get(60, TimeUnit.SECONDS)
          instanceof List<?> l ? l.get(0) : null);
      case 2 -> {
        Batch batch = session.batch();
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          batch.call("sb_test_helpers", "add", n, (long) i);
        }
        results.addAll(batch.execute());
        boolean ok = results.size() == 5;
        for (int i = 0; i < results.size() && ok; i++) {
          ok = results.get(i).getOrThrow().equals(n + i);
        }
        yield ok;
      }
      case 3 -> session.method(shared, "__call__", n).equals(1000L + n); // a ref shared across sessions
      case 4 -> {
        List<Object> items = new ArrayList<>();
        py.pushEach(items::add, "sb_test_helpers", "count", 5L);
        yield items.equals(List.of(0L, 1L, 2L, 3L, 4L));
      }
      case 5 -> session.callHelper("sb_test_helpers.invoke_named", "twice", n).equals(2 * n);
      default -> {
        // No crossed answers: each token comes back to the thread that sent it, once.
        Object back = session.call("sb_test_helpers", "identity", token);
        yield token.equals(back) && answers.putIfAbsent(token, true) == null;
      }
    };
  }
}
