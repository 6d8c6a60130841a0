package dev.snakebridge.internal.call;

import dev.snakebridge.PyRef;
import dev.snakebridge.SnakeBridgeException;
import dev.snakebridge.internal.callback.CallbackTable;
import dev.snakebridge.internal.codec.ByteSink;
import dev.snakebridge.internal.codec.ValueEncoder;
import dev.snakebridge.internal.codec.WireTag;
import dev.snakebridge.internal.session.RefState;
import dev.snakebridge.internal.worker.WorkerProcess;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes what only the engine knows how to send: {@link PyRef}s (by id, remembering which worker holds
 * them: a call that passes refs must run there) and Java functions (registered as callbacks of the
 * call's session, sent by id). A ref of another runtime is refused before anything is sent. Callbacks
 * registered for a request that then fails to encode are taken back with {@link #rollback()}. Not
 * thread-safe: one per request.
 */
final class RefArguments implements ValueEncoder.Extension {
  private final CallEngine engine;
  private final Handles handles;
  private final CallbackTable callbacks;
  private final String session;
  private final List<Long> registered = new ArrayList<>(0);
  private RefState first;
  private boolean threadBound;

  RefArguments(CallEngine engine, Handles handles, CallbackTable callbacks, String session) {
    this.engine = engine;
    this.handles = handles;
    this.callbacks = callbacks;
    this.session = session;
  }

  @Override
  public boolean encode(Object value, ByteSink out) {
    if (value instanceof PyRef ref) {
      encodeRef(ref, out);
      return true;
    }
    if (CallbackTable.isCallback(value)) {
      long id = callbacks.add(value, session);
      registered.add(id);
      out.u8(WireTag.CALLBACK);
      out.i64(id);
      return true;
    }
    return false;
  }

  private void encodeRef(PyRef ref, ByteSink out) {
    CallEngine owner = handles.engineOf(ref);
    if (owner != engine) {
      throw new IllegalArgumentException("the ref " + ref + " belongs to " + owner.name() + ", not to " + engine.name()
          + " that this call was made on: a Python object lives in the workers of the runtime that made it");
    }
    RefState state = handles.stateOf(ref);
    state.checkUsable();
    threadBound |= state.isThreadBound() || state.session().isThreadBound();
    if (first == null) {
      first = state;
    } else if (first.worker() != state.worker()) {
      throw new SnakeBridgeException(
          "one call cannot use objects of two workers: " + first.id() + " lives in " + first.worker()
              + " and " + ref + " in " + state.worker() + " (Python objects cannot move between processes)");
    }
    out.u8(WireTag.REF_TO_PYTHON);
    out.utf8(state.id());
  }

  /** The worker of the refs passed, or null when there were none. */
  WorkerProcess worker() {
    return first == null ? null : first.worker();
  }

  /** Whether a ref passed belongs to a thread-bound session: the call must run on that thread too. */
  boolean passesThreadBoundRefs() {
    return threadBound;
  }

  /** The request will not be sent: forget the callbacks it registered. */
  void rollback() {
    registered.forEach(callbacks::drop);
    registered.clear();
  }
}
