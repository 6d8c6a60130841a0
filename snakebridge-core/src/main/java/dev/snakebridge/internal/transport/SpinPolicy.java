package dev.snakebridge.internal.transport;

/**
 * How a reader that finds no frame spins before it sleeps. Spinning pays only while a core is free to
 * spin on: with more spinning parties than processors, a spinner takes the core from the party that has
 * work (a worker executing a call, the thread writing the next request) and throughput drops. So when
 * oversubscribed, a spinner backs off (Agrona's {@code BackoffIdleStrategy}, without its park): it spins
 * plainly for {@link #PLAIN_SPIN_NANOS}, long enough to catch the answer of a short call when both sides
 * are awake on cores of their own (pinned, ~6 µs), then gives its core away at every poll
 * ({@code Thread.yield}, Python's {@code sched_yield}) for the rest of the budget. Yielding from the
 * first poll cost the pinned set-up ~4 µs of p50 on this machine; spinning plainly for the whole budget
 * cost a shared 2-core machine a third of its throughput. Immutable.
 *
 * @param spinNanos how long a reader polls before it sleeps (0: not at all)
 * @param yielding whether each poll yields the processor
 */
public record SpinPolicy(long spinNanos, boolean yielding) {
  /** Environment variable telling a worker to yield while it spins ({@code 1}), alongside SNAKEBRIDGE_SPIN_US. */
  public static final String YIELD_ENV = "SNAKEBRIDGE_SPIN_YIELD";
  /** Plain spinning before a yielding spinner starts to yield; {@code shm.py} has the same. */
  public static final long PLAIN_SPIN_NANOS = 10_000;

  /**
   * The policy for {@code workers} workers (all pools) on {@code processors} processors (the JVM's
   * {@code availableProcessors}, which honours CPU affinity and cgroup quotas): each worker has two
   * readers that may spin, its own and the JVM's.
   */
  public static SpinPolicy forMachine(long spinNanos, int workers, int processors) {
    return new SpinPolicy(spinNanos, 2L * workers > processors);
  }

  /** One poll's pause, {@code spunNanos} into the spin. */
  public void pause(long spunNanos) {
    if (yielding && spunNanos > PLAIN_SPIN_NANOS) {
      Thread.yield();
    } else {
      Thread.onSpinWait();
    }
  }
}
