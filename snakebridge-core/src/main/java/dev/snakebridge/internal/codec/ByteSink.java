package dev.snakebridge.internal.codec;

import dev.snakebridge.SerializationException;
import dev.snakebridge.internal.protocol.FrameDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable little-endian byte buffer that encoders write into. Not thread-safe: one per request.
 * A frame header can be reserved at the front and filled in once the payload length is known.
 *
 * <p>Holds at most {@link FrameDescriptor#MAX_FRAME_BYTES}: what would grow it beyond is refused with a
 * {@link SerializationException} while encoding, so a request too large for a frame fails before any
 * byte of it is sent, and the connection it would have gone on stays usable.
 */
public final class ByteSink {
  private byte[] buf;
  private int pos;

  public ByteSink(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  private void ensure(long extra) {
    long needed = pos + extra;
    if (needed > buf.length) {
      grow(needed);
    }
  }

  private void grow(long needed) {
    if (needed > FrameDescriptor.MAX_FRAME_BYTES) {
      throw new SerializationException("cannot send a value this large: its frame would exceed "
          + FrameDescriptor.MAX_FRAME_BYTES + " bytes, the most one frame may hold (docs/PROTOCOL.md). byte[],"
          + " String, primitive arrays and NDArray above the large-buffer threshold travel through shared"
          + " memory; split long lists and maps over several calls");
    }
    buf = Arrays.copyOf(buf, (int) Math.min(FrameDescriptor.MAX_FRAME_BYTES, Math.max(needed, buf.length * 2L)));
  }

  public int position() {
    return pos;
  }

  /** Skips {@code n} bytes to be filled in later with the {@code put...At} methods. */
  public void skip(int n) {
    ensure(n);
    pos += n;
  }

  public void u8(int v) {
    ensure(1);
    buf[pos++] = (byte) v;
  }

  public void i32(int v) {
    ensure(4);
    putI32At(pos, v);
    pos += 4;
  }

  public void i64(long v) {
    ensure(8);
    putI64At(pos, v);
    pos += 8;
  }

  public void f64(double v) {
    i64(Double.doubleToRawLongBits(v));
  }

  public void bytes(byte[] b) {
    bytes(b, 0, b.length);
  }

  public void bytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, pos, len);
    pos += len;
  }

  /** Writes the bytes {@code [position, limit)} of {@code b}, leaving its position unchanged. */
  public void bytes(java.nio.ByteBuffer b) {
    int len = b.remaining();
    ensure(len);
    b.get(b.position(), buf, pos, len);
    pos += len;
  }

  /** Drops everything written after {@code position} (an element that failed half way). */
  public void truncate(int position) {
    if (position < 0 || position > pos) {
      throw new IllegalArgumentException("cannot truncate to " + position + " of " + pos);
    }
    pos = position;
  }

  /** Writes a u32 length and the UTF-8 bytes of {@code s}; ASCII strings skip the charset encoder. */
  public void utf8(String s) {
    int n = s.length();
    ensure(4L + n);
    int start = pos + 4;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        byte[] encoded = s.getBytes(StandardCharsets.UTF_8);
        i32(encoded.length);
        bytes(encoded);
        return;
      }
      buf[start + i] = (byte) c;
    }
    putI32At(pos, n);
    pos = start + n;
  }

  public void putI32At(int at, int v) {
    buf[at] = (byte) v;
    buf[at + 1] = (byte) (v >>> 8);
    buf[at + 2] = (byte) (v >>> 16);
    buf[at + 3] = (byte) (v >>> 24);
  }

  public void putI64At(int at, long v) {
    putI32At(at, (int) v);
    putI32At(at + 4, (int) (v >>> 32));
  }

  public void putU8At(int at, int v) {
    buf[at] = (byte) v;
  }

  /** The backing array; bytes {@code [0, position())} are valid. */
  public byte[] array() {
    return buf;
  }
}
