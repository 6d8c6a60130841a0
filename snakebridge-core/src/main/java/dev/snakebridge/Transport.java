package dev.snakebridge;

/** How frames travel between the JVM and its workers. */
public enum Transport {
  /**
   * Two rings in a shared-memory file (under {@code /dev/shm}) with adaptive waiting, the pipes kept as
   * doorbell, for large frames and to notice a dead peer. The default where {@code /dev/shm} is writable.
   */
  SHARED_MEMORY,
  /** Length-prefixed frames over the child's stdin and stdout pipes: the portable fallback. */
  PIPE;

  /** Shared memory where this machine offers it, else pipes. */
  static Transport bestAvailable() {
    java.nio.file.Path shm = java.nio.file.Path.of("/dev/shm");
    return java.nio.file.Files.isDirectory(shm) && java.nio.file.Files.isWritable(shm) ? SHARED_MEMORY : PIPE;
  }
}
