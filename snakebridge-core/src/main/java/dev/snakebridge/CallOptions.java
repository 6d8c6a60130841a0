package dev.snakebridge;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-call options, recognised by type when passed as the last argument of a call:
 *
 * <pre>{@code
 * SnakeBridge.call("time", "sleep", 5, CallOptions.defaults().timeout(Duration.ofSeconds(1)));
 * SnakeBridge.call("requests", "get", url, CallOptions.defaults().pool("io").affinity(Affinity.HINT));
 * }</pre>
 *
 * <p>Immutable; each setter returns a new instance. Thread-safe.
 */
public final class CallOptions {
  private static final CallOptions DEFAULTS = new CallOptions(null, null, null, null, false);
  private final Duration timeout;
  private final String timeoutProfile;
  private final String pool;
  private final Affinity affinity;
  private final boolean arraysAsNDArray;

  private CallOptions(Duration timeout, String timeoutProfile, String pool, Affinity affinity, boolean arraysAsNDArray) {
    this.timeout = timeout;
    this.timeoutProfile = timeoutProfile;
    this.pool = pool;
    this.affinity = affinity;
    this.arraysAsNDArray = arraysAsNDArray;
  }

  /** Options that change nothing: the runtime's configuration applies. */
  public static CallOptions defaults() {
    return DEFAULTS;
  }

  /**
   * These options with a call timeout, overriding any timeout profile.
   *
   * @throws IllegalArgumentException if the timeout is not positive
   */
  public CallOptions timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    return new CallOptions(timeout, timeoutProfile, pool, affinity, arraysAsNDArray);
  }

  /**
   * These options with a named timeout profile: {@code default} (120 s), {@code streaming} (120 s),
   * {@code mlInference} (600 s), {@code batchJob} (none), or one the configuration defines.
   */
  public CallOptions timeoutProfile(String profile) {
    if (profile == null || profile.isBlank()) {
      throw new IllegalArgumentException("timeoutProfile must not be blank");
    }
    return new CallOptions(timeout, profile, pool, affinity, arraysAsNDArray);
  }

  /** These options with the named pool (default {@code "default"}). */
  public CallOptions pool(String pool) {
    if (pool == null || pool.isBlank()) {
      throw new IllegalArgumentException("pool name must not be blank");
    }
    return new CallOptions(timeout, timeoutProfile, pool, affinity, arraysAsNDArray);
  }

  /** These options with an affinity mode, overriding the configured one for this call. */
  public CallOptions affinity(Affinity affinity) {
    return new CallOptions(timeout, timeoutProfile, pool, Objects.requireNonNull(affinity, "affinity"),
        arraysAsNDArray);
  }

  /**
   * These options asking for numpy arrays in the result as {@link NDArray}s rather than {@link PyRef}s,
   * wherever they sit (the result itself, or inside a list, tuple or dict). Arrays of other dtypes than
   * {@link NDArray.DType}'s, and subclasses of {@code numpy.ndarray}, stay refs. Push streams ({@link
   * SnakeBridge#push}) ignore it.
   *
   * <pre>{@code
   * NDArray r = (NDArray) SnakeBridge.call("numpy", "linspace", 0, 1, 5, CallOptions.defaults().arraysAsNDArray());
   * }</pre>
   */
  public CallOptions arraysAsNDArray() {
    return new CallOptions(timeout, timeoutProfile, pool, affinity, true);
  }

  /** Whether numpy arrays in the result come back as {@link NDArray}s ({@link #arraysAsNDArray()}). */
  public boolean isArraysAsNDArray() {
    return arraysAsNDArray;
  }

  /** The timeout for this call, when set. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** The timeout profile for this call, when set. */
  public Optional<String> timeoutProfile() {
    return Optional.ofNullable(timeoutProfile);
  }

  /** The pool for this call, when set. */
  public Optional<String> pool() {
    return Optional.ofNullable(pool);
  }

  /** The affinity for this call, when set. */
  public Optional<Affinity> affinity() {
    return Optional.ofNullable(affinity);
  }

  @Override
  public String toString() {
    return "CallOptions[timeout=" + timeout + ", timeoutProfile=" + timeoutProfile + ", pool=" + pool
        + ", affinity=" + affinity + (arraysAsNDArray ? ", arraysAsNDArray" : "") + "]";
  }
}
