package dev.snakebridge;

import dev.snakebridge.internal.codec.ByteSink;
import dev.snakebridge.internal.codec.ValueEncoder;
import dev.snakebridge.internal.codec.WireTag;
import dev.snakebridge.internal.worker.WorkerProcess;

/**
 * Encodes the {@link PyRef}s found among a call's arguments and remembers which worker holds them: a
 * call that passes refs must run where they live. Not thread-safe: one per request.
 */
final class RefArguments implements ValueEncoder.Extension {
  private PyRef first;

  @Override
  public boolean encode(Object value, ByteSink out) {
    if (!(value instanceof PyRef ref)) {
      return false;
    }
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
    return true;
  }

  /** The worker of the refs passed, or null when there were none. */
  WorkerProcess worker() {
    return first == null ? null : first.state().worker();
  }
}
