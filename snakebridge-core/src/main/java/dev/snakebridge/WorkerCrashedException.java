package dev.snakebridge;

/**
 * The Python worker process running a call died before answering (a crash, {@code os._exit}, a
 * segfault in a C extension, SIGKILL). The pool replaces the worker at once; later calls succeed, but
 * refs that lived in the dead process are gone. The message includes the exit status and the last lines
 * the worker wrote to stderr.
 */
public class WorkerCrashedException extends SnakeBridgeException {
  private static final long serialVersionUID = 1L;
  private final String workerId;
  private final int exitCode;

  /** Creates the exception for worker {@code workerId}; {@code exitCode} is -1 when unknown. */
  public WorkerCrashedException(String workerId, int exitCode, String message) {
    super(message);
    this.workerId = workerId;
    this.exitCode = exitCode;
  }

  /** The id of the worker that died, such as {@code "default-w1"}. */
  public String workerId() {
    return workerId;
  }

  /** The process exit status (128 + signal number for a signal), or -1 when not known yet. */
  public int exitCode() {
    return exitCode;
  }
}
