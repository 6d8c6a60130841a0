package dev.snakebridge.internal.protocol;

/** Request operations, the first element of a {@code REQUEST} payload (docs/PROTOCOL.md). */
public enum Op {
  CALL(1),
  GET(2),
  METHOD(3),
  ATTR(4),
  SET_ATTR(5),
  RELEASE(6),
  RELEASE_SESSION(7),
  PING(8),
  BUILTIN(9),
  CALL_REF(10),
  ITER_OPEN(11),
  ITER_NEXT(12),
  ENTER(13),
  EXIT(14),
  STREAM(15),
  BATCH(16);

  /**
   * Added to an op's code: numpy arrays in the result cross by value, as NDARRAY (tag 0x18), rather
   * than as refs. The bits above the low 8 of an op are such modifiers.
   */
  public static final long MODIFIER_ARRAYS = 0x100;

  /**
   * Added to an op's code: the worker runs the request on its one thread for thread-bound work, in
   * arrival order, instead of on whichever of its threads read it.
   */
  public static final long MODIFIER_THREAD_BOUND = 0x200;

  /**
   * Added to an op's code: the request carries the caller's W3C {@code traceparent} as a string right
   * after the session ({@code [op, session, traceparent, operand...]}); the worker makes it the trace
   * context of the call and removes it before executing the op.
   */
  public static final long MODIFIER_TRACE_CONTEXT = 0x400;

  private final long code;

  Op(long code) {
    this.code = code;
  }

  /** The number sent on the wire. */
  public long code() {
    return code;
  }
}
