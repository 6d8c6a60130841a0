package dev.snakebridge.internal.codec;

import dev.snakebridge.SerializationException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The payload of an {@code ERROR} frame (and of a failed call in a batch answer), as a typed value rather
 * than a list read by position. The worker builds it in {@code errors.error_value} (docs/PROTOCOL.md,
 * "Errors"):
 *
 * <pre>
 *  [type: str, qualified type: str, bases: [str, ...], message: str, traceback: str, details: {str: value}]
 *   type            the exception class's __name__ ("ValueError")
 *   qualified type  module + "." + __qualname__ ("builtins.ValueError", "snakebridge.RefNotFound")
 *   bases           the qualified names of the class's __mro__ after itself, nearest first
 *   traceback       formatted, the worker's own frames left out; may be empty
 *   details         facts about the failed call ("arg_shapes", "arg_dtypes", "java_exception_id")
 * </pre>
 *
 * Elements after the sixth are reserved for later additions and ignored. Immutable and thread-safe.
 *
 * @param bases unmodifiable
 * @param details unmodifiable, in the worker's order; values are decoded values and may be null
 */
public record PythonError(String type, String qualifiedType, List<String> bases, String message, String traceback,
    Map<String, Object> details) {

  /** The qualified type of the worker's error for a ref id its session does not hold. */
  public static final String REF_NOT_FOUND = "snakebridge.RefNotFound";

  /** Detail naming the Java exception that a Python exception stands for (a callback's, rethrown). */
  public static final String JAVA_EXCEPTION_ID = "java_exception_id";

  public PythonError {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(qualifiedType, "qualifiedType");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(traceback, "traceback");
    bases = List.copyOf(bases);
    // Not Map.copyOf: a detail may be None (a JavaException with no Java original).
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /**
   * The error of a decoded {@code ERROR} payload.
   *
   * @param decoded what {@link ValueDecoder#decode()} gave for the payload
   * @throws SerializationException ("malformed error from Python worker: ...") when it is not a list of
   *     the shape above: too short, or an element of the wrong type
   */
  public static PythonError from(Object decoded) {
    if (!(decoded instanceof List<?> e)) {
      throw malformed("expected a list, got " + describe(decoded));
    }
    if (e.size() < 6) {
      throw malformed("expected 6 elements [type, qualified type, bases, message, traceback, details], got "
          + e.size() + ": " + abbreviate(e));
    }
    String type = string(e, 0, "type");
    String qualifiedType = string(e, 1, "qualified type");
    if (!(e.get(2) instanceof List<?> rawBases)) {
      throw malformed("bases must be a list, got " + describe(e.get(2)));
    }
    List<String> bases = new ArrayList<>(rawBases.size());
    for (Object b : rawBases) {
      if (!(b instanceof String s)) {
        throw malformed("bases must hold type names, got " + describe(b));
      }
      bases.add(s);
    }
    String message = string(e, 3, "message");
    String traceback = string(e, 4, "traceback");
    if (!(e.get(5) instanceof Map<?, ?> rawDetails)) {
      throw malformed("details must be a dict, got " + describe(e.get(5)));
    }
    Map<String, Object> details = new LinkedHashMap<>();
    for (Map.Entry<?, ?> d : rawDetails.entrySet()) {
      if (!(d.getKey() instanceof String key)) {
        throw malformed("details keys must be str, got " + describe(d.getKey()));
      }
      details.put(key, d.getValue());
    }
    return new PythonError(type, qualifiedType, bases, message, traceback, details);
  }

  /**
   * Whether the Python exception is an instance of the class {@code qualifiedName}
   * ({@code isinstance(exc, cls)}): its own type or one of its bases, e.g. {@code "builtins.LookupError"}.
   */
  public boolean isInstanceOf(String qualifiedName) {
    return qualifiedType.equals(qualifiedName) || bases.contains(qualifiedName);
  }

  /** Whether this is the worker's {@code RefNotFound}: a ref its session does not hold. */
  public boolean isRefNotFound() {
    return qualifiedType.equals(REF_NOT_FOUND);
  }

  /** The id of the remembered Java exception this error stands for, when the worker named one. */
  public OptionalLong javaExceptionId() {
    return details.get(JAVA_EXCEPTION_ID) instanceof Number id ? OptionalLong.of(id.longValue()) : OptionalLong.empty();
  }

  private static String string(List<?> e, int index, String what) {
    if (!(e.get(index) instanceof String s)) {
      throw malformed(what + " (element " + index + ") must be a str, got " + describe(e.get(index)));
    }
    return s;
  }

  private static String describe(Object value) {
    return value == null ? "None" : value.getClass().getSimpleName() + " " + abbreviate(value);
  }

  /** A bounded rendering: the payload came from the peer and may be huge. */
  private static String abbreviate(Object value) {
    String text = String.valueOf(value);
    return text.length() <= 200 ? text : text.substring(0, 197) + "...";
  }

  private static SerializationException malformed(String why) {
    return new SerializationException("malformed error from Python worker: " + why);
  }
}
