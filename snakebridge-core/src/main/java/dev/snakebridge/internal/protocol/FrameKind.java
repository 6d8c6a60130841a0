package dev.snakebridge.internal.protocol;

/** The {@code kind} byte of a frame (docs/PROTOCOL.md). */
public final class FrameKind {
  public static final int REQUEST = 1;
  public static final int RESULT = 2;
  public static final int ERROR = 3;
  public static final int LOG = 4;
  public static final int HELLO = 5;
  public static final int CALLBACK = 6;
  public static final int CALLBACK_RESULT = 7;
  public static final int CALLBACK_ERROR = 8;
  public static final int CANCEL = 9;
  public static final int STREAM_ITEM = 10;
  /** Worker→JVM: a CANCEL was received (wakes the reader at once, even while the call runs on). */
  public static final int CANCELLED = 11;
  /** Worker→JVM: an event emitted by Python code ({@code snakebridge.emit}). */
  public static final int TELEMETRY = 12;
  /** JVM→worker: a push stream may send this many more items. */
  public static final int CREDIT = 13;
  /** Worker→JVM: ids of anonymous callbacks that Python no longer references. */
  public static final int CALLBACKS_DROPPED = 14;

  private FrameKind() {}
}
