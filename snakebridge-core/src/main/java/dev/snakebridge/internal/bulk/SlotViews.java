package dev.snakebridge.internal.bulk;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Makes per-transfer views of a mapped slot whose lifetime the JVM can see: a buffer that every buffer
 * derived from it (slices, duplicates, read-only and typed views) keeps reachable, so a {@code Cleaner}
 * on it runs only once none is left.
 *
 * <p>On JDK 22 and later the slot is mapped once as a {@code MemorySegment} of an automatic arena and each
 * view is {@code segment.asSlice(offset, n).asByteBuffer()}: a new root buffer over pages that are mapped
 * already. The foreign-memory API is a preview in JDK 21, our compile target, so it is reached through
 * method handles. On JDK 21 each view is a mapping of its own ({@code FileChannel.map}), whose pages fault
 * in again on first touch (about 5 ms per 80 MB on a small VM): correct, only slower.
 */
final class SlotViews {
  private static final MethodHandle OF_AUTO;
  private static final MethodHandle MAP_SEGMENT;
  private static final MethodHandle AS_SLICE;
  private static final MethodHandle AS_BYTE_BUFFER;

  static {
    MethodHandle ofAuto = null;
    MethodHandle map = null;
    MethodHandle slice = null;
    MethodHandle asBuffer = null;
    if (Runtime.version().feature() >= 22) {
      try {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        Class<?> arena = Class.forName("java.lang.foreign.Arena");
        Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
        ofAuto = lookup.findStatic(arena, "ofAuto", MethodType.methodType(arena));
        map = lookup.findVirtual(FileChannel.class, "map",
            MethodType.methodType(segment, FileChannel.MapMode.class, long.class, long.class, arena));
        slice = lookup.findVirtual(segment, "asSlice", MethodType.methodType(segment, long.class, long.class));
        asBuffer = lookup.findVirtual(segment, "asByteBuffer", MethodType.methodType(ByteBuffer.class));
      } catch (ReflectiveOperationException e) {
        ofAuto = null; // an unexpected JDK: per-view mappings work everywhere
      }
    }
    OF_AUTO = ofAuto;
    MAP_SEGMENT = map;
    AS_SLICE = slice;
    AS_BYTE_BUFFER = asBuffer;
  }

  private SlotViews() {}

  /** Whether views share one mapping per slot (JDK 22+). */
  static boolean shareMappings() {
    return OF_AUTO != null;
  }

  /**
   * The whole slot mapped once (a {@code MemorySegment}), or null where each view maps its own bytes.
   * The mapping lives while the segment or any view of it is reachable.
   */
  static Object mapWhole(FileChannel ch, long size) throws IOException {
    if (OF_AUTO == null) {
      return null;
    }
    try {
      return MAP_SEGMENT.invoke(ch, FileChannel.MapMode.READ_WRITE, 0L, size, OF_AUTO.invoke());
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new root buffer over {@code [offset, offset + n)} of the slot. */
  static ByteBuffer view(Object whole, FileChannel ch, long offset, int n) throws IOException {
    if (whole == null) {
      return ch.map(FileChannel.MapMode.READ_WRITE, offset, n);
    }
    try {
      return (ByteBuffer) AS_BYTE_BUFFER.invoke(AS_SLICE.invoke(whole, offset, (long) n));
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }
}
