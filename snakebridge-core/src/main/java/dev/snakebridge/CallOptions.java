package dev.snakebridge;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-call options, recognised by type when passed as the last argument of a call:
 *
 * <pre>{@code
 * SnakeBridge.call("time", "sleep", 5, CallOptions.defaults().timeout(Duration.ofSeconds(1)));
 * }</pre>
 *
 * <p>Immutable; each setter returns a new instance. Thread-safe.
 */
public final class CallOptions {
  private static final CallOptions DEFAULTS = new CallOptions(null);
  private final Duration timeout;

  private CallOptions(Duration timeout) {
    this.timeout = timeout;
  }

  /** Options that change nothing: the runtime's configuration applies. */
  public static CallOptions defaults() {
    return DEFAULTS;
  }

  /**
   * These options with a call timeout, replacing the configured one for this call.
   *
   * @throws IllegalArgumentException if the timeout is not positive
   */
  public CallOptions timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    return new CallOptions(timeout);
  }

  /** The timeout for this call, when set. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  @Override
  public String toString() {
    return "CallOptions[timeout=" + timeout + "]";
  }
}
