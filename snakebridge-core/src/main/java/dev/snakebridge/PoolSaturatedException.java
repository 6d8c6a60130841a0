package dev.snakebridge;

/**
 * A pool's queue is full (its maximum queue length) or a call waited in it longer than the pool's queue
 * timeout; the call was not run. Callers get it at once instead of piling up.
 */
public class PoolSaturatedException extends SnakeBridgeException {
  private static final long serialVersionUID = 1L;
  private final String pool;

  /** Creates the exception for pool {@code pool}. */
  public PoolSaturatedException(String pool, String message) {
    super(message);
    this.pool = pool;
  }

  /** The saturated pool's name. */
  public String pool() {
    return pool;
  }
}
