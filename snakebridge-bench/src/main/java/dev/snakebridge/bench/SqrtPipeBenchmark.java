package dev.snakebridge.bench;

import dev.snakebridge.Transport;

/** {@link SqrtBenchmark} over the pipes instead of shared memory (with the default spin-wait). */
public class SqrtPipeBenchmark extends SqrtBenchmark {
  @Override
  protected Transport transport() {
    return Transport.PIPE;
  }
}
