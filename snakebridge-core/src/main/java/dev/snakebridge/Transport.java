package dev.snakebridge;

/** How frames travel between the JVM and its workers. */
public enum Transport {
  /**
   * Two rings in a shared-memory file (under {@code /dev/shm}) with adaptive waiting, the pipes kept as
   * doorbell, for large frames and to notice a dead peer. Opt-in for now: faster by ~2 µs a call, and
   * newer than the pipes (docs/PERFORMANCE.md).
   */
  SHARED_MEMORY,
  /** Length-prefixed frames over the child's stdin and stdout pipes (the default). */
  PIPE;
}
