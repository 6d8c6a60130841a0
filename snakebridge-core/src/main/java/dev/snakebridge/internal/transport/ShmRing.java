package dev.snakebridge.internal.transport;

import static dev.snakebridge.internal.transport.RingDescriptor.KIND_PAD;

import dev.snakebridge.internal.protocol.FrameDescriptor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One single-producer, single-consumer ring in a shared mapping (layout in {@link RingDescriptor}). The
 * producer copies a frame in and release-stores the write position; the consumer acquire-loads it,
 * copies the frame out and release-stores the read position. Callers serialise producers (the
 * connection's write lock) and consumers (its read lock).
 */
final class ShmRing {
  private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private final ByteBuffer map;
  private final int base;
  private final int capacity;
  private final int data;

  /** {@code map} must be little-endian (the constructor of {@link ShmChannel} sets it). */
  ShmRing(ByteBuffer map, int base, int capacity) {
    this.map = map;
    this.base = base;
    this.capacity = capacity;
    this.data = base + RingDescriptor.HEADER_LENGTH;
  }

  /** Writes the header of a fresh ring (the JVM does, before the worker maps the file). */
  void format() {
    map.putInt(base + RingDescriptor.MAGIC_OFFSET, RingDescriptor.MAGIC);
    map.putInt(base + RingDescriptor.VERSION_OFFSET, RingDescriptor.VERSION);
    map.putLong(base + RingDescriptor.CAPACITY_OFFSET, capacity);
    LONGS.setRelease(map, base + RingDescriptor.WRITE_POSITION_OFFSET, 0L);
    LONGS.setRelease(map, base + RingDescriptor.READ_POSITION_OFFSET, 0L);
    INTS.setRelease(map, base + RingDescriptor.SLEEPING_OFFSET, 0);
  }

  int capacity() {
    return capacity;
  }

  // ---------------------------------------------------------------- producer

  /**
   * Copies {@code frame[0, length)} in as one record, or returns false when it does not fit now (the
   * consumer has not caught up): the caller sends it another way.
   */
  boolean offer(byte[] frame, int length) {
    int record = RingDescriptor.align(length);
    long write = (long) LONGS.getOpaque(map, base + RingDescriptor.WRITE_POSITION_OFFSET);
    long read = (long) LONGS.getAcquire(map, base + RingDescriptor.READ_POSITION_OFFSET);
    int at = (int) (write & (capacity - 1));
    int toEnd = capacity - at;
    int needed = record <= toEnd ? record : toEnd + record;
    if (capacity - (write - read) < needed) {
      return false;
    }
    if (record > toEnd) {
      // The record must be contiguous: pad out the end of the data area and start again at 0.
      map.putInt(data + at, toEnd - 4);
      map.put(data + at + FrameDescriptor.KIND_OFFSET, (byte) KIND_PAD);
      write += toEnd;
      at = 0;
    }
    map.put(data + at, frame, 0, length);
    LONGS.setRelease(map, base + RingDescriptor.WRITE_POSITION_OFFSET, write + record);
    return true;
  }

  /** After publishing: whether the consumer sleeps on its doorbell (a full fence orders the two). */
  boolean consumerSleeping() {
    VarHandle.fullFence();
    return (int) INTS.getAcquire(map, base + RingDescriptor.SLEEPING_OFFSET) == 1;
  }

  // ---------------------------------------------------------------- consumer

  boolean isEmpty() {
    return (long) LONGS.getAcquire(map, base + RingDescriptor.WRITE_POSITION_OFFSET)
        == (long) LONGS.getOpaque(map, base + RingDescriptor.READ_POSITION_OFFSET);
  }

  int available() {
    return (int) ((long) LONGS.getAcquire(map, base + RingDescriptor.WRITE_POSITION_OFFSET)
        - (long) LONGS.getOpaque(map, base + RingDescriptor.READ_POSITION_OFFSET));
  }

  /**
   * Takes the next record: its bytes (a whole wire frame, header included), or null when the ring is
   * empty. Padding records are skipped.
   */
  byte[] poll() {
    while (true) {
      long read = (long) LONGS.getOpaque(map, base + RingDescriptor.READ_POSITION_OFFSET);
      long write = (long) LONGS.getAcquire(map, base + RingDescriptor.WRITE_POSITION_OFFSET);
      if (read == write) {
        return null;
      }
      int at = (int) (read & (capacity - 1));
      int length = map.getInt(data + at) + 4;
      int kind = map.get(data + at + FrameDescriptor.KIND_OFFSET) & 0xff;
      if (kind == KIND_PAD) {
        LONGS.setRelease(map, base + RingDescriptor.READ_POSITION_OFFSET, read + (capacity - at));
        continue;
      }
      if (length < FrameDescriptor.HEADER_LENGTH || length > capacity - at) {
        throw new IllegalStateException("corrupt shared-memory ring: record of " + length + " bytes at " + at);
      }
      byte[] record = new byte[length];
      map.get(data + at, record, 0, length);
      LONGS.setRelease(map, base + RingDescriptor.READ_POSITION_OFFSET, read + RingDescriptor.align(length));
      return record;
    }
  }

  /** Bytes the consumer has taken out of the ring so far (positions compare with {@link #offer}'s). */
  long readPosition() {
    return (long) LONGS.getAcquire(map, base + RingDescriptor.READ_POSITION_OFFSET);
  }

  /** The write position: where the last record offered ends. Producer side. */
  long writePosition() {
    return (long) LONGS.getOpaque(map, base + RingDescriptor.WRITE_POSITION_OFFSET);
  }

  /** The consumer's started position ({@link RingDescriptor#STARTED_OFFSET}). */
  long startedPosition() {
    return (long) LONGS.getAcquire(map, base + RingDescriptor.STARTED_OFFSET);
  }

  /** Marks the consumer asleep (or awake); a full fence orders it before the re-check that follows. */
  void setSleeping(boolean sleeping) {
    INTS.setRelease(map, base + RingDescriptor.SLEEPING_OFFSET, sleeping ? 1 : 0);
    VarHandle.fullFence();
  }
}
