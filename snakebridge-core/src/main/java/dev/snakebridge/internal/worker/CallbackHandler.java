package dev.snakebridge.internal.worker;

import dev.snakebridge.internal.protocol.Frame;

/** Runs the Java callbacks Python calls: the runtime, which knows sessions and how to decode. */
@FunctionalInterface
public interface CallbackHandler {
  /** Called on the reading thread: must hand the work to another thread and return at once. */
  void onCallback(WorkerProcess worker, Frame frame);
}
