package dev.snakebridge.internal.transport;

import dev.snakebridge.internal.protocol.Frame;
import dev.snakebridge.internal.protocol.FrameDescriptor;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Frames over a byte-stream pair: the worker's stdin (requests) and its original stdout (answers). The
 * JDK's process streams are already buffered, so a small frame costs one read and one write system call.
 */
public final class PipeChannel implements FrameChannel {
  private final InputStream in;
  private final OutputStream out;
  private final byte[] header = new byte[FrameDescriptor.HEADER_LENGTH];
  private final SpinPolicy spin;

  public PipeChannel(InputStream in, OutputStream out) {
    this(in, out, 0);
  }

  /**
   * @param spinNanos how long a read polls for data before it blocks: a blocked reader costs a
   *     cross-core wake-up (tens of µs here) when the answer comes; a polling one sees it at once
   */
  public PipeChannel(InputStream in, OutputStream out, long spinNanos) {
    this(in, out, new SpinPolicy(spinNanos, false));
  }

  public PipeChannel(InputStream in, OutputStream out, SpinPolicy spin) {
    this.in = in;
    this.out = out;
    this.spin = spin;
  }

  @Override
  public void write(byte[] frame, int length) throws IOException {
    out.write(frame, 0, length);
    out.flush();
  }

  @Override
  public Frame read() throws IOException {
    if (spin.spinNanos() > 0 && in.available() == 0) {
      long start = System.nanoTime();
      for (long spun; in.available() == 0 && (spun = System.nanoTime() - start) < spin.spinNanos(); ) {
        spin.pause(spun);
      }
    }
    readFully(header, FrameDescriptor.HEADER_LENGTH);
    int length = littleEndianInt(header, FrameDescriptor.LENGTH_OFFSET);
    if (length < FrameDescriptor.LENGTH_FIELD_OVERHEAD || length > FrameDescriptor.MAX_FRAME_LENGTH) {
      throw new IOException("corrupt frame from worker: length " + Integer.toUnsignedString(length));
    }
    int kind = header[FrameDescriptor.KIND_OFFSET] & 0xff;
    int flags = header[FrameDescriptor.FLAGS_OFFSET] & 0xff;
    long id =
        (littleEndianInt(header, FrameDescriptor.ID_OFFSET) & 0xffffffffL)
            | (long) littleEndianInt(header, FrameDescriptor.ID_OFFSET + 4) << 32;
    byte[] payload = new byte[length - FrameDescriptor.LENGTH_FIELD_OVERHEAD];
    readFully(payload, payload.length);
    return new Frame(kind, flags, id, payload);
  }

  private void readFully(byte[] target, int n) throws IOException {
    if (in.readNBytes(target, 0, n) < n) {
      throw new EOFException("worker closed its output");
    }
  }

  private static int littleEndianInt(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
  }

  @Override
  public Frame poll() throws IOException {
    return in.available() >= FrameDescriptor.HEADER_LENGTH ? read() : null;
  }

  @Override
  public int available() throws IOException {
    return in.available();
  }

  @Override
  public void closeInput() {
    try {
      in.close();
    } catch (IOException ignored) {
      // Nothing more is read from it either way.
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException ignored) {
      // The worker is going away either way; closing its stdin is how we tell it.
    }
  }
}
