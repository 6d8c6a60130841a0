package dev.snakebridge.bench;

import java.time.Duration;

/**
 * {@link SqrtBenchmark} over the pipes with polling turned off ({@code spinWait(Duration.ZERO)}): both
 * sides sleep in {@code read} at once, as the raw echo floor does, so the ratio to the floor shows the runtime's own
 * overhead (codec, dispatch, hand-offs) rather than the wake-ups that polling avoids. JMH inherits the
 * benchmark method.
 */
public class SqrtNoSpinBenchmark extends SqrtBenchmark {
  @Override
  protected dev.snakebridge.Transport transport() {
    return dev.snakebridge.Transport.PIPE;
  }

  @Override
  protected Duration spinWait() {
    return Duration.ZERO;
  }
}
