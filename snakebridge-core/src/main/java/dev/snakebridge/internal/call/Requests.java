package dev.snakebridge.internal.call;

import dev.snakebridge.CallOptions;
import dev.snakebridge.Result;
import dev.snakebridge.SerializationException;
import dev.snakebridge.SnakeBridgeException;
import dev.snakebridge.internal.codec.ByteSink;
import dev.snakebridge.internal.codec.RequestWriter;
import dev.snakebridge.internal.codec.ValueEncoder;
import dev.snakebridge.internal.protocol.Frame;
import dev.snakebridge.internal.protocol.Op;
import dev.snakebridge.internal.session.SessionState;
import dev.snakebridge.internal.worker.WorkerConnection;
import dev.snakebridge.internal.worker.WorkerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The first half of the request path: encodes a call (or a batch of calls) and picks its worker. What
 * an encode registers — callbacks, bulk files — is taken back when the request cannot be built.
 */
final class Requests {
  /** A request encoded and routed; {@code pinned} when it passes refs, which only that worker holds. */
  record Prepared(ByteSink sink, WorkerProcess worker, Duration timeout, boolean pinned, boolean admitted,
      boolean threadBound, List<Path> files) {}

  /** An answer and the worker that gave it (the one whose objects its refs are). */
  record Sent(Frame answer, WorkerProcess worker, boolean threadBound) {}

  private final CallEngine engine;
  private final Router router;

  Requests(CallEngine engine, Router router) {
    this.engine = engine;
    this.router = router;
  }

  /** Encodes {@code spec}; {@code traceparent}, when not null, is carried to the worker (Op.MODIFIER_TRACE_CONTEXT). */
  Prepared prepare(SessionState session, CallSpec spec, String traceparent) {
    engine.requireOpen();
    ByteSink sink = WorkerConnection.newRequestSink(64);
    RefArguments refs = engine.refArguments(session);
    ValueEncoder encoder = new ValueEncoder(sink, refs, engine.large());
    try {
      RequestWriter writer = new RequestWriter(sink, encoder);
      writer.call(spec.opCode(), session.id(), traceparent, spec.operands());
      boolean bound = bindToOneThreadIfAsked(writer, session, refs);
      return route(sink, refs, session, spec.options(), spec.module(), bound, encoder.createdFiles());
    } catch (RuntimeException e) {
      refs.rollback();
      engine.large().discard(encoder.createdFiles());
      throw e;
    }
  }

  /**
   * Encodes a batch; a call that cannot be encoded gets its {@code Result.Err} in {@code results} now
   * and is left out. Returns null when no call is left.
   */
  Prepared prepareBatch(SessionState session, List<CallSpec> calls, CallOptions options, Result[] results,
      String traceparent) {
    engine.requireOpen();
    Arrays.fill(results, null);
    ByteSink sink = WorkerConnection.newRequestSink(64 + 48 * calls.size());
    RefArguments refs = engine.refArguments(session);
    ValueEncoder encoder = new ValueEncoder(sink, refs, engine.large());
    RequestWriter writer = new RequestWriter(sink, encoder);
    writer.beginBatch(Op.BATCH.code(), session.id(), traceparent);
    for (int i = 0; i < calls.size(); i++) {
      CallSpec call = calls.get(i);
      List<Path> files = encoder.createdFiles();
      int filesBefore = files.size();
      try {
        writer.batchCall(call.opCode(), session.id(), call.operands());
      } catch (RuntimeException e) {
        if (files.size() > filesBefore) {
          List<Path> failed = files.subList(filesBefore, files.size());
          engine.large().discard(failed);
          failed.clear();
        }
        results[i] = new Result.Err(e instanceof SnakeBridgeException sbe ? sbe
            : new SerializationException("call " + (i + 1) + " of the batch (" + call.context() + ") cannot be sent: " + e));
      }
    }
    try {
      if (writer.batchSize() == 0) {
        refs.rollback();
        return null;
      }
      boolean bound = bindToOneThreadIfAsked(writer, session, refs);
      return route(sink, refs, session, options, null, bound, encoder.createdFiles());
    } catch (RuntimeException e) {
      refs.rollback();
      engine.large().discard(encoder.createdFiles());
      throw e;
    }
  }

  /**
   * A thread-bound session's calls, and calls on its objects, run on the worker's one bound thread. Not
   * a callback's own calls: the bound thread may be the one waiting for that callback.
   */
  private static boolean bindToOneThreadIfAsked(RequestWriter writer, SessionState session, RefArguments refs) {
    if ((session.isThreadBound() || refs.passesThreadBoundRefs()) && Callbacks.callingWorker() == null) {
      writer.addOpModifier(Op.MODIFIER_THREAD_BOUND);
      return true;
    }
    return false;
  }

  /** Picks the worker of an encoded request: the refs' worker, a callback's worker, or the router's choice. */
  private Prepared route(ByteSink sink, RefArguments refs, SessionState session, CallOptions options, String module,
      boolean threadBound, List<Path> files) {
    // A callback's own calls (and a push consumer's) go to the worker that waits for them: they must be
    // admitted even when the worker is at capacity, or both would wait forever.
    WorkerProcess calling = Callbacks.callingWorker();
    WorkerProcess worker = refs.worker() != null ? refs.worker()
        : calling != null && calling.isAlive() ? calling
        : router.route(session, options);
    boolean admitted = calling != null && worker == calling;
    return new Prepared(sink, worker, router.timeout(options, module), refs.worker() != null, admitted, threadBound, files);
  }
}
