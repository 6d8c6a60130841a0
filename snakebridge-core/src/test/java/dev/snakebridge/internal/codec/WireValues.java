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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * jqwik generators of every value the codec maps, in the form it decodes to (a Java int is sent as a
 * Python int and comes back as a {@code Long}, so only {@code Long}s are generated), nested to depth 3.
 */
public final class WireValues {
  private WireValues() {}

  public static Arbitrary<Object> any() {
    return nested(3);
  }

  private static Arbitrary<Object> nested(int depth) {
    if (depth == 0) {
      return scalars();
    }
    Arbitrary<Object> inner = Arbitraries.lazy(() -> nested(depth - 1));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, scalars()),
        net.jqwik.api.Tuple.of(1, inner.list().ofMaxSize(5).map(l -> (Object) l)),
        net.jqwik.api.Tuple.of(1, Arbitraries.maps(Arbitraries.strings().ofMaxLength(8), inner).ofMaxSize(4)
            .map(m -> (Object) new java.util.LinkedHashMap<>(m))));
  }

  @SuppressWarnings("unchecked")
  private static Arbitrary<Object> scalars() {
    return Arbitraries.oneOf(List.of(
        Arbitraries.just(null),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.doubles().withSpecialValue(Double.NaN).withSpecialValue(-0.0)
            .withSpecialValue(Double.POSITIVE_INFINITY).map(d -> (Object) d),
        Arbitraries.strings().ofMaxLength(40).map(s -> (Object) s),
        // Any code point; lone surrogates are not text (no UTF-8 form) and cross replaced (docs/PROTOCOL.md).
        Arbitraries.strings().all().ofMaxLength(20)
            .filter(s -> s.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF)).map(s -> (Object) s),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(32).map(b -> (Object) b),
        Arbitraries.bigIntegers().between(BigInteger.TWO.pow(100).negate(), BigInteger.TWO.pow(100))
            .filter(b -> b.bitLength() >= 64).map(b -> (Object) b),
        Arbitraries.doubles().flatMap(re -> Arbitraries.doubles().map(im -> (Object) new PyComplex(re, im))),
        Arbitraries.bigDecimals().ofScale(6).map(d -> (Object) d.stripTrailingZeros()),
        Arbitraries.longs().between(LocalDate.of(1, 1, 1).toEpochDay(), LocalDate.of(9999, 12, 31).toEpochDay())
            .map(d -> (Object) LocalDate.ofEpochDay(d)),
        Arbitraries.longs().between(0, 86_399_999_999L).map(us -> (Object) LocalTime.ofNanoOfDay(us * 1000)),
        Arbitraries.longs().between(-62_135_596_800L, 253_402_300_799L).map(s -> (Object)
            LocalDateTime.ofEpochSecond(s, (int) Math.floorMod(s * 7919, 1_000_000) * 1000, java.time.ZoneOffset.UTC)),
        Arbitraries.longs().between(-86_399_999_999_999L, 86_399_999_999_999L).map(us -> (Object) Duration.ofNanos(us * 1000)),
        Arbitraries.longs().map(hi -> (Object) new UUID(hi, ~hi * 31))));
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
