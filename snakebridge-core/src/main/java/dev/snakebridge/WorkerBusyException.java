package dev.snakebridge;

/** {@link Affinity#STRICT_FAIL_FAST}: the session's home worker was busy, so the call was not sent. */
public class WorkerBusyException extends SnakeBridgeException {
  private static final long serialVersionUID = 1L;
  private final String workerId;

  /** Creates the exception for the busy worker {@code workerId}. */
  public WorkerBusyException(String workerId, String message) {
    super(message);
    this.workerId = workerId;
  }

  /** The busy worker, such as {@code "default-w0"}. */
  public String workerId() {
    return workerId;
  }
}
