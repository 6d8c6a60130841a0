package dev.snakebridge;

/** How frames travel between the JVM and its workers. */
public enum Transport {
  /**
   * Two rings in a shared-memory file (under {@code /dev/shm}) with adaptive waiting, the pipes kept as
   * doorbell, for large frames and to notice a dead peer (the default). A busy caller never enters the
   * kernel; see docs/PERFORMANCE.md for what it saves. Where {@code /dev/shm} is missing or not writable
   * the runtime falls back to {@link #PIPE} and logs it.
   */
  SHARED_MEMORY,
  /** Length-prefixed frames over the child's stdin and stdout pipes: the fallback, and the simplest. */
  PIPE;
}
