package dev.snakebridge.bench;

import dev.snakebridge.Transport;

/** {@link SqrtBenchmark} over the opt-in shared-memory transport (with the default spin-wait). */
public class SqrtSharedMemoryBenchmark extends SqrtBenchmark {
  @Override
  protected Transport transport() {
    return Transport.SHARED_MEMORY;
  }
}
