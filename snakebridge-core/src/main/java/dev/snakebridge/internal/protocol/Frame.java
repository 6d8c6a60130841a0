package dev.snakebridge.internal.protocol;

/**
 * One frame read from a worker. The payload is {@code payload[0, payload.length)}.
 *
 * @param kind a {@link FrameKind}
 * @param flags flag bits
 * @param id the request id it answers (0 for unsolicited frames)
 * @param payload the encoded value
 */
public record Frame(int kind, int flags, long id, byte[] payload) {}
