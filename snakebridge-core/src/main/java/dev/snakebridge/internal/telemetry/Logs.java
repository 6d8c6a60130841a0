package dev.snakebridge.internal.telemetry;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The library's SLF4J loggers, asked for when a message is logged rather than when a class loads.
 *
 * <p>SLF4J's own start (finding its provider, reading its configuration) costs tens of milliseconds of a
 * cold JVM, and a runtime that starts without anything to say need not pay it before its first call:
 * classes ask for their logger only when they log. The first thread to log starts SLF4J; another
 * thread that logs meanwhile waits for that start to end, because a logger that SLF4J hands out while
 * it is starting is a substitute that may drop what it is given. Thread-safe.
 */
public final class Logs {
  /** How long a logger waits for another thread's start of SLF4J before asking anyway. */
  private static final long START_WAIT_SECONDS = 10;
  private static final AtomicBoolean BEGUN = new AtomicBoolean();
  private static final CountDownLatch STARTED = new CountDownLatch(1);

  private Logs() {}

  /** Starts SLF4J on this thread unless another thread has begun to; returns once it has started. */
  private static void start() {
    if (BEGUN.compareAndSet(false, true)) {
      try {
        LoggerFactory.getILoggerFactory();
      } finally {
        STARTED.countDown();
      }
      return;
    }
    awaitStart();
  }

  /** The logger {@code name}, once SLF4J has started (here, when no thread has begun it). */
  public static Logger get(String name) {
    if (STARTED.getCount() != 0) {
      start();
    }
    return LoggerFactory.getLogger(name);
  }

  private static void awaitStart() {
    boolean interrupted = false;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_WAIT_SECONDS);
    while (STARTED.getCount() != 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break; // SLF4J's start hangs on its thread: a substitute logger beats blocking the caller forever
      }
      try {
        STARTED.await(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
