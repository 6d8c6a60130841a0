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

  /**
   * Where the last frame written ends, in an order the peer consumes in; {@code -1} when the transport
   * cannot tell (pipes). Read under the caller's write serialisation, right after a write.
   */
  default long writeMark() {
    return -1;
  }

  /**
   * How far the peer has consumed what was written: a frame whose {@link #writeMark} is above this was
   * never read. {@code -1} when unknown. Meaningful once the peer is dead, as a proof of what it never saw.
   */
  default long consumedMark() {
    return -1;
  }

  /**
   * How far the peer has started the user requests it may queue (those without
   * {@code FrameDescriptor.FLAG_UNQUEUED}): one whose {@link #writeMark} is above this never started.
   * {@code -1} when unknown.
   */
  default long startedMark() {
    return -1;
  }

  @Override
  void close();

  /**
   * Closes the input once the peer is gone and nobody reads any more: a forked worker's response FIFO is
   * a file the JVM opened itself, and nothing else ever closes it (one descriptor leaked per dead worker).
   */
  default void closeInput() {}
}
