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
 *
 * <p>A whole frame, header included, is at most {@link #MAX_FRAME_BYTES} (1 GiB) both ways. Each sender
 * enforces it before writing (the JVM's {@code ByteSink}, the worker's {@code seal_frame}): a value too
 * large is refused as that call's error and the connection stays whole, while a reader that meets a
 * larger length takes the stream for corrupt. Large {@code bytes}, {@code str} and arrays travel
 * through shared memory instead (docs/PROTOCOL.md, "Bulk values"), so only long lists and maps can
 * reach the limit.
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
  /**
   * The most bytes of one frame, header included, on either side; {@code protocol.py}'s {@code MAX_LEN}
   * is this less the len field. Far below what a Java array can hold, so a frame is never cut short by
   * the JVM, and small enough that one frame holds a pipe for well under a second.
   */
  public static final int MAX_FRAME_BYTES = 1 << 30;
  /** The largest value of the len field; a frame announcing more is refused as corrupt, not allocated. */
  public static final int MAX_FRAME_LENGTH = MAX_FRAME_BYTES - 4;

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
