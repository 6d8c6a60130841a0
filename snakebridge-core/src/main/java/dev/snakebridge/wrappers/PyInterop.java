package dev.snakebridge.wrappers;

import dev.snakebridge.Kwargs;
import dev.snakebridge.NDArray;
import dev.snakebridge.PyRef;
import dev.snakebridge.PyTuple;
import dev.snakebridge.ResultTypeException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What generated wrappers share: arguments (a wrapper passes its ref, in containers too), result
 * conversions that name both Python types when a result does not fit ({@link ResultTypeException}, never
 * a {@code ClassCastException}), and iteration in the ref's own runtime. Used by generated code; stateless
 * and thread-safe.
 */
public final class PyInterop {
  private PyInterop() {}

  /**
   * An argument as the runtime takes it: a wrapper becomes its ref, also inside lists, tuples, sets, maps
   * and arrays; everything else is unchanged.
   *
   * @param value the argument
   * @return the value to send
   */
  public static Object arg(Object value) {
    if (value instanceof PyObject o) {
      return o.ref();
    }
    if (value instanceof PyTuple t) {
      return hasWrapper(t) ? PyTuple.copyOf(convert(t)) : t;
    }
    if (value instanceof List<?> l) {
      return hasWrapper(l) ? convert(l) : l;
    }
    if (value instanceof Set<?> s) {
      return hasWrapper(s) ? new LinkedHashSet<>(convert(s)) : s;
    }
    if (value instanceof Map<?, ?> m) {
      if (!hasWrapper(m.keySet()) && !hasWrapper(m.values())) {
        return m;
      }
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(arg(k), arg(v)));
      return out;
    }
    if (value instanceof Object[] a) {
      return hasWrapper(Arrays.asList(a)) ? convert(Arrays.asList(a)) : a;
    }
    return value;
  }

  private static boolean hasWrapper(Collection<?> values) {
    for (Object v : values) {
      if (v instanceof PyObject || v instanceof Collection<?> || v instanceof Map<?, ?> || v instanceof Object[]) {
        if (arg(v) != v) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<Object> convert(Collection<?> values) {
    List<Object> out = new ArrayList<>(values.size());
    for (Object v : values) {
      out.add(arg(v));
    }
    return out;
  }

  /**
   * The argument array of a call with {@code *args}: the fixed arguments, then {@code varargs}, then the
   * keyword arguments (if any), each through {@link #arg}.
   *
   * @param fixed the leading positional arguments
   * @param varargs more positional arguments, or null
   * @param kwargs keyword arguments, or null
   * @return the arguments to pass on
   */
  public static Object[] args(Object[] fixed, Object[] varargs, Kwargs kwargs) {
    List<Object> out = new ArrayList<>();
    for (Object o : fixed) {
      out.add(o instanceof Kwargs ? o : arg(o));
    }
    if (varargs != null) {
      for (Object o : varargs) {
        out.add(o instanceof Kwargs ? o : arg(o));
      }
    }
    if (kwargs != null) {
      out.add(kwargs);
    }
    return out.toArray();
  }

  /**
   * The ref inside {@code value}, which must be a {@link PyRef} or a wrapper of an object of {@code
   * pythonType} or a subclass of it.
   *
   * @param value the value
   * @param pythonType the expected Python type ({@code module.QualifiedName}, as {@link PyRef#typeName()}
   *     names it); null accepts any object
   * @return the ref
   * @throws ResultTypeException when the value crossed by value (it is plain data, or None), or is an
   *     object of another Python type
   */
  public static PyRef ref(Object value, String pythonType) {
    PyRef ref = value instanceof PyRef r ? r : value instanceof PyObject o ? o.ref() : null;
    if (ref == null) {
      throw mismatch(pythonType, value);
    }
    if (pythonType == null || pythonType.equals(ref.typeName()) || hasBase(ref, pythonType)) {
      return ref;
    }
    throw mismatch(pythonType, ref);
  }

  /**
   * Whether a class in the object's method resolution order is {@code pythonType}. Asked of Python (in
   * the ref's own runtime) only when the names differ, that is for a subclass or a wrong type, never for
   * the common exact match.
   */
  private static boolean hasBase(PyRef ref, String pythonType) {
    if (!(ref.attr("__class__") instanceof PyRef type) || !(type.call("mro") instanceof List<?> classes)) {
      return false;
    }
    for (Object c : classes) {
      if (c instanceof PyRef base && pythonType.equals(base.attr("__module__") + "." + base.attr("__qualname__"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * A result as {@code Long} (Python {@code int}); null for {@code None}.
   *
   * @param value the result
   * @return the number
   * @throws ArithmeticException when an int does not fit in 64 bits
   * @throws ResultTypeException when the result is not an integral number
   */
  public static Long asLong(Object value) {
    if (value == null || value instanceof Long) {
      return (Long) value;
    }
    if (value instanceof BigInteger b) {
      return b.longValueExact();
    }
    if (value instanceof Boolean b) {
      return b ? 1L : 0L;
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw mismatch("int", value);
    }
    return n.longValue();
  }

  /**
   * A result as {@code Double} (Python {@code float}, or an int); null for {@code None}.
   *
   * @param value the result
   * @return the number
   * @throws ResultTypeException when the result is not a number
   */
  public static Double asDouble(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n)) {
      throw mismatch("float", value);
    }
    return n.doubleValue();
  }

  /**
   * A result as {@code Boolean}; null for {@code None}.
   *
   * @param value the result
   * @return the boolean
   * @throws ResultTypeException when the result is not a bool
   */
  public static Boolean asBoolean(Object value) {
    return as(Boolean.class, "bool", value);
  }

  /**
   * A result as {@code String}; null for {@code None}.
   *
   * @param value the result
   * @return the string
   * @throws ResultTypeException when the result is not a str
   */
  public static String asString(Object value) {
    return as(String.class, "str", value);
  }

  /**
   * A result as {@code byte[]}; null for {@code None}.
   *
   * @param value the result
   * @return the bytes
   * @throws ResultTypeException when the result is not bytes
   */
  public static byte[] asBytes(Object value) {
    return as(byte[].class, "bytes", value);
  }

  /**
   * A result as {@code List} (a Python list or tuple); null for {@code None}.
   *
   * @param value the result
   * @return the list
   * @throws ResultTypeException when the result is not a list or tuple
   */
  @SuppressWarnings("unchecked")
  public static List<Object> asList(Object value) {
    return as(List.class, "list", value);
  }

  /**
   * A result as {@code Map} (a Python dict); null for {@code None}.
   *
   * @param value the result
   * @return the map
   * @throws ResultTypeException when the result is not a dict
   */
  @SuppressWarnings("unchecked")
  public static Map<Object, Object> asMap(Object value) {
    return as(Map.class, "dict", value);
  }

  private static <T> T as(Class<T> type, String pythonType, Object value) {
    if (value == null || type.isInstance(value)) {
      return type.cast(value);
    }
    throw mismatch(pythonType, value);
  }

  /**
   * Python's {@code iter(ref)} as a Java iterator, in the ref's own runtime; items are fetched in batches.
   *
   * @param ref an iterable Python object
   * @return the iterator
   */
  public static Iterator<Object> iterator(PyRef ref) {
    return ref.iterator();
  }

  /**
   * The exception for a result that is not of {@code expected}: it names the Python type that came back.
   *
   * @param expected the declared Python type
   * @param value what came back
   * @return the exception to throw
   */
  public static ResultTypeException mismatch(String expected, Object value) {
    String detail = value == null ? null : value instanceof PyRef r ? r.toString() : shortly(value);
    return new ResultTypeException(expected, pythonTypeOf(value), detail);
  }

  private static String shortly(Object value) {
    String text = value.getClass().getSimpleName() + " " + value;
    return text.length() > 80 ? text.substring(0, 79) + "…" : text;
  }

  /** The Python type a decoded value came from, as a Python programmer would name it. */
  static String pythonTypeOf(Object value) {
    return switch (value) {
      case null -> "None";
      case PyRef r -> r.typeName();
      case PyObject o -> o.ref().typeName();
      case Boolean b -> "bool";
      case Long l -> "int";
      case Integer i -> "int";
      case BigInteger b -> "int";
      case Double d -> "float";
      case String s -> "str";
      case byte[] b -> "bytes";
      case PyTuple t -> "tuple";
      case List<?> l -> "list";
      case Set<?> s -> "set";
      case Map<?, ?> m -> "dict";
      case NDArray a -> "numpy.ndarray (as NDArray)";
      default -> value.getClass().getName();
    };
  }
}
