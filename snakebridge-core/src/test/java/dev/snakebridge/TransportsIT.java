package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The same behaviours over every transport, with and without polling. */
class TransportsIT {
  static Stream<Arguments> transports() {
    return Stream.of(
        Arguments.of(Transport.SHARED_MEMORY, 50),
        Arguments.of(Transport.SHARED_MEMORY, 0),
        Arguments.of(Transport.PIPE, 50),
        Arguments.of(Transport.PIPE, 0));
  }

  private static SnakeBridgeRuntime start(Transport transport, int spinMicros) {
    return SnakeBridgeRuntime.create(Workers.config(2).transport(transport)
        .spinWait(Duration.ofNanos(spinMicros * 1000L)).ringBytes(64 * 1024).build());
  }

  /** Ring files of this JVM left in /dev/shm, after giving workers still starting a moment to map theirs. */
  private static long ringFiles() throws Exception {
    long deadline = System.currentTimeMillis() + 5000;
    while (true) {
      long n = Workers.ringFiles();
      if (n == 0 || System.currentTimeMillis() > deadline) {
        return n;
      }
      Thread.sleep(20);
    }
  }

  @ParameterizedTest(name = "{0}, spin {1} us")
  @MethodSource("transports")
  void everythingWorksOverEachTransport(Transport transport, int spinMicros) throws Exception {
    try (SnakeBridgeRuntime py = start(transport, spinMicros)) {
      assertThat(ringFiles()).as("ring files are unlinked once mapped").isZero();
      assertThat(py.call("math", "sqrt", 16)).isEqualTo(4.0);
      // Frames far larger than the 64 KiB ring travel on the pipe, in order with the rest.
      byte[] big = new byte[3_000_000];
      new Random(3).nextBytes(big);
      assertThat((byte[]) py.callHelper("sb_test_helpers.identity", big)).isEqualTo(big);
      List<Object> many = new ArrayList<>();
      for (int i = 0; i < 5000; i++) {
        many.add("item-" + i);
      }
      assertThat(py.callHelper("sb_test_helpers.identity", many)).isEqualTo(many);
      // 16 threads at once, no mixed-up answers.
      try (ExecutorService threads = Executors.newFixedThreadPool(16)) {
        List<Future<Boolean>> results = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
          int thread = t;
          results.add(threads.submit(() -> {
            for (int i = 0; i < 200; i++) {
              String tag = thread + ":" + i;
              if (!py.callHelper("sb_test_helpers.add", tag, "!").equals(tag + "!")) {
                return false;
              }
            }
            return true;
          }));
        }
        for (Future<Boolean> r : results) {
          assertThat(r.get()).isTrue();
        }
      }
      // Callbacks nest, push streams push.
      Function<Object, Object>[] self = new Function[1];
      self[0] = d -> (Long) d == 0 ? "deep" : py.callHelper("sb_test_helpers.nest", self[0], (Long) d - 1);
      assertThat(py.callHelper("sb_test_helpers.nest", self[0], 5)).isEqualTo("deep");
      assertThat(py.pushEach(item -> { }, "sb_test_helpers", "count", 100_000)).isEqualTo(100_000);
      // A crash is noticed and the pool recovers.
      assertThatThrownBy(() -> py.callHelper("sb_test_helpers.exit_now", 2)).isInstanceOf(WorkerCrashedException.class);
      assertThat(py.call("math", "sqrt", 9)).isEqualTo(3.0);
    }
    assertThat(ringFiles()).isZero();
  }
}
