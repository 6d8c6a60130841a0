package dev.snakebridge;

import dev.snakebridge.internal.protocol.Frame;
import dev.snakebridge.internal.worker.StreamCall;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A Python generator function pushed to Java as a {@link Flow.Publisher}. Each subscription runs the
 * generator afresh in a worker; demand ({@code request(n)}) becomes credit, so the worker never sends
 * more items than were asked for and a slow subscriber holds memory flat. Items arrive in batches and
 * are handed to the subscriber, in order, on a virtual thread of the subscription.
 */
final class PushPublisher implements Flow.Publisher<Object> {
  /** Opens the stream: routes, encodes and sends the STREAM request; items go to the given sink. */
  interface Opener {
    StreamCall open(java.util.function.Consumer<Frame> items);
  }

  private final Opener opener;
  private final Function<Frame, List<?>> decodeItems;
  private final Function<Frame, RuntimeException> decodeEnd;

  PushPublisher(Opener opener, Function<Frame, List<?>> decodeItems, Function<Frame, RuntimeException> decodeEnd) {
    this.opener = opener;
    this.decodeItems = decodeItems;
    this.decodeEnd = decodeEnd;
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
    private volatile StreamCall call;

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
      if (call == null) {
        start();
      }
      call.credit(n);
    }

    private synchronized void start() {
      if (call != null) {
        return;
      }
      call = opener.open(frame -> deliveries.add(decodeItems.apply(frame)));
      call.done().whenComplete((frame, error) -> {
        RuntimeException failure = error != null
            ? (error instanceof RuntimeException r ? r : new SnakeBridgeException(error.getMessage(), error))
            : decodeEnd.apply(frame);
        deliveries.add(new End(failure));
      });
      Thread.ofVirtual().name("snakebridge-push").start(this::deliver);
    }

    private void deliver() {
      try {
        while (true) {
          Object next = deliveries.take();
          if (next instanceof End end) {
            if (!cancelled.get()) {
              if (end.error() == null) {
                subscriber.onComplete();
              } else {
                subscriber.onError(end.error());
              }
            }
            return;
          }
          for (Object item : (List<?>) next) {
            if (cancelled.get()) {
              break;
            }
            try {
              subscriber.onNext(item);
            } catch (RuntimeException e) {
              // Flow rule 2.13: a subscriber that throws is broken; stop the stream.
              cancel();
              subscriber.onError(e);
              return;
            }
          }
        }
      } catch (InterruptedException e) {
        cancel();
      }
    }

    @Override
    public void cancel() {
      if (cancelled.compareAndSet(false, true) && call != null) {
        call.cancel();
      }
    }
  }
}
