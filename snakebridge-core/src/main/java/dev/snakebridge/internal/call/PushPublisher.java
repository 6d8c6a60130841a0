package dev.snakebridge.internal.call;

import dev.snakebridge.CallTimeoutException;
import dev.snakebridge.SnakeBridgeException;
import dev.snakebridge.internal.protocol.Frame;
import dev.snakebridge.internal.session.SessionState;
import dev.snakebridge.internal.worker.NotSentException;
import dev.snakebridge.internal.worker.StreamCall;
import dev.snakebridge.internal.worker.WorkerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Python generator function pushed to Java as a {@link Flow.Publisher}. Each subscription runs the
 * generator afresh in a worker; demand ({@code request(n)}) becomes credit, so the worker never sends
 * more items than were asked for and a slow subscriber holds memory flat. Items arrive in batches and
 * are handed to the subscriber, in order, on a virtual thread of the subscription, which runs in the
 * session of the thread that called {@code push}; calls the subscriber makes go to the stream's worker
 * and are admitted at once (the stream waits for the subscriber).
 *
 * <p>Deadlines: the whole stream has its call's timeout, else {@link #STREAM_TIMEOUT}; when the call's
 * timeout profile gives a timeout, it is also the longest wait for each item while the subscriber has
 * demand. A stream past either is cancelled and ends with {@link CallTimeoutException}.
 */
final class PushPublisher implements Flow.Publisher<Object> {
  /** How long a push stream may run unless its options say otherwise. */
  static final Duration STREAM_TIMEOUT = Duration.ofMinutes(30);

  /** A stream request that was sent, and the worker running it. */
  record Opened(StreamCall call, WorkerProcess worker) {}

  private final CallEngine engine;
  private final SessionState session;
  private final CallSpec spec;
  private final Duration perItem;

  PushPublisher(CallEngine engine, SessionState session, CallSpec spec, Duration perItem) {
    this.engine = engine;
    this.session = session;
    this.spec = spec;
    this.perItem = perItem;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super Object> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    Subscription s = new Subscription(subscriber);
    subscriber.onSubscribe(s);
  }

  /** End of stream marker in the delivery queue. */
  private record End(RuntimeException error) {}

  private final class Subscription implements Flow.Subscription {
    private final Flow.Subscriber<? super Object> subscriber;
    private final LinkedBlockingQueue<Object> deliveries = new LinkedBlockingQueue<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    /** Items asked for and not yet delivered: only then is a slow generator the worker's fault. */
    private final AtomicLong demand = new AtomicLong();
    private volatile Opened opened;

    Subscription(Flow.Subscriber<? super Object> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      if (cancelled.get()) {
        return;
      }
      if (n <= 0) {
        cancel();
        subscriber.onError(new IllegalArgumentException("request(n) needs n > 0, got " + n + " (Flow rule 3.9)"));
        return;
      }
      demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
      if (opened == null) {
        start();
      }
      opened.call().credit(n);
    }

    private synchronized void start() {
      if (opened != null) {
        return;
      }
      Opened o = engine.openPush(session, spec,
          frame -> deliveries.add(engine.decodeValue(frame.payload(), opened.worker(), session, false)));
      opened = o;
      o.call().done().whenComplete((frame, error) -> {
        // A stream whose worker died before it started the generator is not sent again (its consumer's
        // callbacks are bound to that worker): the subscriber sees why, never the internal NotSentException.
        RuntimeException failure = error instanceof NotSentException notSent ? notSent.reason()
            : error != null
            ? (error instanceof RuntimeException r ? r : new SnakeBridgeException(error.getMessage(), error))
            : engine.streamEnd(frame, o.worker(), session, spec.context());
        deliveries.add(new End(failure));
      });
      Thread.ofVirtual().name("snakebridge-push").start(
          () -> engine.sessions().withSession(session, () -> Callbacks.onBehalfOf(o.worker(), this::deliver)));
    }

    private Void deliver() {
      try {
        while (true) {
          Object next = take();
          if (next == null) {
            cancel();
            subscriber.onError(new CallTimeoutException("no item from " + spec.context() + " within " + perItem
                + " (the per-item timeout of its timeout profile); the stream was cancelled", perItem));
            return null;
          }
          if (next instanceof End end) {
            if (!cancelled.get()) {
              if (end.error() == null) {
                subscriber.onComplete();
              } else {
                subscriber.onError(end.error());
              }
            }
            return null;
          }
          for (Object item : (List<?>) next) {
            if (cancelled.get()) {
              break;
            }
            demand.decrementAndGet();
            try {
              subscriber.onNext(item);
            } catch (RuntimeException e) {
              // Flow rule 2.13: a subscriber that throws is broken; stop the stream.
              cancel();
              subscriber.onError(e);
              return null;
            }
          }
        }
      } catch (InterruptedException e) {
        cancel();
        return null;
      }
    }

    /** The next delivery; null when the per-item timeout passed while items were asked for. */
    private Object take() throws InterruptedException {
      if (perItem == null) {
        return deliveries.take();
      }
      while (true) {
        Object next = deliveries.poll(perItem.toNanos(), TimeUnit.NANOSECONDS);
        if (next != null) {
          return next;
        }
        if (demand.get() > 0 && !cancelled.get()) {
          return null;
        }
      }
    }

    @Override
    public void cancel() {
      if (cancelled.compareAndSet(false, true) && opened != null) {
        opened.call().cancel();
      }
    }
  }
}
