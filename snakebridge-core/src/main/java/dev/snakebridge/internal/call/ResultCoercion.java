package dev.snakebridge.internal.call;

import dev.snakebridge.SerializationException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/** Converts a call's result to the Java type the caller asked for, with exact numeric coercion. */
public final class ResultCoercion {
  private static final Map<Class<?>, Class<?>> BOXES = Map.of(
      int.class, Integer.class, long.class, Long.class, double.class, Double.class,
      float.class, Float.class, short.class, Short.class, byte.class, Byte.class, boolean.class, Boolean.class);

  private ResultCoercion() {}

  @SuppressWarnings("unchecked")
  public static <T> T coerce(Object value, Class<T> requested) {
    Class<?> type = BOXES.getOrDefault(requested, requested);
    if (value == null) {
      if (requested.isPrimitive()) {
        throw new SerializationException("Python returned None, which cannot be a " + requested.getName());
      }
      return null;
    }
    if (type.isInstance(value)) {
      return (T) type.cast(value);
    }
    if (value instanceof Number n && !(value instanceof Boolean)) {
      Object converted = convertNumber(n, type);
      if (converted != null) {
        return (T) converted;
      }
    }
    throw new SerializationException(
        "cannot convert the Python result " + describe(value) + " to " + requested.getName());
  }

  private static Object convertNumber(Number n, Class<?> type) {
    BigDecimal exact = exact(n);
    if (exact == null) {
      // NaN and infinities exist only as floating point values.
      if (type == Double.class) {
        return n.doubleValue();
      }
      if (type == Float.class) {
        return n.floatValue();
      }
      return null;
    }
    try {
      if (type == Long.class) {
        return exact.longValueExact();
      } else if (type == Integer.class) {
        return exact.intValueExact();
      } else if (type == Short.class) {
        return exact.shortValueExact();
      } else if (type == Byte.class) {
        return exact.byteValueExact();
      } else if (type == BigInteger.class) {
        return exact.toBigIntegerExact();
      } else if (type == BigDecimal.class) {
        return exact;
      } else if (type == Double.class) {
        return n.doubleValue();
      } else if (type == Float.class) {
        return n.floatValue();
      } else if (type == Number.class) {
        return n;
      }
    } catch (ArithmeticException e) {
      throw new SerializationException(
          "the Python result " + describe(n) + " does not fit a " + type.getName() + " exactly");
    }
    return null;
  }

  /** The exact decimal value of a number, or null for NaN and infinities. */
  private static BigDecimal exact(Number n) {
    return switch (n) {
      case Double d when d.isNaN() || d.isInfinite() -> null;
      case Float f when f.isNaN() || f.isInfinite() -> null;
      case Double d -> new BigDecimal(d);
      case Float f -> new BigDecimal(f);
      case BigInteger b -> new BigDecimal(b);
      case BigDecimal b -> b;
      default -> BigDecimal.valueOf(n.longValue());
    };
  }

  private static String describe(Object value) {
    String text = String.valueOf(value);
    if (text.length() > 60) {
      text = text.substring(0, 60) + "…";
    }
    return text + " (" + value.getClass().getSimpleName() + ")";
  }
}
