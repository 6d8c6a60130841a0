package dev.snakebridge.internal.codec;

import dev.snakebridge.PyComplex;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.SplittableRandom;

/**
 * Random values of every kind the codec maps, in the form it decodes to (a Java int is sent as a Python
 * int and comes back as a {@code Long}, so only {@code Long}s are made), nested to depth 3, with the
 * edge cases of each kind (NaN, -0.0, the infinities, the extreme longs, empty text and containers, every
 * Unicode plane) made often. Deterministic for a given seed, so that a failure can be replayed.
 */
public final class WireValues {
  private static final long[] EDGE_LONGS = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE,
      Integer.MAX_VALUE, 1L << 53, -(1L << 53) - 1};
  private static final double[] EDGE_DOUBLES = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, 1e-310};

  private final SplittableRandom random;

  public WireValues(long seed) {
    this.random = new SplittableRandom(seed);
  }

  public Object any() {
    return nested(3);
  }

  private Object nested(int depth) {
    int pick = random.nextInt(8);
    if (depth == 0 || pick < 6) {
      return scalar();
    }
    if (pick == 6) {
      List<Object> list = new ArrayList<>();
      for (int i = random.nextInt(6); i > 0; i--) {
        list.add(nested(depth - 1));
      }
      return list;
    }
    Map<Object, Object> map = new LinkedHashMap<>();
    for (int i = random.nextInt(5); i > 0; i--) {
      map.put(text(8, false), nested(depth - 1));
    }
    return map;
  }

  private Object scalar() {
    return switch (random.nextInt(15)) {
      case 0 -> null;
      case 1 -> random.nextBoolean();
      case 2 -> random.nextInt(4) == 0 ? EDGE_LONGS[random.nextInt(EDGE_LONGS.length)] : random.nextLong();
      case 3 -> random.nextInt(4) == 0
          ? EDGE_DOUBLES[random.nextInt(EDGE_DOUBLES.length)]
          : Double.longBitsToDouble(random.nextLong());
      case 4 -> text(40, false);
      // Any code point; lone surrogates are not text (no UTF-8 form) and cross replaced (docs/PROTOCOL.md).
      case 5 -> text(20, true);
      case 6 -> {
        byte[] bytes = new byte[random.nextInt(33)];
        random.nextBytes(bytes);
        yield bytes;
      }
      // Integers that do not fit a long travel as Python ints too, and come back as BigInteger.
      case 7 -> new BigInteger(64 + random.nextInt(37), new java.util.Random(random.nextLong()))
          .setBit(63 + random.nextInt(37)).multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1));
      case 8 -> new PyComplex(anyDouble(), anyDouble());
      case 9 -> BigDecimal.valueOf(random.nextLong(), 6).stripTrailingZeros();
      case 10 -> LocalDate.ofEpochDay(random.nextLong(LocalDate.of(1, 1, 1).toEpochDay(),
          LocalDate.of(9999, 12, 31).toEpochDay() + 1));
      case 11 -> LocalTime.ofNanoOfDay(random.nextLong(86_400_000_000L) * 1000);
      case 12 -> {
        long s = random.nextLong(-62_135_596_800L, 253_402_300_800L);
        yield LocalDateTime.ofEpochSecond(s, random.nextInt(1_000_000) * 1000, java.time.ZoneOffset.UTC);
      }
      case 13 -> Duration.ofNanos(random.nextLong(-86_399_999_999_999L, 86_400_000_000_000L) * 1000);
      default -> new UUID(random.nextLong(), random.nextLong());
    };
  }

  private double anyDouble() {
    return random.nextBoolean() ? EDGE_DOUBLES[random.nextInt(EDGE_DOUBLES.length)] : random.nextDouble() * 1e6;
  }

  /** Text of up to {@code max} code points: ASCII, or with {@code allPlanes} any non-surrogate code point. */
  private String text(int max, boolean allPlanes) {
    StringBuilder out = new StringBuilder();
    for (int i = random.nextInt(max + 1); i > 0; i--) {
      int c;
      if (!allPlanes) {
        c = 0x20 + random.nextInt(0x5f);
      } else {
        do {
          c = switch (random.nextInt(3)) {
            case 0 -> random.nextInt(0x80);
            case 1 -> random.nextInt(0x10000);
            default -> random.nextInt(Character.MAX_CODE_POINT + 1);
          };
        } while (c >= 0xD800 && c <= 0xDFFF);
      }
      out.appendCodePoint(c);
    }
    return out.toString();
  }

  /** A value and its types, printable whatever characters it holds (for failure messages). */
  public static String describe(Object value) {
    String text = value instanceof byte[] b ? Arrays.toString(b) : String.valueOf(value);
    StringBuilder out = new StringBuilder();
    text.codePoints().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\u{%x}", c)));
    return out + " (" + (value == null ? "null" : value.getClass().getSimpleName()) + ")";
  }

  /** Exact equality, with arrays by content and doubles by bits (NaN equals NaN, -0.0 differs from 0.0). */
  public static boolean same(Object a, Object b) {
    if (a instanceof byte[] x && b instanceof byte[] y) {
      return Arrays.equals(x, y);
    }
    if (a instanceof Double x && b instanceof Double y) {
      return Double.doubleToLongBits(x) == Double.doubleToLongBits(y);
    }
    if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
      return x.compareTo(y) == 0;
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!same(x.get(i), y.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : x.entrySet()) {
        if (!y.containsKey(e.getKey()) || !same(e.getValue(), y.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(a, b);
  }
}
