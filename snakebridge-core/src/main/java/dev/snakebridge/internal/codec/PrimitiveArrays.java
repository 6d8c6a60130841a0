package dev.snakebridge.internal.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes Java primitive number arrays as one raw little-endian block (tag 0x16), never element by
 * element; the worker turns the block into a numpy array (or {@code array.array} without numpy).
 */
final class PrimitiveArrays {
  private PrimitiveArrays() {}

  private static ByteBuffer block(ByteSink out, char typeCode, int count, int elementSize) {
    out.u8(WireTag.PRIMITIVE_ARRAY);
    out.u8(typeCode);
    out.i32(count);
    int at = out.position();
    out.skip(Math.multiplyExact(count, elementSize));
    return ByteBuffer.wrap(out.array(), at, count * elementSize).order(ByteOrder.LITTLE_ENDIAN);
  }

  static void write(ByteSink out, double[] a) {
    block(out, 'd', a.length, 8).asDoubleBuffer().put(a);
  }

  static void write(ByteSink out, float[] a) {
    block(out, 'f', a.length, 4).asFloatBuffer().put(a);
  }

  static void write(ByteSink out, long[] a) {
    block(out, 'q', a.length, 8).asLongBuffer().put(a);
  }

  static void write(ByteSink out, int[] a) {
    block(out, 'i', a.length, 4).asIntBuffer().put(a);
  }

  static void write(ByteSink out, short[] a) {
    block(out, 'h', a.length, 2).asShortBuffer().put(a);
  }

  /** The raw little-endian bytes of {@code a}, no header (a table column). */
  static void raw(ByteSink out, double[] a) {
    raw(out, a.length, 8).asDoubleBuffer().put(a);
  }

  static void raw(ByteSink out, long[] a) {
    raw(out, a.length, 8).asLongBuffer().put(a);
  }

  /** One byte per element, 0 or 1, as numpy stores {@code bool}. */
  static void raw(ByteSink out, boolean[] a) {
    int at = out.position();
    out.skip(a.length);
    byte[] buf = out.array();
    for (int i = 0; i < a.length; i++) {
      buf[at + i] = a[i] ? (byte) 1 : 0;
    }
  }

  private static ByteBuffer raw(ByteSink out, int count, int elementSize) {
    int at = out.position();
    out.skip(Math.multiplyExact(count, elementSize));
    return ByteBuffer.wrap(out.array(), at, count * elementSize).order(ByteOrder.LITTLE_ENDIAN);
  }
}
