package dev.snakebridge.internal.transport;

import dev.snakebridge.internal.protocol.Frame;
import java.io.IOException;

/**
 * Moves whole frames between the JVM and one worker. Implementations: {@link PipeChannel} (the child's
 * pipes); later a shared-memory ring. Writes may come from many threads but are serialised by the caller;
 * reads come from one thread at a time (the current leader).
 */
public interface FrameChannel extends AutoCloseable {
  /** Writes {@code frame[0, length)}, a complete frame with its header, and flushes it. */
  void write(byte[] frame, int length) throws IOException;

  /** Blocks until a whole frame has arrived; throws {@link java.io.EOFException} when the peer is gone. */
  Frame read() throws IOException;

  /** Bytes that can be read without blocking (0 when unknown). */
  int available() throws IOException;

  /** The next frame if one has (at least begun to) arrive, else null at once: for housekeeping reads. */
  Frame poll() throws IOException;

  @Override
  void close();
}
