package dev.snakebridge.internal.call;

import dev.snakebridge.internal.callback.CallbackInvoker;
import dev.snakebridge.internal.callback.JavaExceptions;
import dev.snakebridge.internal.codec.ByteSink;
import dev.snakebridge.internal.codec.ValueDecoder;
import dev.snakebridge.internal.codec.ValueEncoder;
import dev.snakebridge.internal.codec.WireTag;
import dev.snakebridge.internal.protocol.Frame;
import dev.snakebridge.internal.protocol.FrameKind;
import dev.snakebridge.internal.session.SessionState;
import dev.snakebridge.internal.worker.WorkerConnection;
import dev.snakebridge.internal.worker.WorkerProcess;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Runs the Java callbacks Python calls. Each runs on a virtual thread of its own (never on the thread
 * reading the worker's frames, which must go on reading for the nested calls the callback may make), in
 * the session of the Python call that invoked it; its own calls go to the same worker, admitted even
 * when the worker is at capacity (the outer call is waiting for this one).
 */
final class Callbacks {
  /** The worker whose callback the current thread runs, or null. */
  private static final ThreadLocal<WorkerProcess> CALLING_WORKER = new ThreadLocal<>();

  private final CallEngine engine;

  Callbacks(CallEngine engine) {
    this.engine = engine;
  }

  /** The worker of the callback this thread is running, or null outside callbacks. */
  static WorkerProcess callingWorker() {
    return CALLING_WORKER.get();
  }

  /**
   * Runs {@code body} as work a call on {@code worker} waits for: its own calls go to that worker and
   * are admitted at once.
   */
  static <T> T onBehalfOf(WorkerProcess worker, Supplier<T> body) {
    WorkerProcess outer = CALLING_WORKER.get();
    CALLING_WORKER.set(worker);
    try {
      return body.get();
    } finally {
      if (outer == null) {
        CALLING_WORKER.remove();
      } else {
        CALLING_WORKER.set(outer);
      }
    }
  }

  /** Called on the reading thread: hands the callback to a thread of its own. */
  void onCallback(WorkerProcess worker, Frame frame) {
    try {
      engine.completions().execute(() -> run(worker, frame));
    } catch (RejectedExecutionException closing) {
      // Shutting down while calls drain: the Python caller still deserves its answer.
      Thread.ofVirtual().name("snakebridge-callback").start(() -> run(worker, frame));
    }
  }

  private void run(WorkerProcess worker, Frame frame) {
    SessionState session = null;
    try {
      byte[] payload = frame.payload();
      ValueDecoder header = new ValueDecoder(payload, 0, payload.length, (id, type, repr) -> {
        throw new IllegalStateException("a callback target cannot be a ref");
      }, items -> items);
      header.beginList();
      Object target = header.decode();
      String sessionId = (String) header.decode();
      session = engine.sessions().lookup(sessionId);
      if (session == null) {
        throw new IllegalStateException("the session " + sessionId + " of this callback was released");
      }
      int argsAt = header.position();
      List<?> rest = (List<?>) engine.decodeValue(wrapList(payload, argsAt), worker, session, false);
      Object function = target instanceof String name ? engine.callbacks().named(name) : engine.callbacks().get((Long) target).function();
      List<Object> args = new ArrayList<>((List<?>) rest.get(0));
      Map<String, Object> kwargs = new LinkedHashMap<>();
      ((Map<?, ?>) rest.get(1)).forEach((k, v) -> kwargs.put(String.valueOf(k), v));
      SessionState bound = session;
      Object result = engine.sessions().withSession(bound, () -> onBehalfOf(worker, () -> {
        try {
          return CallbackInvoker.invoke(function, args, kwargs);
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new CallbackFailure(e);
        }
      }));
      ByteSink answer = WorkerConnection.newRequestSink(32);
      RefArguments refs = engine.refArguments(bound);
      try {
        new ValueEncoder(answer, refs).encode(result);
      } catch (RuntimeException e) {
        refs.rollback();
        throw e;
      }
      worker.connection().sendFrame(FrameKind.CALLBACK_RESULT, frame.id(), answer);
    } catch (Throwable t) {
      Throwable cause = t instanceof CallbackFailure f ? f.getCause() : t;
      long id = engine.javaExceptions().remember(cause);
      ByteSink error = WorkerConnection.newRequestSink(256);
      new ValueEncoder(error, null).encodeListOf(
          cause.getClass().getName(), String.valueOf(cause.getMessage()), JavaExceptions.stackOf(cause), id);
      worker.connection().sendFrame(FrameKind.CALLBACK_ERROR, frame.id(), error);
    }
  }

  /** The elements from {@code at} to the end, as a list of two (args, kwargs) for a plain decode. */
  private static byte[] wrapList(byte[] payload, int at) {
    byte[] list = new byte[5 + payload.length - at];
    list[0] = WireTag.LIST;
    list[1] = 2;
    System.arraycopy(payload, at, list, 5, payload.length - at);
    return list;
  }

  /** Carries a checked exception out of the callback's lambda. */
  private static final class CallbackFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CallbackFailure(Exception cause) {
      super(cause);
    }
  }
}
