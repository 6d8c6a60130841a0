package dev.snakebridge.internal.bulk;

import dev.snakebridge.SerializationException;
import dev.snakebridge.internal.session.RandomIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Large buffers through shared memory: the JVM side of the {@code SHARED} and {@code SLOT} buffer
 * locations of the codec's bulk values (docs/PROTOCOL.md, "Bulk values"). A sender writes the bytes into a new file in the shared directory ({@code /dev/shm}
 * where it exists) and sends its path; the receiver maps the file and unlinks it at once, so a file lives
 * only between the two. Files whose receiver never came (a frame that was never decoded, a process that
 * died) are removed by the sender after the call ({@link #discard}) or, for a dead process, by {@link
 * #sweepDead()}.
 *
 * <p>Before writing a file, a sender takes a slot of its arena ({@link BulkArena} here, {@code arena.py} in
 * the worker): a file kept and reused, so the pages exist already (the {@code SLOT} location). Only when
 * the arena is full (its cap reached with every slot in use) or the buffer larger than the cap does a
 * transfer go through a new file.
 *
 * <p>A shared directory without room (a container's 64 MiB {@code /dev/shm}) never makes a mapping fault:
 * slots are reserved before they are mapped, and a buffer that does not fit goes through a file in the
 * fallback directory on disk ({@link BufferDirectories}).
 *
 * <p>Thread-safe.
 */
public final class LargeBuffers {
  /**
   * The start of every shared-memory file name; the creator's pid follows. Owned here, not by the codec:
   * the codec depends on this package and never the other way ({@code bulk.py} mirrors it).
   */
  public static final String FILE_PREFIX = "snakebridge-bulk-";
  private static final int STAGING_BYTES = 1 << 20;
  /** Live mapped bytes beyond which received buffers are copied to the heap rather than mapped. */
  public static final long DEFAULT_MAPPED_BUDGET = 1L << 30;
  /** Bytes of arena slots each sender may keep (this JVM, and each worker): see {@link BulkArena}. */
  public static final long DEFAULT_ARENA_BYTES = 256L << 20;
  private static final FileAttribute<?>[] OWNER_ONLY = ownerOnly();

  private final Path directory;
  private final BufferDirectories directories;
  private final int threshold;
  private final long pid = ProcessHandle.current().pid();
  private final ConcurrentLinkedQueue<ByteBuffer> staging = new ConcurrentLinkedQueue<>();
  private final AtomicLong filesWritten = new AtomicLong();
  private final AtomicLong filesMapped = new AtomicLong();
  private final AtomicLong liveMapped = new AtomicLong();
  /** Bytes this JVM put in shared memory for a worker, and bytes it took from one: for metrics. */
  private final java.util.concurrent.atomic.LongAdder bytesSent = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder bytesReceived = new java.util.concurrent.atomic.LongAdder();
  private final long mappedBudget;
  private final BulkArena arena;
  private final SlotMappings slots;
  /**
   * Counts mapped bytes back when a mapping becomes unreachable (every view of it holds it): a
   * mapping's memory is the JVM's own to free, only at garbage collection, which heap use alone may not
   * trigger for a long time. Its thread ends once this object and every mapping are gone. Made on the
   * first mapping: most runtimes start, and many run, without one.
   */
  private Cleaner cleaner; // guarded by cleanerLock
  private final Object cleanerLock = new Object();

  /**
   * @param directory where the files go; must exist
   * @param threshold buffers of at least this many bytes go through files
   */
  public LargeBuffers(Path directory, int threshold) {
    this(directory, threshold, DEFAULT_MAPPED_BUDGET);
  }

  /**
   * @param mappedBudget received buffers are mapped (views, no copy) while the live mappings take less
   *     than this; beyond it they are read into the heap, where the garbage collector sees them
   */
  public LargeBuffers(Path directory, int threshold, long mappedBudget) {
    this(directory, threshold, mappedBudget, DEFAULT_ARENA_BYTES);
  }

  /** @param arenaBytes bytes of reusable slots this JVM may keep to send from; 0 writes a file per buffer */
  public LargeBuffers(Path directory, int threshold, long mappedBudget, long arenaBytes) {
    this.directory = BufferDirectories.realPath(directory.toAbsolutePath().normalize());
    this.directories = new BufferDirectories(this.directory);
    this.threshold = threshold;
    this.mappedBudget = mappedBudget;
    // Classes, not lambdas, on the start path: see EngineParts.
    this.arena = new BulkArena(arenaBytes, new Supplier<Path>() {
      @Override
      public Path get() {
        return newPath(LargeBuffers.this.directory);
      }
    }, OWNER_ONLY);
    this.slots = new SlotMappings(new Supplier<Cleaner>() {
      @Override
      public Cleaner get() {
        return cleaner();
      }
    });
  }

  private Cleaner cleaner() {
    synchronized (cleanerLock) {
      if (cleaner == null) {
        cleaner = Cleaner.create(r -> {
          Thread t = new Thread(r, "snakebridge-bulk-cleaner");
          t.setDaemon(true);
          return t;
        });
      }
      return cleaner;
    }
  }

  /** {@code /dev/shm} when it is a writable directory (memory, not disk), else the temporary directory. */
  public static Path defaultDirectory() {
    Path shm = Path.of("/dev/shm");
    if (Files.isDirectory(shm) && Files.isWritable(shm)) {
      return shm;
    }
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  public Path directory() {
    return directory;
  }

  /**
   * Where large buffers go when the shared directory {@code directory} has no room: {@code
   * java.io.tmpdir}, resolved, when it lies on another file system; else empty. Workers are given it so
   * that both sides use, and accept, the same one.
   */
  public static Optional<Path> fallbackDirectory(Path directory) {
    return Optional.ofNullable(
        BufferDirectories.fallbackFor(BufferDirectories.realPath(directory.toAbsolutePath().normalize())));
  }

  public int threshold() {
    return threshold;
  }

  /** Whether a buffer of {@code nbytes} goes through a file. */
  public boolean isLarge(long nbytes) {
    return nbytes >= threshold;
  }

  /** Files written and files received (mapped or read, and unlinked) so far, for tests and diagnostics. */
  public long[] counters() {
    return new long[] {filesWritten.get(), filesMapped.get()};
  }

  /** Bytes sent to workers and received from them through shared memory so far: {@code {sent, received}}. */
  public long[] bytesMoved() {
    return new long[] {bytesSent.sum(), bytesReceived.sum()};
  }

  /** Bytes of received mappings still reachable. */
  public long liveMappedBytes() {
    return liveMapped.get();
  }

  /** Arena slots created, retired and bytes held; worker slots mapped now: for tests and diagnostics. */
  public long[] arenaCounters() {
    long[] a = arena.counters();
    return new long[] {a[0], a[1], a[2], slots.size()};
  }

  // ---------------------------------------------------------------- writing

  /**
   * Where {@link #place} put a buffer: {@code lease} 0 for a file of its own ({@code SHARED}), else the
   * lease number of an arena slot ({@code SLOT}); {@code token} goes to {@link #discard} after the call.
   */
  public record Placed(Path token, String path, long lease) {}

  /**
   * Copies {@code nbytes} from {@code source} into a free arena slot, or into a new file when the arena
   * is full.
   *
   * @throws SerializationException when neither can be written
   */
  public Placed place(long nbytes, Source source) {
    BulkArena.Lease lease = directories.hasRoom(nbytes) ? arena.lease(nbytes) : null;
    if (lease == null) {
      Path file = write(nbytes, source);
      return new Placed(file, file.toString(), 0);
    }
    try {
      for (long done = 0; done < nbytes; ) {
        int n = (int) Math.min(1 << 30, nbytes - done);
        source.copy(lease.data().slice((int) done, n).order(ByteOrder.LITTLE_ENDIAN), done, n);
        done += n;
      }
    } catch (RuntimeException e) {
      arena.settle(lease.token());
      throw e;
    }
    bytesSent.add(nbytes);
    return new Placed(lease.token(), lease.slot().path.toString(), lease.gen());
  }

  /** {@link #place} for the bytes {@code [position, limit)} of {@code data}. */
  public Placed place(ByteBuffer data) {
    ByteBuffer src = data.duplicate();
    int base = src.position();
    return place(src.remaining(), (into, from, count) -> into.put(0, src, base + (int) from, count));
  }

  /** Something that fills a staging buffer with the bytes {@code [from, from + count)} of a source. */
  @FunctionalInterface
  public interface Source {
    void copy(ByteBuffer into, long fromByte, int count);
  }

  /**
   * Writes {@code nbytes} taken from {@code source} into a new file and returns its path: in the shared
   * directory while it has room, else in the fallback directory (see {@link BufferDirectories}). Goes
   * through a small direct staging buffer: {@code write(2)} into tmpfs is cheaper than faulting in a
   * fresh writable mapping, page by page, and a full tmpfs fails it cleanly with {@code ENOSPC}.
   *
   * @throws SerializationException when the file cannot be written (directory full, not writable)
   */
  public Path write(long nbytes, Source source) {
    Path fallback = directories.fallback();
    Path dir = directory;
    if (fallback != null && !directories.hasRoom(nbytes)) {
      directories.warnFallback(nbytes, "no room");
      dir = fallback;
    }
    try {
      try {
        return writeIn(dir, nbytes, source);
      } catch (IOException e) {
        if (dir == fallback || fallback == null) {
          throw e;
        }
        // Taken between the check and the write, or a tmpfs of many small files: try the disk.
        directories.warnFallback(nbytes, e.getMessage());
        return writeIn(fallback, nbytes, source);
      }
    } catch (IOException e) {
      throw new SerializationException("cannot write a large buffer of " + nbytes + " bytes to " + e.getMessage()
          + " (shared-memory directory " + directory + ")");
    }
  }

  /** @throws IOException naming the file and why, after removing it */
  private Path writeIn(Path dir, long nbytes, Source source) throws IOException {
    Path path = newPath(dir);
    ByteBuffer stage = staging.poll();
    if (stage == null) {
      stage = ByteBuffer.allocateDirect(STAGING_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }
    try (FileChannel ch = FileChannel.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        OWNER_ONLY)) {
      for (long done = 0; done < nbytes; ) {
        int n = (int) Math.min(STAGING_BYTES, nbytes - done);
        stage.clear();
        source.copy(stage, done, n);
        stage.position(0).limit(n);
        while (stage.hasRemaining()) {
          ch.write(stage);
        }
        done += n;
      }
    } catch (IOException e) {
      deleteQuietly(path);
      throw new IOException(path + ": " + e, e);
    } catch (RuntimeException e) {
      deleteQuietly(path);
      throw new SerializationException("cannot write a large buffer of " + nbytes + " bytes to " + path
          + " (shared-memory directory " + directory + "): " + e);
    } finally {
      staging.offer(stage);
    }
    filesWritten.incrementAndGet();
    bytesSent.add(nbytes);
    return path;
  }

  /** Writes the bytes {@code [position, limit)} of {@code data} into a new file. */
  public Path write(ByteBuffer data) {
    ByteBuffer src = data.duplicate();
    int base = src.position();
    return write(src.remaining(), (into, from, count) -> into.put(0, src, base + (int) from, count));
  }

  Path newPath(Path dir) {
    return dir.resolve(FILE_PREFIX + pid + "-" + RandomIds.hex(8));
  }

  // ---------------------------------------------------------------- reading

  /**
   * The {@code nbytes} a worker put in its arena slot {@code path} under lease {@code lease}: a
   * little-endian view of the slot (no copy), which goes back to the worker once the view and every
   * buffer taken from it are unreachable.
   *
   * @throws SerializationException when the path is not a buffer file of the shared directory, or the
   *     slot is gone, too small, or leased again
   */
  public ByteBuffer mapSlot(String path, long lease, long nbytes) {
    Path file = checked(path);
    if (nbytes > Integer.MAX_VALUE) {
      throw new SerializationException("shared slot " + path + " of " + nbytes + " bytes is larger than 2 GiB,"
          + " the most one Java buffer can hold");
    }
    ByteBuffer view = slots.take(file, lease, (int) nbytes);
    filesMapped.incrementAndGet();
    bytesReceived.add(nbytes);
    return view;
  }

  /**
   * Maps the file {@code path} that the peer wrote ({@code nbytes} long), unlinks it, and returns the
   * mapping, read-only and little-endian. The memory stays valid until the buffer is garbage collected.
   * While live mappings exceed the budget, the bytes are read into a heap buffer instead (one copy).
   *
   * @throws SerializationException when the path is not a buffer file of the shared directory, or the
   *     file is gone or shorter than announced
   */
  public ByteBuffer map(String path, long nbytes) {
    Path file = checked(path);
    if (nbytes > Integer.MAX_VALUE) {
      deleteQuietly(file);
      throw new SerializationException("shared buffer " + path + " of " + nbytes + " bytes is larger than 2 GiB,"
          + " the most one Java buffer can hold");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < nbytes) {
        throw new SerializationException("shared buffer " + path + " holds " + size + " bytes, not " + nbytes);
      }
      filesMapped.incrementAndGet();
      bytesReceived.add(nbytes);
      if (liveMapped.get() + nbytes > mappedBudget) {
        return readToHeap(ch, (int) nbytes);
      }
      MappedByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, nbytes);
      liveMapped.addAndGet(nbytes);
      cleaner().register(mapped, () -> liveMapped.addAndGet(-nbytes));
      return mapped.order(ByteOrder.LITTLE_ENDIAN);
    } catch (NoSuchFileException e) {
      throw new SerializationException("shared buffer " + path + " is gone (its sender removed it: a call that"
          + " timed out, or a process that died)");
    } catch (IOException e) {
      throw new SerializationException("cannot map shared buffer " + path + ": " + e);
    } finally {
      deleteQuietly(file);
    }
  }

  /** Reads through the staging buffer: a heap buffer given to FileChannel.read would take a temporary direct one as large. */
  private ByteBuffer readToHeap(FileChannel ch, int nbytes) throws IOException {
    byte[] out = new byte[nbytes];
    ByteBuffer stage = staging.poll();
    if (stage == null) {
      stage = ByteBuffer.allocateDirect(STAGING_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }
    try {
      for (int done = 0; done < nbytes; ) {
        stage.clear().limit(Math.min(STAGING_BYTES, nbytes - done));
        int n = ch.read(stage, done);
        if (n < 0) {
          throw new IOException("end of file after " + done + " of " + nbytes + " bytes");
        }
        stage.flip().get(out, done, n);
        done += n;
      }
    } finally {
      staging.offer(stage);
    }
    return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The path of a buffer file in the shared directory, refusing anything else (a peer names it). */
  private Path checked(String path) {
    Path file = Path.of(path).toAbsolutePath().normalize();
    if (!directories.accepts(file.getParent()) || creatorPid(file.getFileName().toString()) < 0) {
      throw new SerializationException("refusing shared buffer path " + path + ": not a "
          + FILE_PREFIX + "* file of " + directory);
    }
    return file;
  }

  // ---------------------------------------------------------------- cleanup

  /** Removes files this JVM wrote whose receiver is done or will never come; missing ones are skipped. */
  public void discard(List<Path> files) {
    if (files.isEmpty()) {
      return; // every call without large buffers comes here
    }
    for (Path f : files) {
      if (BulkArena.isToken(f)) {
        arena.settle(f);
      } else {
        deleteQuietly(f);
      }
    }
  }

  /** Removes buffer files left in the directory by processes that no longer run; returns how many. */
  public int sweepDead() {
    int removed = sweepDead(directory);
    if (directories.fallback() != null) {
      removed += sweepDead(directories.fallback());
    }
    slots.forgetDead(LargeBuffers::isAlive, f -> creatorPid(f.getFileName().toString()));
    return removed;
  }

  /**
   * The creator's pid in a buffer file's name, {@code snakebridge-bulk-<pid>-<16 hex digits>}; -1 for any
   * other name. Parsed by hand: this runs at every runtime's start, where a regular expression (or a glob,
   * which is one) costs a fresh JVM its compilation.
   */
  static long creatorPid(String name) {
    int dash = name.lastIndexOf('-');
    if (!name.startsWith(FILE_PREFIX) || dash <= FILE_PREFIX.length() || name.length() - dash - 1 != 16
        || dash - FILE_PREFIX.length() > 18) {
      return -1;
    }
    for (int i = dash + 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return -1;
      }
    }
    long pid = 0;
    for (int i = FILE_PREFIX.length(); i < dash; i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      pid = pid * 10 + (c - '0');
    }
    return pid;
  }

  private static int sweepDead(Path directory) {
    int removed = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path f : files) {
        long creator = creatorPid(f.getFileName().toString());
        if (creator >= 0 && !isAlive(creator)) {
          removed += deleteQuietly(f) ? 1 : 0;
        }
      }
    } catch (IOException | UncheckedIOException | NumberFormatException e) {
      // A directory we cannot list holds nothing we could remove either.
    }
    return removed;
  }

  /** Removes this JVM's arena slots (at shutdown); views of them stay valid until they die. */
  public void close() {
    arena.close();
  }

  private static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static boolean deleteQuietly(Path f) {
    try {
      return Files.deleteIfExists(f);
    } catch (IOException e) {
      return false; // Not ours to fix: the sweep of a later start tries again.
    }
  }

  private static FileAttribute<?>[] ownerOnly() {
    try {
      return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
    } catch (UnsupportedOperationException e) {
      return new FileAttribute<?>[0];
    }
  }
}
