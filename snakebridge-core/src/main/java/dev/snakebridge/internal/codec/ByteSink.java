package dev.snakebridge.internal.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable little-endian byte buffer that encoders write into. Not thread-safe: one per request.
 * A frame header can be reserved at the front and filled in once the payload length is known.
 */
public final class ByteSink {
  private byte[] buf;
  private int pos;

  public ByteSink(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  private void ensure(int extra) {
    int needed = pos + extra;
    if (needed > buf.length || needed < 0) {
      if (needed < 0) {
        throw new IllegalStateException("frame larger than 2 GiB");
      }
      buf = Arrays.copyOf(buf, Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 8, buf.length * 2L)));
    }
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
    ensure(4 + n);
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
