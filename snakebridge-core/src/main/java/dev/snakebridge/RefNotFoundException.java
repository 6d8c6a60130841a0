package dev.snakebridge;

/**
 * A {@link PyRef} was used after its Python object was released: by {@link SnakeBridge#releaseRef},
 * with its session, or because the worker that held it died. The message names the ref and why it is gone.
 */
public class RefNotFoundException extends SnakeBridgeException {
  private static final long serialVersionUID = 1L;
  private final String refId;

  /** Creates the exception for the ref with id {@code refId}. */
  public RefNotFoundException(String refId, String message) {
    super(message);
    this.refId = refId;
  }

  /** The id of the ref that is gone. */
  public String refId() {
    return refId;
  }
}
