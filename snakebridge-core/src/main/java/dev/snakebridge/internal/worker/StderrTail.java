package dev.snakebridge.internal.worker;

import dev.snakebridge.internal.telemetry.Logs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;

/**
 * Pumps a worker's stderr (tracebacks printed by C code, faulthandler dumps, warnings) into the log,
 * keeping the last lines for crash reports. Runs on its own named daemon thread until the pipe closes.
 */
final class StderrTail implements Runnable {
  private static final int KEPT_LINES = 30;
  private final InputStream stderr;
  private final String logger;
  private final String workerId;
  private final Deque<String> lastLines = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();

  private final java.util.function.Consumer<String> onLine;

  /** {@code logger}: the name of the logger the lines go to (asked for at the first line). */
  StderrTail(InputStream stderr, String logger, String workerId, java.util.function.Consumer<String> onLine) {
    this.stderr = stderr;
    this.logger = logger;
    this.workerId = workerId;
    this.onLine = onLine;
  }

  @Override
  public void run() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
      Logger log = null;
      for (String line; (line = in.readLine()) != null; ) {
        if (log == null) {
          log = Logs.get(logger);
        }
        log.warn("[{}] stderr: {}", workerId, line);
        onLine.accept(line);
        lock.lock();
        try {
          if (lastLines.size() == KEPT_LINES) {
            lastLines.removeFirst();
          }
          lastLines.addLast(line);
        } finally {
          lock.unlock();
        }
      }
    } catch (IOException e) {
      // The pipe closes when the process dies: nothing more to read.
    }
  }

  /** The last lines written, joined, for exception messages. */
  String lastLines() {
    lock.lock();
    try {
      return String.join("\n", lastLines);
    } finally {
      lock.unlock();
    }
  }
}
