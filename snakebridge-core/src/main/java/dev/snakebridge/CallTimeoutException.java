package dev.snakebridge;

import java.time.Duration;

/**
 * A call did not answer within its timeout. The Python work is interrupted where it can be; a worker
 * stuck in C code is killed and replaced.
 */
public class CallTimeoutException extends SnakeBridgeException {
  private static final long serialVersionUID = 1L;
  private final Duration timeout;

  /** Creates the exception for a call that exceeded {@code timeout}. */
  public CallTimeoutException(String message, Duration timeout) {
    super(message);
    this.timeout = timeout;
  }

  /** The timeout that was exceeded. */
  public Duration timeout() {
    return timeout;
  }
}
