package dev.snakebridge.internal.call;

/** How a call's answer is awaited; the {@code kind} field of its {@code call.*} telemetry events. */
public enum CallKind {
  /** A caller thread waits for the answer. */
  SYNC,
  /** The answer completes a future. */
  ASYNC,
  /** Several calls in one request. */
  BATCH,
  /** Pulled iteration: opening an iterator and fetching its batches. */
  STREAM,
  /** A generator pushed to a subscriber with credit. */
  PUSH;

  /** The value of the {@code kind} field: {@code sync}, {@code async}, … */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
