package dev.snakebridge.internal.transport;

import dev.snakebridge.internal.protocol.Frame;
import dev.snakebridge.internal.protocol.FrameDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;

/**
 * Frames through shared memory, with the child's pipes kept for what memory cannot do: waking a peer
 * that sleeps, carrying frames too large for the ring, and telling that the peer died (end of file).
 *
 * <p>Adaptive waiting: a reader that finds the ring empty polls it for up to {@code spinNanos} (a
 * request/response through memory with both sides polling costs ~0.3 µs here), then marks itself
 * sleeping and blocks on the pipe; a writer that sees the mark after publishing rings the doorbell (a
 * small {@code WAKE} frame on the pipe). So a busy pair never touches the kernel and an idle one uses
 * no CPU.
 *
 * <p>A frame larger than a quarter of the ring, or one that finds the ring full, travels on the pipe
 * behind a {@code SPILL} marker in the ring, so frames are read in the order they were written. Writers
 * are serialised by the caller, as are readers.
 */
public final class ShmChannel implements FrameChannel {
  private static final byte[] SPILL = marker(RingDescriptor.KIND_SPILL);
  private static final byte[] WAKE = marker(RingDescriptor.KIND_WAKE);

  private final ShmRing outgoing;
  private final ShmRing incoming;
  private final PipeChannel pipe;
  private final OutputStream pipeOut;
  private final SpinPolicy spin;
  /** Frames read from the pipe while sleeping, waiting for their SPILL marker (readers only). */
  private final ArrayDeque<Frame> spilled = new ArrayDeque<>();
  /** Set by {@link #close}: a writer waiting for room in a ring nobody drains any more gives up. */
  private volatile boolean closed;

  private ShmChannel(MappedByteBuffer map, int capacity, boolean jvmSide, InputStream in, OutputStream out,
      SpinPolicy spin) {
    map.order(ByteOrder.LITTLE_ENDIAN);
    ShmRing toWorker = new ShmRing(map, 0, capacity);
    ShmRing toJvm = new ShmRing(map, RingDescriptor.ringLength(capacity), capacity);
    this.outgoing = jvmSide ? toWorker : toJvm;
    this.incoming = jvmSide ? toJvm : toWorker;
    this.pipe = new PipeChannel(in, out, 0);
    this.pipeOut = out;
    this.spin = spin;
  }

  /**
   * Creates and formats the shared file for a worker, mode 0600, every page allocated; the worker maps it
   * by path.
   *
   * @throws IOException when the file cannot be created or {@code /dev/shm} has no room for it (the file
   *     is removed)
   */
  public static MappedByteBuffer createFile(Path file, int capacity) throws IOException {
    if (Integer.bitCount(capacity) != 1 || capacity < 4096) {
      throw new IllegalArgumentException("ring capacity must be a power of two of at least 4 KiB, got " + capacity);
    }
    // Mode 0600: the rings carry every call's arguments and results.
    try (FileChannel ch = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE), RingFiles.ownerOnlyFile())) {
      long length = RingDescriptor.fileLength(capacity);
      // Every page written before the mapping: a full /dev/shm fails the write (ENOSPC), where a
      // mapping of unallocated pages would fault (SIGBUS) at the first touch, here or in the worker.
      ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(length, 1 << 20));
      for (long done = 0; done < length; ) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), length - done));
        done += ch.write(zeros, done);
      }
      MappedByteBuffer map = RingMapping.map(ch, length);
      map.order(ByteOrder.LITTLE_ENDIAN);
      new ShmRing(map, 0, capacity).format();
      new ShmRing(map, RingDescriptor.ringLength(capacity), capacity).format();
      return map;
    } catch (IOException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /** The JVM's end of a worker's channel. */
  public static ShmChannel jvmSide(MappedByteBuffer map, int capacity, InputStream fromWorker,
      OutputStream toWorker, long spinNanos) {
    return jvmSide(map, capacity, fromWorker, toWorker, new SpinPolicy(spinNanos, false));
  }

  /** The JVM's end of a worker's channel, spinning as {@code spin} says. */
  public static ShmChannel jvmSide(MappedByteBuffer map, int capacity, InputStream fromWorker,
      OutputStream toWorker, SpinPolicy spin) {
    return new ShmChannel(map, capacity, true, fromWorker, toWorker, spin);
  }

  /** The worker's end, for tests that play the worker in Java. */
  static ShmChannel workerSide(MappedByteBuffer map, int capacity, InputStream fromJvm, OutputStream toJvm,
      long spinNanos) {
    return new ShmChannel(map, capacity, false, fromJvm, toJvm, new SpinPolicy(spinNanos, false));
  }

  private static byte[] marker(int kind) {
    byte[] m = new byte[FrameDescriptor.HEADER_LENGTH];
    m[0] = (byte) FrameDescriptor.LENGTH_FIELD_OVERHEAD;
    m[FrameDescriptor.KIND_OFFSET] = (byte) kind;
    return m;
  }

  @Override
  public void write(byte[] frame, int length) throws IOException {
    if (length > outgoing.capacity() / 4 || !outgoing.offer(frame, length)) {
      while (!outgoing.offer(SPILL, SPILL.length)) {
        // The ring is full to the last 16 bytes: the reader is draining it; the marker fits soon.
        if (closed) {
          throw new IOException("the worker's ring is full and its channel closed");
        }
        Thread.onSpinWait();
      }
      pipe.write(frame, length);
    }
    if (outgoing.consumerSleeping()) {
      pipe.write(WAKE, WAKE.length);
    }
  }

  @Override
  public Frame read() throws IOException {
    long spinStart = 0;
    while (true) {
      byte[] record = incoming.poll();
      if (record != null) {
        if ((record[FrameDescriptor.KIND_OFFSET] & 0xff) == RingDescriptor.KIND_SPILL) {
          return takeSpilled();
        }
        return toFrame(record);
      }
      long now = System.nanoTime();
      if (spinStart == 0) {
        spinStart = now;
      }
      if (now - spinStart < spin.spinNanos()) {
        spin.pause(now - spinStart);
        continue;
      }
      incoming.setSleeping(true);
      try {
        if (incoming.isEmpty()) {
          Frame woke = pipe.read();
          if (woke.kind() != RingDescriptor.KIND_WAKE) {
            spilled.add(woke);
          }
        }
      } finally {
        incoming.setSleeping(false);
      }
      spinStart = 0;
    }
  }

  /** The frame a SPILL marker stands for: the next non-doorbell frame on the pipe. */
  private Frame takeSpilled() throws IOException {
    Frame f = spilled.poll();
    while (f == null) {
      Frame next = pipe.read();
      if (next.kind() != RingDescriptor.KIND_WAKE) {
        f = next;
      }
    }
    return f;
  }

  private static Frame toFrame(byte[] record) {
    int kind = record[FrameDescriptor.KIND_OFFSET] & 0xff;
    int flags = record[FrameDescriptor.FLAGS_OFFSET] & 0xff;
    long id = 0;
    for (int i = 7; i >= 0; i--) {
      id = id << 8 | (record[FrameDescriptor.ID_OFFSET + i] & 0xff);
    }
    byte[] payload = new byte[record.length - FrameDescriptor.HEADER_LENGTH];
    System.arraycopy(record, FrameDescriptor.HEADER_LENGTH, payload, 0, payload.length);
    return new Frame(kind, flags, id, payload);
  }

  @Override
  public Frame poll() throws IOException {
    byte[] record = incoming.poll();
    if (record == null) {
      return null;
    }
    // A SPILL marker is written just before its frame goes on the pipe: waiting for it is brief.
    return (record[FrameDescriptor.KIND_OFFSET] & 0xff) == RingDescriptor.KIND_SPILL ? takeSpilled() : toFrame(record);
  }

  /** The ring position after the last frame written (after its SPILL marker for a spilled one). */
  @Override
  public long writeMark() {
    return outgoing.writePosition();
  }

  @Override
  public long consumedMark() {
    return outgoing.readPosition();
  }

  @Override
  public long startedMark() {
    return outgoing.startedPosition();
  }

  @Override
  public int available() throws IOException {
    return incoming.available() + (spilled.isEmpty() ? 0 : 1);
  }

  @Override
  public void close() {
    closed = true;
    pipe.close();
  }

  @Override
  public void closeInput() {
    pipe.closeInput();
  }
}
