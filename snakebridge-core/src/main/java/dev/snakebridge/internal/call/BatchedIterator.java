package dev.snakebridge.internal.call;

import dev.snakebridge.PyRef;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A Python iterator read from Java in batches: the first fetch asks for a few items, and each next one
 * for twice as many (up to the configured maximum), so a short {@code limit(10)} costs one small round
 * trip and 100,000 items a few hundred. A fixed batch size can be configured instead. Not thread-safe.
 */
public final class BatchedIterator implements Iterator<Object>, AutoCloseable {
  private static final int FIRST_BATCH = 16;

  private final CallEngine engine;
  private final PyRef iterator;
  private final int maxBatch;
  private final boolean adaptive;
  /** The current batch (Python's None items are nulls, so no ArrayDeque) and the next position in it. */
  private List<?> buffer = List.of();
  private int position;
  private int batch;
  private boolean done;

  BatchedIterator(CallEngine engine, PyRef iterator, int configuredBatch) {
    this.engine = engine;
    this.iterator = iterator;
    this.adaptive = configuredBatch <= 0;
    this.maxBatch = adaptive ? 4096 : configuredBatch;
    this.batch = adaptive ? FIRST_BATCH : configuredBatch;
  }

  @Override
  public boolean hasNext() {
    while (position == buffer.size() && !done) {
      List<?> answer = engine.iterNext(iterator, batch);
      buffer = (List<?>) answer.get(0);
      position = 0;
      done = Boolean.TRUE.equals(answer.get(1));
      if (adaptive) {
        batch = Math.min(maxBatch, batch * 2);
      }
    }
    return position < buffer.size();
  }

  @Override
  public Object next() {
    if (!hasNext()) {
      throw new NoSuchElementException("the Python iterator is exhausted");
    }
    return buffer.get(position++);
  }

  /** Releases this handle to the Python iterator (the iterable itself is untouched). */
  @Override
  public void close() {
    iterator.release();
  }
}
