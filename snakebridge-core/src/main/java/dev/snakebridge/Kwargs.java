package dev.snakebridge;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Keyword arguments for a Python call, recognised by type when passed as a trailing argument:
 *
 * <pre>{@code
 * SnakeBridge.call("builtins", "sorted", List.of(3, 1, 2), Kwargs.kw("reverse", true));
 * // Python: sorted([3, 1, 2], reverse=True)
 * }</pre>
 *
 * <p>Insertion order is kept. Immutable: {@link #and} returns a new instance. Thread-safe.
 */
public final class Kwargs {
  private static final Kwargs NONE = new Kwargs(Map.of());
  private final Map<String, Object> values;

  private Kwargs(Map<String, Object> values) {
    this.values = values;
  }

  /** No keyword arguments. */
  public static Kwargs none() {
    return NONE;
  }

  /** One keyword argument {@code name=value}; chain {@link #and} for more. */
  public static Kwargs kw(String name, Object value) {
    return NONE.and(name, value);
  }

  /** Keyword arguments from a map, in its iteration order. */
  public static Kwargs of(Map<String, ?> values) {
    Kwargs result = NONE;
    for (Map.Entry<String, ?> e : values.entrySet()) {
      result = result.and(e.getKey(), e.getValue());
    }
    return result;
  }

  /**
   * This plus {@code name=value}.
   *
   * @throws IllegalArgumentException if {@code name} is already present or is not a Python identifier
   */
  public Kwargs and(String name, Object value) {
    Objects.requireNonNull(name, "name");
    if (!isIdentifier(name)) {
      throw new IllegalArgumentException("keyword argument name must be a Python identifier, got '" + name + "'");
    }
    if (values.containsKey(name)) {
      throw new IllegalArgumentException("keyword argument '" + name + "' given twice");
    }
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>(values);
    copy.put(name, value);
    return new Kwargs(Collections.unmodifiableMap(copy));
  }

  private static boolean isIdentifier(String name) {
    if (name.isEmpty() || !(Character.isLetter(name.codePointAt(0)) || name.charAt(0) == '_')) {
      return false;
    }
    return name.codePoints().allMatch(c -> Character.isLetterOrDigit(c) || c == '_');
  }

  /** The arguments, name to value, in insertion order (unmodifiable). */
  public Map<String, Object> asMap() {
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Kwargs other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "Kwargs" + values;
  }
}
