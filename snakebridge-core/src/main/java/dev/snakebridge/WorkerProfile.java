package dev.snakebridge;

/** How many user calls one worker process executes at once. */
public enum WorkerProfile {
  /**
   * One user call at a time per process (the default): for CPU-bound work. OMP, MKL and OpenBLAS thread
   * counts are set to 1 unless the pool's environment says otherwise, so N workers use N cores.
   */
  PROCESS,
  /** Up to the pool's {@code threadsPerWorker} user calls at once per process: for I/O-bound work. */
  THREAD
}
