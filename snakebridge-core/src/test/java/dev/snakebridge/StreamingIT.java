package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pull iteration in batches and push streams with backpressure, against real workers. */
class StreamingIT {
  static SnakeBridgeRuntime py;

  @BeforeAll
  static void start() {
    py = Workers.start(1);
  }

  @AfterAll
  static void stop() {
    py.close();
  }

  private static PyRef gen(String function, Object... args) {
    return (PyRef) py.callHelper("sb_test_helpers." + function, args);
  }

  @Test
  void aGeneratorIsAStreamAndAnIterator() {
    assertThat(py.stream(gen("count", 5)).collect(Collectors.toList())).isEqualTo(List.of(0L, 1L, 2L, 3L, 4L));
    Iterator<Object> it = py.iterator(gen("count", 3));
    assertThat(it.next()).isEqualTo(0L);
    assertThat(it.hasNext()).isTrue();
    assertThat(List.of(it.next(), it.next())).isEqualTo(List.of(1L, 2L));
    assertThat(it.hasNext()).isFalse();
    assertThat(py.stream(gen("with_nones")).toList()).isEqualTo(Arrays.asList(null, 1L, null));
  }

  @Test
  void takingTenFromAnInfiniteGeneratorFetchesLittleMore() {
    List<Object> ten = py.stream(gen("naturals")).limit(10).toList();
    assertThat(ten).hasSize(10).startsWith(0L).endsWith(9L);
    assertThat((Long) py.callHelper("sb_test_helpers.how_far_pulled")).isBetween(10L, 32L);
  }

  @Test
  void aLargeIterationTakesFewRoundTrips() {
    List<TelemetryEvent> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    py.telemetry().attach("count-trips", "call.stop", calls::add);
    try {
      PyRef big = gen("count", 100_000);
      calls.clear();
      assertThat(py.stream(big).mapToLong(o -> (Long) o).sum()).isEqualTo(99_999L * 100_000 / 2);
      assertThat(calls.size()).isBetween(2, 300);
    } finally {
      py.telemetry().detach("count-trips");
    }
  }

  @Test
  void anExhaustedGeneratorYieldsNothingTheSecondTimeButAListDoes() {
    PyRef g = gen("count", 3);
    assertThat(py.stream(g).count()).isEqualTo(3);
    assertThat(py.stream(g).count()).isZero();
    assertThat(g.isReleased()).isFalse();
    PyRef list = (PyRef) py.call("collections", "deque", List.of(1, 2));
    assertThat(py.stream(list).count()).isEqualTo(2);
    assertThat(py.stream(list).count()).isEqualTo(2);
  }

  @Test
  void aMillionPushedItemsArriveExactlyAndInOrder() {
    AtomicLong count = new AtomicLong();
    AtomicLong sum = new AtomicLong();
    AtomicLong expectedNext = new AtomicLong();
    AtomicLong outOfOrder = new AtomicLong();
    long pushed = py.pushEach(item -> {
      long v = (Long) item;
      if (v != expectedNext.getAndIncrement()) {
        outOfOrder.incrementAndGet();
      }
      count.incrementAndGet();
      sum.addAndGet(v);
    }, "sb_test_helpers", "count", 1_000_000);
    assertThat(pushed).isEqualTo(1_000_000);
    assertThat(count.get()).isEqualTo(1_000_000);
    assertThat(outOfOrder.get()).isZero();
    assertThat(sum.get()).isEqualTo(999_999L * 1_000_000 / 2);
  }

  @Test
  void aSlowSubscriberHoldsTheProducerBack() throws Exception {
    List<Object> received = new ArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    py.push("sb_test_helpers", "naturals").subscribe(new Flow.Subscriber<>() {
      Flow.Subscription s;

      @Override
      public void onSubscribe(Flow.Subscription s) {
        this.s = s;
        s.request(5);
      }

      @Override
      public void onNext(Object item) {
        received.add(item);
        if (received.size() == 5) {
          s.cancel();
          done.complete(null);
        }
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onComplete() {
        done.complete(null);
      }
    });
    done.get(10, TimeUnit.SECONDS);
    Thread.sleep(300);
    assertThat(received).containsExactly(0L, 1L, 2L, 3L, 4L);
    // The generator was advanced only as far as the demand (one item of look-ahead at most).
    assertThat((Long) py.callHelper("sb_test_helpers.how_far_pulled")).isLessThanOrEqualTo(6L);
  }

  @Test
  void cancellingMidwayRunsTheGeneratorsFinally() throws Exception {
    CompletableFuture<Void> cancelled = new CompletableFuture<>();
    py.push("sb_test_helpers", "guarded", 1_000_000, "cancel-me").subscribe(new Flow.Subscriber<>() {
      Flow.Subscription s;
      int n;

      @Override
      public void onSubscribe(Flow.Subscription s) {
        this.s = s;
        s.request(100);
      }

      @Override
      public void onNext(Object item) {
        if (++n == 50) {
          s.cancel();
          cancelled.complete(null);
        }
      }

      @Override
      public void onError(Throwable t) {
        cancelled.completeExceptionally(t);
      }

      @Override
      public void onComplete() {
        cancelled.completeExceptionally(new AssertionError("completed although cancelled"));
      }
    });
    cancelled.get(10, TimeUnit.SECONDS);
    long deadline = System.currentTimeMillis() + 5000;
    while (!Boolean.TRUE.equals(py.callHelper("sb_test_helpers.did_finally_run", "cancel-me"))
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertThat(py.callHelper("sb_test_helpers.did_finally_run", "cancel-me")).isEqualTo(true);
  }

  @Test
  void anErrorArrivesAfterTheItemsBeforeIt() {
    List<Object> seen = new ArrayList<>();
    assertThatThrownBy(() -> py.pushEach(seen::add, "sb_test_helpers", "fails_after", 7))
        .isInstanceOf(PythonException.class)
        .hasMessageContaining("generator failed after 7 items");
    assertThat(seen).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
  }
}
