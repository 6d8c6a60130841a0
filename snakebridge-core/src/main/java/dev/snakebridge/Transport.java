package dev.snakebridge;

/** How frames travel between the JVM and its workers. */
public enum Transport {
  /**
   * Two rings in a shared-memory file (under {@code /dev/shm}) with adaptive waiting, the pipes kept as
   * doorbell, for large frames and to notice a dead peer. <b>Experimental</b>: about 2 µs faster a call,
   * but a lost wake-up under sustained load (a call that then times out) is known and not yet found; see
   * docs/PERFORMANCE.md. Use {@link #PIPE} in production.
   */
  SHARED_MEMORY,
  /** Length-prefixed frames over the child's stdin and stdout pipes (the default). */
  PIPE;
}
