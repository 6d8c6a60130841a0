package dev.snakebridge.bench;

import dev.snakebridge.Transport;

/** {@link SqrtBenchmark} over the pipes (with the default spin-wait), to compare with shared memory. */
public class SqrtPipeBenchmark extends SqrtBenchmark {
  @Override
  protected Transport transport() {
    return Transport.PIPE;
  }
}
