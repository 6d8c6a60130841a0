package dev.snakebridge.internal.call;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * Feeds a push stream to a plain {@link Consumer}, asking for items in windows: a new window is
 * requested when half of the last one is consumed, so the worker rarely waits and memory holds at most
 * about one window.
 */
final class WindowedSubscriber implements Flow.Subscriber<Object> {
  private static final int WINDOW = 4096;

  private final Consumer<Object> consumer;
  private final CompletableFuture<Long> done;
  private Flow.Subscription subscription;
  private long count;
  private long outstanding;

  WindowedSubscriber(Consumer<Object> consumer, CompletableFuture<Long> done) {
    this.consumer = consumer;
    this.done = done;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    outstanding = WINDOW;
    s.request(WINDOW);
  }

  @Override
  public void onNext(Object item) {
    consumer.accept(item);
    count++;
    if (--outstanding == WINDOW / 2) {
      outstanding += WINDOW;
      subscription.request(WINDOW);
    }
  }

  @Override
  public void onError(Throwable error) {
    done.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    done.complete(count);
  }
}
