package dev.snakebridge.internal.transport;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Maps a ring file into memory, read-write. On Java 22 and later the jar's {@code META-INF/versions/22}
 * holds another version of this class, which maps through a memory segment: {@code FileChannel.map}
 * builds its buffer reflectively, which costs a cold JVM ~20 ms of method-handle spinning on the first
 * worker's start.
 */
final class RingMapping {
  private RingMapping() {}

  /** The first {@code length} bytes of {@code channel}'s file, unmapped once nothing reaches the buffer. */
  static MappedByteBuffer map(FileChannel channel, long length) throws IOException {
    return channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
  }
}
