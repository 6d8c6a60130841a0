package dev.snakebridge;

import dev.snakebridge.internal.callback.CallbackInvoker;
import dev.snakebridge.internal.callback.CallbackTable;
import dev.snakebridge.internal.callback.JavaExceptions;
import dev.snakebridge.internal.codec.ByteSink;
import dev.snakebridge.internal.codec.ValueDecoder;
import dev.snakebridge.internal.codec.ValueEncoder;
import dev.snakebridge.internal.protocol.Frame;
import dev.snakebridge.internal.protocol.FrameKind;
import dev.snakebridge.internal.session.SessionRegistry;
import dev.snakebridge.internal.session.SessionState;
import dev.snakebridge.internal.worker.CallbackHandler;
import dev.snakebridge.internal.worker.WorkerConnection;
import dev.snakebridge.internal.worker.WorkerProcess;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * Runs the Java callbacks Python calls. Each runs on a virtual thread of its own (never on the thread
 * reading the worker's frames, which must go on reading for the nested calls the callback may make), in
 * the session of the Python call that invoked it; its own calls go to the same worker, admitted even
 * when the worker is at capacity (the outer call is waiting for this one).
 */
final class CallbackDispatcher implements CallbackHandler {
  /** The worker whose callback the current thread runs, or null. */
  private static final ThreadLocal<WorkerProcess> CALLING_WORKER = new ThreadLocal<>();

  private final SnakeBridgeRuntime runtime;
  private final SessionRegistry sessions;
  private final CallbackTable table;
  private final JavaExceptions exceptions;
  private final ExecutorService executor;

  CallbackDispatcher(SnakeBridgeRuntime runtime, SessionRegistry sessions, CallbackTable table,
      JavaExceptions exceptions, ExecutorService executor) {
    this.runtime = runtime;
    this.sessions = sessions;
    this.table = table;
    this.exceptions = exceptions;
    this.executor = executor;
  }

  /** The worker of the callback this thread is running, or null outside callbacks. */
  static WorkerProcess callingWorker() {
    return CALLING_WORKER.get();
  }

  @Override
  public void onCallbackDropped(long id) {
    table.drop(id);
  }

  @Override
  public void onCallback(WorkerProcess worker, Frame frame) {
    try {
      executor.execute(() -> run(worker, frame));
    } catch (java.util.concurrent.RejectedExecutionException closing) {
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
      }, PyTuple::wrap);
      header.beginList();
      Object target = header.decode();
      String sessionId = (String) header.decode();
      session = sessions.lookup(sessionId);
      if (session == null) {
        throw new IllegalStateException("the session " + sessionId + " of this callback was released");
      }
      int argsAt = header.position();
      List<?> rest = (List<?>) runtime.decodeValue(wrapList(payload, argsAt), worker, session);
      Object function = target instanceof String name ? table.named(name) : table.get((Long) target).function();
      List<Object> args = new ArrayList<>((List<?>) rest.get(0));
      Map<String, Object> kwargs = new LinkedHashMap<>();
      ((Map<?, ?>) rest.get(1)).forEach((k, v) -> kwargs.put(String.valueOf(k), v));
      SessionState bound = session;
      Object result = sessions.withSession(bound, () -> {
        CALLING_WORKER.set(worker);
        try {
          return CallbackInvoker.invoke(function, args, kwargs);
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new CallbackFailure(e);
        } finally {
          CALLING_WORKER.remove();
        }
      });
      ByteSink answer = WorkerConnection.newRequestSink(32);
      new ValueEncoder(answer, new CallArguments(table, bound.id())).encode(result);
      worker.connection().sendFrame(FrameKind.CALLBACK_RESULT, frame.id(), answer);
    } catch (Throwable t) {
      Throwable cause = t instanceof CallbackFailure f ? f.getCause() : t;
      long id = exceptions.remember(cause);
      ByteSink error = WorkerConnection.newRequestSink(256);
      new ValueEncoder(error, null).encodeListOf(
          cause.getClass().getName(), String.valueOf(cause.getMessage()), PyContext.stackOf(cause), id);
      worker.connection().sendFrame(FrameKind.CALLBACK_ERROR, frame.id(), error);
    }
  }

  /** The elements from {@code at} to the end, as a list of two (args, kwargs) for a plain decode. */
  private static byte[] wrapList(byte[] payload, int at) {
    byte[] list = new byte[5 + payload.length - at];
    list[0] = dev.snakebridge.internal.codec.WireTag.LIST;
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
