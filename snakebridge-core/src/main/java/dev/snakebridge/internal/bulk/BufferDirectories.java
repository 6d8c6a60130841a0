package dev.snakebridge.internal.bulk;

import dev.snakebridge.internal.telemetry.Logs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * Where large-buffer files go: the shared directory ({@code /dev/shm}) while it has room, else a
 * fallback directory on disk ({@code java.io.tmpdir}), slower but never a fault.
 *
 * <p>A file in {@code /dev/shm} is memory the kernel allocates page by page; a mapping of a file whose
 * pages were never allocated ({@code ftruncate}, or a write at its last byte) faults with SIGBUS at the
 * first touch of a page the tmpfs has no room for: an {@code InternalError} in the JVM, a dead Python
 * worker. So every file that is mapped for writing has its pages {@linkplain #reserve reserved} first,
 * where a full tmpfs fails a plain {@code write(2)} with {@code ENOSPC}: an {@link IOException}. A buffer
 * that does not fit goes to the fallback, and the first time that happens a WARN names the shared
 * directory, its free space and the fix (docs/DEPLOYMENT.md).
 *
 * <p>The worker (bulk.py) does the same with {@code posix_fallocate}; it is given the same fallback
 * directory ({@code SNAKEBRIDGE_BULK_FALLBACK_DIR}), and each side accepts buffer files from both.
 *
 * <p>Thread-safe.
 */
final class BufferDirectories {
  /** Zeros written to reserve pages; writes of this size cost fewer system calls than one per page. */
  private static final int RESERVE_BLOCK = 1 << 20;
  /** Room left beyond a buffer: a slot's header and rounding, and the other side's transfers. */
  private static final long MARGIN = 2L << 20;
  private static final AtomicBoolean WARNED = new AtomicBoolean();
  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(RESERVE_BLOCK).asReadOnlyBuffer();

  private final Path primary;
  private final Path fallback;
  private final FileStore store;

  BufferDirectories(Path primary) {
    this.primary = primary;
    this.store = store(primary);
    this.fallback = fallbackFor(primary, store);
  }

  /**
   * {@code java.io.tmpdir}, resolved, when it lies on another file system than {@code primary} (which
   * is {@code /dev/shm}, a tmpfs, unless configured otherwise); else null: a directory on the same file
   * system would have no more room.
   */
  static Path fallbackFor(Path primary) {
    return fallbackFor(primary, store(primary));
  }

  private static Path fallbackFor(Path primary, FileStore primaryStore) {
    Path tmp = realPath(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize());
    FileStore tmpStore = store(tmp);
    if (tmp.equals(primary) || primaryStore == null || tmpStore == null || primaryStore.equals(tmpStore)) {
      return null;
    }
    return tmp;
  }

  private static FileStore store(Path dir) {
    try {
      return Files.getFileStore(dir);
    } catch (IOException | RuntimeException e) {
      return null; // not there (yet): the first write names the directory when it fails
    }
  }

  static Path realPath(Path dir) {
    try {
      return dir.toRealPath();
    } catch (IOException e) {
      return dir; // missing: the first write says so, naming the directory
    }
  }

  Path primary() {
    return primary;
  }

  /** The directory buffers go to when the shared one is full, or null when there is none. */
  Path fallback() {
    return fallback;
  }

  /** Whether {@code dir} is one where a peer may put buffer files. */
  boolean accepts(Path dir) {
    return primary.equals(dir) || dir.equals(fallback);
  }

  /**
   * Whether the shared directory has room for {@code nbytes} now (its free space, which another
   * process may take before we do: {@link #reserve} is what makes a mapping safe).
   */
  boolean hasRoom(long nbytes) {
    if (store == null || fallback == null) {
      return true;
    }
    try {
      return store.getUsableSpace() >= nbytes + MARGIN;
    } catch (IOException e) {
      return true;
    }
  }

  /** Free bytes of the shared directory, or -1 when unknown. */
  long freeBytes() {
    try {
      return store == null ? -1 : store.getUsableSpace();
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Makes the file behind {@code ch} at least {@code length} bytes long with every page allocated, so
   * that a mapping of it never faults for want of room.
   *
   * @throws IOException when the file system has no room ({@code ENOSPC}); the file may be partly
   *     allocated, and the caller deletes it
   */
  static void reserve(FileChannel ch, long length) throws IOException {
    ByteBuffer zeros = ZEROS.duplicate();
    for (long done = 0; done < length; ) {
      int n = (int) Math.min(RESERVE_BLOCK, length - done);
      zeros.clear().limit(n);
      while (zeros.hasRemaining()) {
        done += ch.write(zeros, done);
      }
    }
  }

  /** Says once per JVM that buffers go to disk, and what to change. */
  void warnFallback(long nbytes, Object why) {
    if (WARNED.compareAndSet(false, true)) {
      long free = freeBytes();
      log().warn("{} has {} free, too little for a large buffer of {} ({}): large buffers go through files in {}"
          + " (on disk, slower) until it has room. Give the process more shared memory: docker run --shm-size=1g,"
          + " or in Kubernetes an emptyDir volume with medium: Memory mounted at /dev/shm (docs/DEPLOYMENT.md)."
          + " This is logged once.", primary, free < 0 ? "an unknown amount" : mib(free), mib(nbytes), why, fallback);
    }
  }

  private static String mib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  private static Logger log() {
    return Logs.get("snakebridge.bulk");
  }
}
