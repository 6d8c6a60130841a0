package dev.snakebridge.internal.transport;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Maps a ring file into memory, read-write: the Java 22+ version of this class (the jar's {@code
 * META-INF/versions/22}). Through a memory segment with an automatic arena, whose buffer view is the
 * same kind of buffer as {@code FileChannel.map}'s, unmapped the same way once nothing reaches it, but
 * made without the reflection that costs a cold JVM ~20 ms on the first worker's start.
 */
final class RingMapping {
  private RingMapping() {}

  /** The first {@code length} bytes of {@code channel}'s file, unmapped once nothing reaches the buffer. */
  static MappedByteBuffer map(FileChannel channel, long length) throws IOException {
    return (MappedByteBuffer) channel.map(FileChannel.MapMode.READ_WRITE, 0, length, Arena.ofAuto()).asByteBuffer();
  }
}
