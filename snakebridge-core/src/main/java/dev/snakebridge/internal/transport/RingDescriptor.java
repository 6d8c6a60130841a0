package dev.snakebridge.internal.transport;

/**
 * Layout of the shared-memory file between the JVM and one worker: two single-producer,
 * single-consumer rings, JVM→worker first, then worker→JVM. {@code snakebridge/shm.py} mirrors these
 * offsets; {@code RingDescriptorTest} pins them.
 *
 * <pre>
 * ring (at its base offset):
 *   0    u32 magic 0x31524253 ("SBR1")   4  u32 version
 *   8    u64 capacity of the data area (a power of two)
 *   64   u64 write position: bytes ever written (producer's, release-stored)
 *   128  u64 read position: bytes ever consumed (consumer's, release-stored)
 *   192  u32 consumer sleeping: 1 while the consumer is blocked on the pipe (its doorbell)
 *   200  u64 started position (consumer's): every queueable user request ending at or before it
 *        has been started by the worker; one ending after it never was (0 from a worker that
 *        does not say: then nothing counts as unstarted that was consumed)
 *   256  data[capacity]
 * </pre>
 *
 * Positions sit on cache lines of their own so producer and consumer do not false-share. A record in
 * the data area is a wire frame (docs/PROTOCOL.md) padded to 8 bytes. Three record kinds exist only
 * here: {@link #KIND_PAD} (skip to the end of the data area), {@link #KIND_SPILL} (the frame travels on
 * the pipe: read it there, now) and {@link #KIND_WAKE} (on the pipe only: a doorbell, ignored).
 */
public final class RingDescriptor {
  public static final int MAGIC = 0x31524253;
  public static final int VERSION = 1;
  public static final int MAGIC_OFFSET = 0;
  public static final int VERSION_OFFSET = 4;
  public static final int CAPACITY_OFFSET = 8;
  public static final int WRITE_POSITION_OFFSET = 64;
  public static final int READ_POSITION_OFFSET = 128;
  public static final int SLEEPING_OFFSET = 192;
  public static final int STARTED_OFFSET = 200;
  public static final int HEADER_LENGTH = 256;
  public static final int ALIGNMENT = 8;

  public static final int KIND_PAD = 0xF0;
  public static final int KIND_SPILL = 0xF1;
  public static final int KIND_WAKE = 0xF2;

  private RingDescriptor() {}

  /** Bytes one ring of {@code capacity} takes in the file. */
  public static int ringLength(int capacity) {
    return HEADER_LENGTH + capacity;
  }

  /** Bytes of the whole file: two rings. */
  public static int fileLength(int capacity) {
    return 2 * ringLength(capacity);
  }

  public static int align(int n) {
    return (n + ALIGNMENT - 1) & -ALIGNMENT;
  }
}
