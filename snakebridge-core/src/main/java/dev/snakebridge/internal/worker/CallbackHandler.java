package dev.snakebridge.internal.worker;

import dev.snakebridge.internal.protocol.Frame;

/**
 * What the call engine handles of a worker's frames (it knows sessions and how to decode): Java callbacks
 * Python calls, callbacks Python let go of, and answers that came after their call timed out.
 */
public interface CallbackHandler {
  /** Called on the reading thread: must hand the work to another thread and return at once. */
  void onCallback(WorkerProcess worker, Frame frame);

  /** Python no longer references the anonymous callback {@code id}; called on the reading thread. */
  void onCallbackDropped(long id);

  /**
   * The answer of a call that timed out arrived after all: the objects it made must be released now,
   * or they would live as long as their session. Called on the reading thread.
   */
  void onLateAnswer(WorkerProcess worker, Frame frame);
}
