package dev.snakebridge.internal.codec;

import dev.snakebridge.NDArray;
import dev.snakebridge.PyTable;
import dev.snakebridge.internal.bulk.LargeBuffers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes the bulk values of {@link ArrayDescriptor}: {@link NDArray}s, {@link PyTable}s, and primitive
 * arrays, byte arrays and strings large enough to go through shared memory. Remembers the files it wrote and the arena slots it
 * leased, which the sender removes or settles once the call is over (the receiver normally unlinks the
 * files first, and gives slots back when its views die). Not thread-safe: one per
 * encoder.
 */
final class BulkWriter {
  private final ByteSink out;
  private final LargeBuffers large;
  private final List<Path> created = new ArrayList<>(2);

  BulkWriter(ByteSink out, LargeBuffers large) {
    this.out = out;
    this.large = large;
  }

  List<Path> created() {
    return created;
  }

  /** Whether {@code count} elements of {@code itemSize} bytes go through shared memory. */
  static boolean isLarge(LargeBuffers large, int count, int itemSize) {
    return large != null && large.isLarge((long) count * itemSize);
  }

  /** A large 1-D Java array as an NDARRAY in shared memory, filled by {@code source}. */
  void largeArray(NDArray.DType dtype, int count, LargeBuffers.Source source) {
    header(dtype, NDArray.Order.C, new long[] {count});
    long nbytes = (long) count * dtype.itemSize();
    shared(large.place(nbytes, source), nbytes);
  }

  /** A byte[] (or a String's UTF-8) of at least the threshold as LARGE_BYTES / LARGE_STR. */
  void largeBytes(byte tag, byte[] data) {
    out.u8(tag);
    out.i64(data.length);
    shared(large.place(ByteBuffer.wrap(data)), data.length);
  }

  void largeString(String s) {
    largeBytes(WireTag.LARGE_STR, s.getBytes(StandardCharsets.UTF_8));
  }

  void ndarray(NDArray a) {
    header(a.dtype(), a.order(), a.shape());
    buffer(a.buffer());
  }

  void table(PyTable t, ValueEncoder strings) {
    out.u8(WireTag.TABLE);
    out.i32(t.columnCount());
    out.i64(t.rowCount());
    for (PyTable.Column c : t.columns()) {
      out.utf8(c.name());
      switch (c) {
        case PyTable.Column.Doubles d -> {
          out.u8(ArrayDescriptor.KIND_DOUBLE);
          column(d.values().length, 8, (into, from, n) -> into.asDoubleBuffer().put(d.values(), (int) (from / 8), n / 8),
              () -> PrimitiveArrays.raw(out, d.values()));
        }
        case PyTable.Column.Longs l -> {
          out.u8(ArrayDescriptor.KIND_LONG);
          column(l.values().length, 8, (into, from, n) -> into.asLongBuffer().put(l.values(), (int) (from / 8), n / 8),
              () -> PrimitiveArrays.raw(out, l.values()));
        }
        case PyTable.Column.Booleans b -> {
          out.u8(ArrayDescriptor.KIND_BOOL);
          boolean[] v = b.values();
          column(v.length, 1, (into, from, n) -> {
            for (int i = 0; i < n; i++) {
              into.put(i, v[(int) from + i] ? (byte) 1 : 0);
            }
          }, () -> PrimitiveArrays.raw(out, v));
        }
        case PyTable.Column.Strings s -> {
          out.u8(ArrayDescriptor.KIND_STRING);
          out.u8(WireTag.LIST);
          out.i32(s.values().length);
          for (String v : s.values()) {
            strings.encode(v);
          }
        }
      }
    }
  }

  private void column(int count, int itemSize, LargeBuffers.Source source, Runnable inline) {
    long nbytes = (long) count * itemSize;
    if (large != null && large.isLarge(nbytes)) {
      shared(large.place(nbytes, source), nbytes);
    } else {
      out.u8(ArrayDescriptor.LOCATION_INLINE);
      out.i64(nbytes);
      inline.run();
    }
  }

  private void header(NDArray.DType dtype, NDArray.Order order, long[] shape) {
    out.u8(WireTag.NDARRAY);
    out.u8(dtype.code());
    out.u8(order == NDArray.Order.C ? ArrayDescriptor.ORDER_C : ArrayDescriptor.ORDER_F);
    out.u8(shape.length);
    for (long d : shape) {
      out.i64(d);
    }
  }

  private void buffer(ByteBuffer data) {
    if (large != null && large.isLarge(data.remaining())) {
      shared(large.place(data), data.remaining());
    } else {
      out.u8(ArrayDescriptor.LOCATION_INLINE);
      out.i64(data.remaining());
      out.bytes(data);
    }
  }

  private void shared(LargeBuffers.Placed placed, long nbytes) {
    created.add(placed.token());
    if (placed.lease() == 0) {
      out.u8(ArrayDescriptor.LOCATION_SHARED);
      out.utf8(placed.path());
    } else {
      out.u8(ArrayDescriptor.LOCATION_SLOT);
      out.utf8(placed.path());
      out.i64(placed.lease());
    }
    out.i64(nbytes);
  }
}
