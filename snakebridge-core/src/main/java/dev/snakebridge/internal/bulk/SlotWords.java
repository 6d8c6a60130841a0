package dev.snakebridge.internal.bulk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The header of an arena slot: u64 words at the start of the file, each written by one side only, and
 * always read and written as single aligned volatile accesses (the other process reads them while we
 * write). {@code snakebridge/arena.py} mirrors these constants; docs/PROTOCOL.md has the layout.
 */
final class SlotWords {
  /** Generation of the current lease (sender). A slot is free when {@link #RELEASED} equals it. */
  static final int LEASE = 0;
  /** Generation the receiver is done with (receiver). */
  static final int RELEASED = 1;
  /** 1 once the sender dropped the slot (sender): receivers forget their mapping. */
  static final int RETIRED = 2;
  /** Generation the receiver has taken (receiver): a lease nobody claimed is never reused. */
  static final int CLAIMED = 3;
  /** Pid of the receiver that claimed the lease (receiver): a dead holder's lease comes back. */
  static final int HOLDER = 4;
  /** Bytes of the header mapping. */
  static final int HEADER_BYTES = 64;
  /** Where the buffer starts: one page for the header keeps the data page-aligned. */
  static final long DATA_OFFSET = 4096;

  /** Native order: both processes run on this machine, and Python's memoryview cast("Q") is native. */
  private static final VarHandle WORD = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private SlotWords() {}

  /** @param header a direct buffer over the first {@link #HEADER_BYTES} of the slot file */
  static long get(ByteBuffer header, int word) {
    return (long) WORD.getVolatile(header, 8 * word);
  }

  static void set(ByteBuffer header, int word, long value) {
    WORD.setVolatile(header, 8 * word, value);
  }
}
