package dev.snakebridge.internal.bulk;

import dev.snakebridge.SerializationException;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The workers' arena slots this JVM has mapped, by path: each is opened once, at its first transfer, and
 * its file unlinked at once (the JVM is the only receiver of a worker's slots, so the name is needed no
 * more, and nothing is left behind if the worker dies). A received buffer is a view of the slot
 * ({@link SlotViews}); the slot goes back to its worker when that view, and every buffer derived from it,
 * is unreachable.
 *
 * <p>Thread-safe.
 */
final class SlotMappings {
  /** One mapped slot: the channel stays open for per-view mappings (JDK 21). */
  private record Mapped(FileChannel channel, MappedByteBuffer header, Object whole, long size) {}

  private final Map<Path, Mapped> mapped = new ConcurrentHashMap<>();
  private final Supplier<Cleaner> cleaner;
  private final long pid = ProcessHandle.current().pid();

  /** {@code cleaner}: the cleaner of the views, asked for at the first mapping. */
  SlotMappings(Supplier<Cleaner> cleaner) {
    this.cleaner = cleaner;
  }

  /**
   * The {@code n} bytes of slot {@code file} under lease {@code gen}, little-endian, claimed for this JVM.
   *
   * @throws SerializationException when the slot is gone, too small, or leased again by its sender
   */
  ByteBuffer take(Path file, long gen, int n) {
    Mapped slot = mapped.get(file);
    if (slot == null) {
      forgetRetired();
      slot = mapped.computeIfAbsent(file, SlotMappings::open);
    }
    if (slot.size() < SlotWords.DATA_OFFSET + n) {
      throw new SerializationException("shared slot " + file + " holds " + (slot.size() - SlotWords.DATA_OFFSET)
          + " bytes, not " + n);
    }
    MappedByteBuffer header = slot.header();
    long lease = SlotWords.get(header, SlotWords.LEASE);
    if (lease != gen) {
      throw new SerializationException("shared slot " + file + " was taken back by its sender (lease " + lease
          + ", not " + gen + ")");
    }
    SlotWords.set(header, SlotWords.HOLDER, pid);
    SlotWords.set(header, SlotWords.CLAIMED, gen);
    ByteBuffer view;
    try {
      view = SlotViews.view(slot.whole(), slot.channel(), SlotWords.DATA_OFFSET, n);
    } catch (IOException e) {
      SlotWords.set(header, SlotWords.RELEASED, gen);
      throw new SerializationException("cannot map shared slot " + file + ": " + e);
    }
    // The action holds the header, not the view: it would never run otherwise.
    Cleaner.Cleanable cleanable = cleaner.get().register(view, () -> SlotWords.set(header, SlotWords.RELEASED, gen));
    EarlyRelease.register(view, cleanable::clean);
    return view.order(ByteOrder.LITTLE_ENDIAN);
  }

  private static Mapped open(Path file) {
    FileChannel ch = null;
    try {
      ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      long size = ch.size();
      if (size < SlotWords.DATA_OFFSET) {
        throw new SerializationException("shared slot " + file + " is " + size + " bytes, shorter than its header");
      }
      Mapped m = new Mapped(ch, ch.map(FileChannel.MapMode.READ_WRITE, 0, SlotWords.HEADER_BYTES),
          SlotViews.mapWhole(ch, size), size);
      if (m.whole() != null) {
        ch.close(); // the segment does not need it
      }
      return m;
    } catch (NoSuchFileException e) {
      throw new SerializationException("shared slot " + file + " is gone (its sender dropped it)");
    } catch (IOException e) {
      closeQuietly(ch);
      throw new SerializationException("cannot map shared slot " + file + ": " + e);
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // Its worker unlinks it when it retires the slot, and the sweep when the worker is dead.
      }
    }
  }

  /** Drops the slots their senders retired; views of them keep their memory until they die. */
  private void forgetRetired() {
    mapped.values().removeIf(m -> {
      boolean retired = SlotWords.get(m.header(), SlotWords.RETIRED) != 0;
      if (retired && m.whole() == null) {
        closeQuietly(m.channel()); // mappings outlive their channel
      }
      return retired;
    });
  }

  /** Drops the slots of workers that no longer run: {@code creator} reads the pid in a slot's name. */
  void forgetDead(LongPredicate alive, ToLongFunction<Path> creator) {
    mapped.entrySet().removeIf(e -> {
      boolean dead = !alive.test(creator.applyAsLong(e.getKey()));
      if (dead && e.getValue().whole() == null) {
        closeQuietly(e.getValue().channel());
      }
      return dead;
    });
  }

  int size() {
    return mapped.size();
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch == null) {
      return;
    }
    try {
      ch.close();
    } catch (IOException e) {
      // Nothing was written through it.
    }
  }
}
