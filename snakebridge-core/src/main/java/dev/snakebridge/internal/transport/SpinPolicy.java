package dev.snakebridge.internal.transport;

/**
 * How a reader that finds no frame spins before it sleeps. Spinning pays only while a core is free to
 * spin on: with more spinning parties than processors, a spinner takes the core from the party that has
 * work (a worker executing a call, the thread writing the next request) and throughput drops. So when
 * oversubscribed, a spinner gives its core away at every poll ({@code Thread.yield}, Python's
 * {@code sched_yield}): it still sees a frame within a poll when it is alone on its core, as when the
 * JVM and the workers are pinned to cores of their own, and costs the others little when it is not.
 * Immutable.
 *
 * @param spinNanos how long a reader polls before it sleeps (0: not at all)
 * @param yielding whether each poll yields the processor
 */
public record SpinPolicy(long spinNanos, boolean yielding) {
  /** Environment variable telling a worker to yield while it spins ({@code 1}), alongside SNAKEBRIDGE_SPIN_US. */
  public static final String YIELD_ENV = "SNAKEBRIDGE_SPIN_YIELD";

  /**
   * The policy for {@code workers} workers (all pools) on {@code processors} processors (the JVM's
   * {@code availableProcessors}, which honours CPU affinity and cgroup quotas): each worker has two
   * readers that may spin, its own and the JVM's.
   */
  public static SpinPolicy forMachine(long spinNanos, int workers, int processors) {
    return new SpinPolicy(spinNanos, 2L * workers > processors);
  }

  /** One poll's pause. */
  public void pause() {
    if (yielding) {
      Thread.yield();
    } else {
      Thread.onSpinWait();
    }
  }
}
