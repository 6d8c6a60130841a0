package dev.snakebridge.internal.bulk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The slots this JVM sends large buffers from: reusable shared-memory files, so a transfer writes into
 * pages that exist already instead of making the kernel allocate and zero new ones (about 2 µs per 4 KiB
 * page on a small VM: 40 ms for 80 MB, ten times the copy). Each slot is one file holding one buffer at a
 * time, mapped once here and once by each worker that receives from it; the worker gives it back (the
 * {@link SlotWords#RELEASED} word) when its numpy view dies. Slot files stay in the shared directory while
 * this JVM lives because any worker may be the receiver; {@link #close()} removes them, and
 * {@link LargeBuffers#sweepDead()} those of a JVM that was killed. The Python side, {@code arena.py},
 * is the same allocator for the other direction.
 *
 * <p>Thread-safe: leasing takes a lock (microseconds; the copy happens outside it).
 */
final class BulkArena {
  /** Slot capacities are whole MiB, so buffers of slightly different sizes reuse a slot. */
  static final long GRAIN = 1L << 20;
  /** The largest slot: one Java buffer maps it. Larger buffers go through files. */
  static final long MAX_SLOT = 1L << 30;

  /** A slot handed out for one transfer; {@code token} names it in the list of what a call created. */
  record Lease(Slot slot, long gen, ByteBuffer data, Path token) {}

  static final class Slot {
    final Path path;
    final MappedByteBuffer header;
    final MappedByteBuffer data;
    final long capacity;
    long gen;

    Slot(Path path, MappedByteBuffer header, MappedByteBuffer data, long capacity) {
      this.path = path;
      this.header = header;
      this.data = data;
      this.capacity = capacity;
    }

    boolean isFree() {
      return SlotWords.get(header, SlotWords.RELEASED) == SlotWords.get(header, SlotWords.LEASE);
    }
  }

  private final long cap;
  private final Supplier<Path> newPath;
  private final FileAttribute<?>[] attributes;
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Slot> slots = new ArrayList<>();
  private final Map<String, Lease> open = new ConcurrentHashMap<>();
  private long created;
  private long retired;

  BulkArena(long cap, Supplier<Path> newPath, FileAttribute<?>[] attributes) {
    this.cap = cap;
    this.newPath = newPath;
    this.attributes = attributes;
  }

  /** A free slot of at least {@code n} bytes, or null when the arena is full: the caller writes a file. */
  Lease lease(long n) {
    lock.lock();
    try {
      Slot slot = freeSlot(n);
      if (slot == null) {
        reclaimDeadHolders();
        slot = freeSlot(n);
      }
      if (slot == null) {
        slot = newSlot(n);
      }
      if (slot == null) {
        return null;
      }
      slot.gen++;
      SlotWords.set(slot.header, SlotWords.LEASE, slot.gen);
      Lease lease = new Lease(slot, slot.gen, slot.data.slice(0, (int) n).order(ByteOrder.LITTLE_ENDIAN),
          Path.of(slot.path + "#" + slot.gen));
      open.put(lease.token().toString(), lease);
      return lease;
    } finally {
      lock.unlock();
    }
  }

  private Slot freeSlot(long n) {
    Slot best = null;
    for (Slot s : slots) {
      if (s.capacity >= n && s.capacity <= Math.max(2 * n, n + GRAIN) && s.isFree()
          && (best == null || s.capacity < best.capacity)) {
        best = s;
      }
    }
    return best;
  }

  /** Leases claimed by a worker that has died since come back: nobody else will release them. */
  private void reclaimDeadHolders() {
    for (Slot s : slots) {
      long lease = SlotWords.get(s.header, SlotWords.LEASE);
      if (SlotWords.get(s.header, SlotWords.RELEASED) != lease && SlotWords.get(s.header, SlotWords.CLAIMED) == lease) {
        long holder = SlotWords.get(s.header, SlotWords.HOLDER);
        if (!ProcessHandle.of(holder).map(ProcessHandle::isAlive).orElse(false)) {
          SlotWords.set(s.header, SlotWords.RELEASED, lease);
        }
      }
    }
  }

  private Slot newSlot(long n) {
    long capacity = (n + GRAIN - 1) / GRAIN * GRAIN;
    if (capacity > cap || capacity > MAX_SLOT) {
      return null;
    }
    // Free slots of the wrong size give their room to this one, smallest first.
    List<Slot> free = new ArrayList<>();
    for (Slot s : slots) {
      if (s.isFree()) {
        free.add(s);
      }
    }
    free.sort((a, b) -> Long.compare(a.capacity, b.capacity));
    for (Slot s : free) {
      if (total() + capacity <= cap) {
        break;
      }
      retire(s);
    }
    if (total() + capacity > cap) {
      return null;
    }
    Path path = newPath.get();
    long size = SlotWords.DATA_OFFSET + capacity;
    try (FileChannel ch = FileChannel.open(path, java.util.Set.of(StandardOpenOption.CREATE_NEW,
        StandardOpenOption.READ, StandardOpenOption.WRITE), attributes)) {
      // Every page allocated now: a mapping of pages a full tmpfs cannot supply faults (SIGBUS) at the
      // first touch, where a write fails cleanly. Paid once per slot; the slot is then reused.
      BufferDirectories.reserve(ch, size);
      // An automatic arena: the mapping goes when the slot and every view of it are unreachable.
      // Mapped once for the slot's life: later transfers find the pages mapped, nothing to fault in.
      Slot slot = new Slot(path, ch.map(FileChannel.MapMode.READ_WRITE, 0, SlotWords.HEADER_BYTES),
          ch.map(FileChannel.MapMode.READ_WRITE, SlotWords.DATA_OFFSET, capacity), capacity);
      slots.add(slot);
      created++;
      return slot;
    } catch (IOException | RuntimeException e) {
      deleteQuietly(path);
      return null; // no room in the directory: the caller writes a file, in the fallback directory if need be
    }
  }

  private long total() {
    long sum = 0;
    for (Slot s : slots) {
      sum += s.capacity;
    }
    return sum;
  }

  private void retire(Slot s) {
    SlotWords.set(s.header, SlotWords.RETIRED, 1);
    deleteQuietly(s.path);
    slots.remove(s);
    retired++;
  }

  /** Whether {@code token} names a lease of this arena (else it is a plain file). */
  static boolean isToken(Path token) {
    return token.getFileName().toString().indexOf('#') >= 0;
  }

  /**
   * The transfer of {@code token} is over (answered, failed or timed out): a lease its receiver never
   * claimed retires its slot. It is not reused, because a receiver that comes late still reads it.
   */
  void settle(Path token) {
    Lease lease = open.remove(token.toString());
    if (lease == null) {
      return;
    }
    lock.lock();
    try {
      Slot s = lease.slot();
      if (slots.contains(s) && SlotWords.get(s.header, SlotWords.LEASE) == lease.gen()
          && SlotWords.get(s.header, SlotWords.CLAIMED) != lease.gen()) {
        retire(s);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Slots created and retired so far, and bytes held now: for tests and diagnostics. */
  long[] counters() {
    lock.lock();
    try {
      return new long[] {created, retired, total()};
    } finally {
      lock.unlock();
    }
  }

  /** Retires every slot: their files go; mappings go when the views of them do. */
  void close() {
    lock.lock();
    try {
      for (Slot s : List.copyOf(slots)) {
        retire(s);
      }
    } finally {
      lock.unlock();
    }
  }

  private static void deleteQuietly(Path f) {
    try {
      Files.deleteIfExists(f);
    } catch (IOException e) {
      // The sweep of a later start removes it (its name carries our pid).
    }
  }
}
