package dev.snakebridge.internal.transport;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this machine can carry frames through shared memory: the rings live in {@code /dev/shm} and
 * are laid out little-endian (the Python side maps them in native order). Where it cannot, the runtime
 * uses pipes instead of failing to start workers; the reason is logged once. So does a worker whose ring
 * file finds no room in {@code /dev/shm} (a container's 64 MiB, full): {@link #createRings}.
 */
public final class SharedMemorySupport {
  /** Where the ring files go. */
  public static final Path DIRECTORY = Path.of("/dev/shm");
  private static final Logger LOG = LoggerFactory.getLogger("snakebridge.transport");
  private static volatile Boolean available;
  private static final AtomicBoolean NO_ROOM_LOGGED = new AtomicBoolean();

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

  /**
   * The formatted ring file {@code file} of {@code capacity} bytes per ring ({@link ShmChannel#createFile}),
   * or null when it cannot be made (no room in {@code /dev/shm}): that worker then uses pipes, and the
   * first time this happens in this JVM a WARN says why.
   */
  public static MappedByteBuffer createRings(Path file, int capacity) {
    try {
      return ShmChannel.createFile(file, capacity);
    } catch (IOException e) {
      if (NO_ROOM_LOGGED.compareAndSet(false, true)) {
        LOG.warn("cannot make a shared-memory ring file in {} ({}; {} free): those workers use pipes instead,"
            + " slower. Give the process more shared memory: docker run --shm-size=1g, or in Kubernetes an emptyDir"
            + " volume with medium: Memory mounted at /dev/shm (docs/DEPLOYMENT.md). This is logged once.",
            DIRECTORY, e.toString(), freeSpace());
      } else {
        LOG.debug("cannot make ring file {}: using pipes", file, e);
      }
      return null;
    }
  }

  private static String freeSpace() {
    try {
      return (Files.getFileStore(DIRECTORY).getUsableSpace() >> 20) + " MiB";
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
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
