package dev.snakebridge.internal.codec;

import dev.snakebridge.internal.protocol.Op;

/**
 * Writes request payloads (docs/PROTOCOL.md): a call's envelope {@code [op, session, operand...]}, and a
 * batch {@code [BATCH, session, [bytes...]]} whose items are complete call payloads. Not thread-safe:
 * one per request.
 */
public final class RequestWriter {
  private final ByteSink sink;
  private final ValueEncoder encoder;
  private int opAt = -1;
  private int countAt = -1;
  private int count;

  public RequestWriter(ByteSink sink, ValueEncoder encoder) {
    this.sink = sink;
    this.encoder = encoder;
  }

  /** Writes {@code [op, session, operand...]}. */
  public void call(long op, String session, Object[] operands) {
    call(op, session, null, operands);
  }

  /**
   * Writes {@code [op, session, operand...]}, or, with a {@code traceparent}, {@code [op |
   * TRACE_CONTEXT, session, traceparent, operand...]}.
   */
  public void call(long op, String session, String traceparent, Object[] operands) {
    if (opAt < 0) {
      opAt = opPosition();
    }
    int head = traceparent == null ? 2 : 3;
    Object[] envelope = new Object[operands.length + head];
    envelope[0] = traceparent == null ? op : op | Op.MODIFIER_TRACE_CONTEXT;
    envelope[1] = session;
    if (traceparent != null) {
      envelope[2] = traceparent;
    }
    System.arraycopy(operands, 0, envelope, head, operands.length);
    encoder.encodeListOf(envelope);
  }

  /** Starts {@code [batchOp, session, [...]]}; add its calls with {@link #batchCall}. */
  public void beginBatch(long batchOp, String session) {
    beginBatch(batchOp, session, null);
  }

  /**
   * Starts {@code [batchOp, session, [...]]}, or {@code [batchOp | TRACE_CONTEXT, session, traceparent,
   * [...]]}; add its calls with {@link #batchCall}.
   */
  public void beginBatch(long batchOp, String session, String traceparent) {
    opAt = opPosition();
    sink.u8(WireTag.LIST);
    sink.i32(traceparent == null ? 3 : 4);
    encoder.encode(traceparent == null ? batchOp : batchOp | Op.MODIFIER_TRACE_CONTEXT);
    encoder.encode(session);
    if (traceparent != null) {
      encoder.encode(traceparent);
    }
    sink.u8(WireTag.LIST);
    countAt = sink.position();
    sink.i32(0);
  }

  /**
   * Adds one call to the batch as a byte string; a call that cannot be encoded is left out (nothing of
   * it stays in the request) and its exception is thrown.
   */
  public void batchCall(long op, String session, Object[] operands) {
    int start = sink.position();
    try {
      sink.u8(WireTag.BYTES);
      int lengthAt = sink.position();
      sink.i32(0);
      call(op, session, operands);
      sink.putI32At(lengthAt, sink.position() - lengthAt - 4);
      count++;
    } catch (RuntimeException e) {
      sink.truncate(start);
      throw e;
    } finally {
      sink.putI32At(countAt, count);
    }
  }

  /** Sets modifier bits on the request's op, known only once its operands are encoded (the refs in them). */
  public void addOpModifier(long bits) {
    sink.putI64At(opAt, opValue() | bits);
  }

  /** Where the op's 8 bytes will be: after the list's tag and count and the op's own tag. */
  private int opPosition() {
    return sink.position() + 1 + 4 + 1;
  }

  private long opValue() {
    byte[] bytes = sink.array();
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = v << 8 | (bytes[opAt + i] & 0xff);
    }
    return v;
  }

  /** The calls in the batch so far. */
  public int batchSize() {
    return count;
  }
}
