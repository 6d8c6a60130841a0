package dev.snakebridge.internal.transport;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this machine can carry frames through shared memory: the rings live in {@code /dev/shm} and
 * are laid out little-endian (the Python side maps them in native order). Where it cannot, the runtime
 * uses pipes instead of failing to start workers; the reason is logged once.
 */
public final class SharedMemorySupport {
  /** Where the ring files go. */
  public static final Path DIRECTORY = Path.of("/dev/shm");
  private static final Logger LOG = LoggerFactory.getLogger("snakebridge.transport");
  private static volatile Boolean available;

  private SharedMemorySupport() {}

  /** True when shared-memory rings can be used here. */
  public static boolean available() {
    Boolean known = available;
    if (known == null) {
      String reason = unavailableReason();
      if (reason != null) {
        LOG.info("shared-memory transport unavailable ({}): using pipes", reason);
      }
      known = reason == null;
      available = known;
    }
    return known;
  }

  private static String unavailableReason() {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      return "big-endian machine";
    }
    if (!Files.isDirectory(DIRECTORY) || !Files.isWritable(DIRECTORY)) {
      return DIRECTORY + " is not a writable directory";
    }
    return null;
  }
}
