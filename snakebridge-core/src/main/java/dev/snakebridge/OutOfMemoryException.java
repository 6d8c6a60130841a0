package dev.snakebridge;

import java.util.OptionalLong;

/**
 * With {@link ErrorMode#TRANSLATED}: Python ran out of memory on a device ({@code cuda:0}, {@code mps}
 * or {@code cpu}), from {@code MemoryError}, numpy's allocation errors or torch's allocator errors.
 */
public final class OutOfMemoryException extends PythonException {
  private static final long serialVersionUID = 1L;
  private final String device;
  private final long requestedBytes;
  private final long availableBytes;

  /** Wraps {@code raw}; byte counts are -1 when the message did not say. */
  public OutOfMemoryException(PythonException raw, String device, long requestedBytes, long availableBytes) {
    super(raw);
    this.device = device;
    this.requestedBytes = requestedBytes;
    this.availableBytes = availableBytes;
  }

  /** The device that ran out: {@code "cuda:0"}, {@code "mps"} or {@code "cpu"}. */
  public String device() {
    return device;
  }

  /** How many bytes the failed allocation asked for, when the message said. */
  public OptionalLong requestedBytes() {
    return requestedBytes < 0 ? OptionalLong.empty() : OptionalLong.of(requestedBytes);
  }

  /** How many bytes were free on the device, when the message said. */
  public OptionalLong availableBytes() {
    return availableBytes < 0 ? OptionalLong.empty() : OptionalLong.of(availableBytes);
  }
}
