package dev.snakebridge;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A Python {@code tuple}: an unmodifiable {@link List}. Equal to any list with the same elements, so it
 * works as a map key (Python dicts keyed by tuples arrive as maps keyed by {@code PyTuple}). Passed to
 * Python it becomes a tuple again. Immutable and thread-safe (its elements may not be).
 */
public final class PyTuple extends AbstractList<Object> implements RandomAccess {
  private static final PyTuple EMPTY = new PyTuple(new Object[0]);
  private final Object[] items;

  private PyTuple(Object[] items) {
    this.items = items;
  }

  /** A tuple of the given elements (copied; nulls allowed, as Python's {@code None}). */
  public static PyTuple of(Object... items) {
    return items.length == 0 ? EMPTY : new PyTuple(items.clone());
  }

  /** A tuple of the elements of {@code items}, in order. */
  public static PyTuple copyOf(List<?> items) {
    return items.isEmpty() ? EMPTY : new PyTuple(items.toArray());
  }

  /** Wraps an array the caller hands over and never touches again (for decoders). */
  static PyTuple wrap(Object[] items) {
    return new PyTuple(items);
  }

  @Override
  public Object get(int index) {
    return items[index];
  }

  @Override
  public int size() {
    return items.length;
  }

  @Override
  public String toString() {
    if (items.length == 1) {
      return "(" + items[0] + ",)";
    }
    String inner = Arrays.toString(items);
    return "(" + inner.substring(1, inner.length() - 1) + ")";
  }
}
