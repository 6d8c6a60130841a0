package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Many threads at once: every answer reaches the thread that asked. */
class ConcurrencyIT {
  @Test
  void eightThreadsGetTheirOwnAnswers() throws Exception {
    try (SnakeBridgeRuntime py = Workers.start(2);
        ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        results.add(pool.submit(() -> {
          int checked = 0;
          for (int i = 0; i < 300; i++) {
            String tag = "t" + thread + "-" + i;
            assertThat(py.callHelper("sb_test_helpers.add", tag, "!")).isEqualTo(tag + "!");
            assertThat(py.call("math", "sqrt", (double) i * i)).isEqualTo((double) i);
            checked++;
          }
          return checked;
        }));
      }
      for (Future<Integer> f : results) {
        assertThat(f.get()).isEqualTo(300);
      }
    }
  }

  @Test
  void oneThreadProfileWorkerServesSlowCallsConcurrently() throws Exception {
    PoolConfig threads = PoolConfig.builder("default").size(1).profile(WorkerProfile.THREAD).threadsPerWorker(8).build();
    try (SnakeBridgeRuntime py = SnakeBridgeRuntime.create(Workers.config(1).pool(threads).build());
        ExecutorService pool = Executors.newFixedThreadPool(7)) {
      long start = System.nanoTime();
      List<Future<Object>> results = new ArrayList<>();
      // Seven slow calls leave the worker's eighth thread free.
      for (int t = 0; t < 7; t++) {
        int value = t;
        results.add(pool.submit(() -> py.callHelper("sb_test_helpers.sleep_then", value, 2.0)));
      }
      // A short call is answered while the slow ones run.
      Thread.sleep(200);
      assertThat(py.call("math", "sqrt", 9)).isEqualTo(3.0);
      assertThat(results).as("slow calls still running when the quick one was answered").noneMatch(Future::isDone);
      for (int t = 0; t < 7; t++) {
        assertThat(results.get(t).get()).isEqualTo((long) t);
      }
      long totalMillis = (System.nanoTime() - start) / 1_000_000;
      // Serially these would take 14 s; concurrently about 2 s.
      assertThat(totalMillis).isLessThan(8000);
    }
  }
}
