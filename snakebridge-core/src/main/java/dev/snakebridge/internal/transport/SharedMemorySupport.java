package dev.snakebridge.internal.transport;

import dev.snakebridge.internal.telemetry.Logs;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * Whether this machine can carry frames through shared memory: the rings live in {@code /dev/shm} and
 * are laid out little-endian (the Python side maps them in native order). Where it cannot, the runtime
 * uses pipes instead of failing to start workers; the reason is logged once. So does a worker whose ring
 * file finds no room in {@code /dev/shm} (a container's 64 MiB, full): {@link #createRings}.
 */
public final class SharedMemorySupport {
  /** Where the ring files go. */
  public static final Path DIRECTORY = Path.of("/dev/shm");
  private static volatile Boolean available;
  private static final AtomicBoolean NO_ROOM_LOGGED = new AtomicBoolean();
  /** The private directory of ring files ({@link RingFiles#directory}); null until made, or when it cannot be. */
  private static volatile Path ringDirectory;
  private static final AtomicBoolean NO_DIRECTORY_LOGGED = new AtomicBoolean();

  private SharedMemorySupport() {}

  /** True when shared-memory rings can be used here. */
  public static boolean available() {
    Boolean known = available;
    if (known == null) {
      String reason = unavailableReason();
      if (reason != null) {
        log().info("shared-memory transport unavailable ({}): using pipes", reason);
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
        log().warn("cannot make a shared-memory ring file in {} ({}; {} free): those workers use pipes instead,"
            + " slower. Give the process more shared memory: docker run --shm-size=1g, or in Kubernetes an emptyDir"
            + " volume with medium: Memory mounted at /dev/shm (docs/DEPLOYMENT.md). This is logged once.",
            DIRECTORY, e.toString(), freeSpace());
      } else {
        log().debug("cannot make ring file {}: using pipes", file, e);
      }
      return null;
    }
  }

  /**
   * Makes, maps and removes one small ring file, when rings can be used here: the first mapping in a JVM
   * loads the memory-mapping machinery (tens of milliseconds of a cold JVM), which a spare thread can pay
   * while the first runtime starts instead of the first worker's start. Errors are ignored: the real
   * ring file reports them.
   */
  public static void warmUp() {
    if (!available()) {
      return;
    }
    Path file = newRingFile("warmup");
    if (file != null) {
      try {
        ShmChannel.createFile(file, 4096);
      } catch (IOException e) {
        // No room, say: the workers' own ring files meet the same and say so.
      } finally {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // The sweep of a later start removes it with the other files of this JVM.
        }
      }
    }
  }

  /**
   * A fresh path for {@code workerId}'s ring file in this user's private directory under {@code /dev/shm},
   * or null when that directory cannot be made or is not safe (the worker then uses pipes; a WARN says
   * why, once).
   */
  public static Path newRingFile(String workerId) {
    Path dir = ringDirectory();
    return dir == null ? null : RingFiles.newPath(dir, workerId);
  }

  private static Path ringDirectory() {
    Path dir = ringDirectory;
    if (dir == null) {
      try {
        dir = RingFiles.directory(DIRECTORY);
        ringDirectory = dir;
      } catch (IOException | RuntimeException e) {
        if (NO_DIRECTORY_LOGGED.compareAndSet(false, true)) {
          log().warn("no private directory for shared-memory rings ({}): workers use pipes instead. This is logged once.",
              e.getMessage());
        }
      }
    }
    return dir;
  }

  /**
   * Removes the ring files of JVMs that no longer run (killed while their workers started, before the
   * workers had mapped and unlinked them); returns how many. Called at each runtime's start.
   */
  public static int sweepDeadRings() {
    if (!available()) {
      return 0;
    }
    return RingFiles.sweepDead(DIRECTORY, ringDirectory());
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

  private static Logger log() {
    return Logs.get("snakebridge.transport");
  }
}
