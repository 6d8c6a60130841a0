package dev.snakebridge.internal.codec;

/**
 * Layout of the bulk values: n-dimensional arrays (tag 0x18), tables (tag 0x19), large bytes and strings
 * (tags 0x1A, 0x1B) and the raw buffer they all carry. {@code snakebridge/bulk.py} mirrors these constants; docs/PROTOCOL.md has the same diagrams.
 *
 * <pre>
 * NDARRAY (0x18):
 *  +-----+-------+-------+------+---------------------+-------------+
 *  | tag | dtype | order | ndim | shape: ndim × i64   | buffer      |
 *  +-----+-------+-------+------+---------------------+-------------+
 *   dtype: u8 type code ('d' f64, 'f' f32, 'q' i64, 'i' i32, 'h' i16, 'b' i8, 'B' u8, '?' bool)
 *   order: u8 'C' (row-major) or 'F' (column-major); ndim: u8, at most 32
 *
 * TABLE (0x19):
 *  +-----+--------------+-----------+---- ncols × -----------------------------------+
 *  | tag | ncols (u32)  | nrows i64 | name: str | kind u8 | buffer (d, q, ?) or list (s)
 *  +-----+--------------+-----------+------------------------------------------------+
 *   kind: 'd' float64, 'q' int64, '?' bool (one byte each): a buffer of nrows × size bytes;
 *         's' string: one encoded list (tag 0x08) of nrows values, each a str or None
 *
 * LARGE_BYTES (0x1A), LARGE_STR (0x1B): bytes, or a str as UTF-8, too large for a frame's comfort
 *  +-----+-----------+-------------+
 *  | tag | n (i64)   | buffer of n |
 *  +-----+-----------+-------------+
 *   what a sender uses instead of BYTES / STR for n at least the large-buffer threshold
 *
 * buffer:
 *  +----------+--------------------------------------------+
 *  | location | INLINE (0): u64 n, then n raw bytes        |
 *  |   u8     | SHARED (1): str path, u64 n                |
 *  |          | SLOT (2):   str path, u64 lease, u64 n     |
 *  +----------+--------------------------------------------+
 *   SHARED: a file of exactly n bytes named LargeBuffers.FILE_PREFIX + "&lt;creator pid&gt;-&lt;16 hex&gt;" in the shared
 *   directory both sides were given; the receiver maps it and unlinks it at once.
 *   SLOT: n bytes at offset 4096 of a reusable file of the sender's arena (named as above), under lease
 *   number {@code lease}; the receiver claims it and gives it back when its view dies (header words:
 *   SlotWords.java, arena.py).
 * </pre>
 *
 * All numbers are little-endian, as elsewhere in the protocol.
 */
public final class ArrayDescriptor {
  /** Layout version; bump together with {@code bulk.py}'s {@code LAYOUT_VERSION}. */
  public static final int LAYOUT_VERSION = 2;

  public static final int LOCATION_INLINE = 0;
  public static final int LOCATION_SHARED = 1;
  public static final int LOCATION_SLOT = 2;

  public static final int ORDER_C = 'C';
  public static final int ORDER_F = 'F';

  public static final int KIND_DOUBLE = 'd';
  public static final int KIND_LONG = 'q';
  public static final int KIND_BOOL = '?';
  public static final int KIND_STRING = 's';

  /** The most dimensions of an array on the wire (numpy's limit). */
  public static final int MAX_DIMENSIONS = 32;

  private ArrayDescriptor() {}
}
