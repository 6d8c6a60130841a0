package dev.snakebridge.internal.worker;

import dev.snakebridge.internal.protocol.Frame;

/** Runs the Java callbacks Python calls: the runtime, which knows sessions and how to decode. */
public interface CallbackHandler {
  /** Called on the reading thread: must hand the work to another thread and return at once. */
  void onCallback(WorkerProcess worker, Frame frame);

  /** Python no longer references the anonymous callback {@code id}; called on the reading thread. */
  void onCallbackDropped(long id);
}
