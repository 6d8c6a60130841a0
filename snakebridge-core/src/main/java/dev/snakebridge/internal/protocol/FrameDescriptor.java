package dev.snakebridge.internal.protocol;

/**
 * Layout of a frame on the wire; {@code snakebridge/protocol.py} mirrors these offsets.
 *
 * <pre>
 *  0       4    5     6          8                 16
 *  +-------+----+-----+----------+-----------------+-----------------+
 *  | len   |kind|flags| reserved |  id (u64)       | payload ...     |
 *  +-------+----+-----+----------+-----------------+-----------------+
 *  len = bytes after the len field = 12 + payload length (u32, little-endian)
 * </pre>
 */
public final class FrameDescriptor {
  public static final int PROTOCOL_VERSION = 1;
  public static final int LENGTH_OFFSET = 0;
  public static final int KIND_OFFSET = 4;
  public static final int FLAGS_OFFSET = 5;
  public static final int ID_OFFSET = 8;
  public static final int HEADER_LENGTH = 16;
  /** Bytes counted by the length field besides the payload. */
  public static final int LENGTH_FIELD_OVERHEAD = HEADER_LENGTH - 4;
  /** Frames above this size are refused as corrupt rather than allocated. */
  public static final int MAX_FRAME_LENGTH = Integer.MAX_VALUE - 64;

  /** Flag on a request: the worker sends no answer. */
  public static final int FLAG_NO_REPLY = 1;

  /**
   * Flag on a request: run it at once, never queued in the worker behind user calls waiting for an
   * execution slot. Set on everything sent outside the worker's {@code Admission}: calls a Java
   * callback makes while a call of that worker waits for it (queued, they would deadlock), and control
   * requests.
   */
  public static final int FLAG_UNQUEUED = 2;

  private FrameDescriptor() {}
}
