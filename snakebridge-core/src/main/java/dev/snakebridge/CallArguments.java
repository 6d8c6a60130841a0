package dev.snakebridge;

import dev.snakebridge.internal.callback.CallbackTable;
import dev.snakebridge.internal.codec.ByteSink;
import dev.snakebridge.internal.codec.ValueEncoder;
import dev.snakebridge.internal.codec.WireTag;
import dev.snakebridge.internal.worker.WorkerProcess;

/**
 * Encodes what only the runtime knows how to send: {@link PyRef}s (by id, remembering which worker
 * holds them: a call that passes refs must run there) and Java functions (registered as callbacks of
 * the call's session, sent by id). Not thread-safe: one per request.
 */
final class CallArguments implements ValueEncoder.Extension {
  private final CallbackTable callbacks;
  private final String session;
  private PyRef first;

  CallArguments(CallbackTable callbacks, String session) {
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
      out.u8(WireTag.CALLBACK);
      out.i64(callbacks.add(value, session));
      return true;
    }
    return false;
  }

  private void encodeRef(PyRef ref, ByteSink out) {
    ref.checkUsable();
    if (first == null) {
      first = ref;
    } else if (first.state().worker() != ref.state().worker()) {
      throw new SnakeBridgeException(
          "one call cannot use objects of two workers: " + first + " lives in " + first.state().worker()
              + " and " + ref + " in " + ref.state().worker() + " (Python objects cannot move between processes)");
    }
    out.u8(WireTag.REF_TO_PYTHON);
    out.utf8(ref.id());
  }

  /** The worker of the refs passed, or null when there were none. */
  WorkerProcess worker() {
    return first == null ? null : first.state().worker();
  }
}
