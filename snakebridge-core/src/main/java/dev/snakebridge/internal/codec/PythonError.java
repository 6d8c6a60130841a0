package dev.snakebridge.internal.codec;

import dev.snakebridge.SerializationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Python exception as the worker sends it in an {@code ERROR} frame (docs/PROTOCOL.md): {@code [type,
 * qualified type, bases, message, traceback, details]}.
 */
public record PythonError(String type, String qualifiedType, List<String> bases, String message, String traceback,
    Map<String, Object> details) {

  /**
   * Reads the decoded error value.
   *
   * @throws SerializationException when it does not have the shape of an error
   */
  public static PythonError from(Object decoded) {
    if (!(decoded instanceof List<?> e) || e.size() < 6 || !(e.get(0) instanceof String type)
        || !(e.get(2) instanceof List<?> bases)) {
      throw new SerializationException("malformed error from Python worker: " + decoded);
    }
    List<String> baseNames = new ArrayList<>();
    bases.forEach(b -> baseNames.add(String.valueOf(b)));
    Map<String, Object> details = new LinkedHashMap<>();
    if (e.get(5) instanceof Map<?, ?> d) {
      d.forEach((k, v) -> details.put(String.valueOf(k), v));
    }
    return new PythonError(type, text(e.get(1)), List.copyOf(baseNames), text(e.get(3)), text(e.get(4)), details);
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }
}
