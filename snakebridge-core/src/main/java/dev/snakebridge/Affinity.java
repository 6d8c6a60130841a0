package dev.snakebridge;

/**
 * Where a call that passes no ref runs, relative to its session's home worker in the pool (a call that
 * passes refs always runs on the worker that holds them). See docs/SESSIONS.md for the table.
 */
public enum Affinity {
  /** On the home worker if it is free, else on the least-loaded worker of the pool (the default). */
  HINT,
  /** Always on the home worker, queued behind its other calls. */
  STRICT_QUEUE,
  /** On the home worker, or {@link WorkerBusyException} at once if it is busy. */
  STRICT_FAIL_FAST
}
