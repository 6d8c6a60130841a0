package dev.snakebridge.internal.call;

import dev.snakebridge.SnakeBridgeException;
import dev.snakebridge.internal.bulk.LargeBuffers;
import dev.snakebridge.internal.call.Requests.Prepared;
import dev.snakebridge.internal.call.Requests.Sent;
import dev.snakebridge.internal.worker.NotSentException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The second half of the request path: sends a prepared request and waits (or completes a future), with
 * the one resend policy: a request its worker never read goes, prepared again, to another worker of the
 * pool, unless the refs it passes pin it to the dead one. A request's bulk files go once its attempt is
 * over.
 */
final class Sender {
  /** How often a call whose worker never read it is sent elsewhere. */
  private static final int MAX_RESENDS = 3;

  private final LargeBuffers large;
  private final Executor resends;

  /**
   * {@code resends} runs the resending of asynchronous calls: never the thread that failed them, which
   * is the dead worker's reader, in the middle of handling that death (routing may wait for a
   * replacement worker, which that handling is about to start).
   */
  Sender(LargeBuffers large, Executor resends) {
    this.large = large;
    this.resends = resends;
  }

  /** Sends and waits; a request its worker never read is prepared again and sent to another one. */
  Sent sendSync(Prepared first, Supplier<Prepared> again) {
    Prepared request = first;
    for (int attempt = 0; ; attempt++) {
      try {
        return new Sent(request.worker().connection().call(request.sink(), request.timeout(), !request.admitted()),
            request.worker(), request.threadBound());
      } catch (NotSentException e) {
        if (!mayResend(request, attempt)) {
          throw e.reason();
        }
      } finally {
        large.discard(request.files());
      }
      request = again.get();
      if (request == null) {
        throw new SnakeBridgeException("nothing left to send");
      }
    }
  }

  CompletableFuture<Sent> sendAsync(Prepared request, Supplier<Prepared> again, int attempt) {
    CompletableFuture<Sent> sent = new CompletableFuture<>();
    request.worker().connection().callAsync(request.sink(), request.timeout(), !request.admitted())
        .whenComplete((frame, error) -> {
          large.discard(request.files());
          if (error == null) {
            sent.complete(new Sent(frame, request.worker(), request.threadBound()));
          } else if (error instanceof NotSentException notSent) {
            if (!mayResend(request, attempt)) {
              sent.completeExceptionally(notSent.reason());
              return;
            }
            resend(sent, again, attempt + 1);
          } else {
            sent.completeExceptionally(error);
          }
        });
    return sent;
  }

  private void resend(CompletableFuture<Sent> sent, Supplier<Prepared> again, int attempt) {
    Runnable send = () -> {
      try {
        sendAsync(again.get(), again, attempt).whenComplete((s, e) -> {
          if (e == null) {
            sent.complete(s);
          } else {
            sent.completeExceptionally(e);
          }
        });
      } catch (RuntimeException e) {
        sent.completeExceptionally(e);
      }
    };
    try {
      resends.execute(send);
    } catch (RejectedExecutionException closing) {
      sent.completeExceptionally(new SnakeBridgeException("this SnakeBridge runtime is closed"));
    }
  }

  /** The one resend policy: refs pin a request to the worker that holds them. */
  private static boolean mayResend(Prepared request, int attempt) {
    return !request.pinned() && attempt < MAX_RESENDS;
  }
}
