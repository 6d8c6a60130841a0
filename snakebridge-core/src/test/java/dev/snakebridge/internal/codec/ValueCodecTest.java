package dev.snakebridge.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snakebridge.PyComplex;
import dev.snakebridge.SerializationException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Java codec against itself: every value the Python side can send decodes to what was encoded. */
class ValueCodecTest {
  private static Object roundTrip(Object value) {
    ByteSink sink = new ByteSink(16);
    new ValueEncoder(sink, null).encode(value);
    ValueDecoder decoder = new ValueDecoder(sink.array(), 0, sink.position(),
        (id, type, repr) -> "ref:" + id, items -> Arrays.asList(items));
    Object decoded = decoder.decode();
    assertThat(decoder.hasRemaining()).isFalse();
    return decoded;
  }

  @Test
  void scalarsAndEdgeValuesRoundTrip() {
    List<Object> values = List.of(
        true, false, 0L, Long.MAX_VALUE, Long.MIN_VALUE, -1L,
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE,
        "", "\u0000", "héllo", "😀 astral", "a\u0000b",
        new BigInteger("18446744073709551616"), new BigInteger("-18446744073709551617"),
        new PyComplex(1.5, -2), new BigDecimal("3.14159265358979323846264338327950288"),
        LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31), LocalTime.of(23, 59, 59, 999_999_000),
        LocalDateTime.of(2024, 2, 29, 12, 30, 1, 123_456_000),
        OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 6000, ZoneOffset.ofHoursMinutes(-5, -30)),
        Duration.ofSeconds(-86401, 500_000_000), Duration.ZERO, UUID.randomUUID());
    for (Object v : values) {
      Object back = roundTrip(v);
      if (v instanceof Double d) {
        assertThat(Double.doubleToRawLongBits((Double) back)).as("bits of %s", v).isEqualTo(Double.doubleToRawLongBits(d));
      } else {
        assertThat(back).as("round trip of %s", v).isEqualTo(v);
      }
    }
  }

  @Test
  void narrowJavaTypesWiden() {
    assertThat(roundTrip(7)).isEqualTo(7L);
    assertThat(roundTrip((short) -3)).isEqualTo(-3L);
    assertThat(roundTrip((byte) 5)).isEqualTo(5L);
    assertThat(roundTrip(1.5f)).isEqualTo(1.5);
    assertThat(roundTrip('x')).isEqualTo("x");
    assertThat(roundTrip(BigInteger.TEN)).isEqualTo(10L);
    assertThat(roundTrip(new Object[] {1, "a", null})).isEqualTo(Arrays.asList(1L, "a", null));
  }

  @Test
  void bytesStayBytes() {
    assertThat((byte[]) roundTrip(new byte[] {0, -1, 127})).containsExactly(0, -1, 127);
  }

  @Test
  void containersKeepOrderAndNesting() {
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put("z", 1L);
    map.put("a", List.of(1L, List.of()));
    map.put(3L, null);
    Set<Object> set = new LinkedHashSet<>(List.of("b", "a", 9L));
    Object back = roundTrip(List.of(map, set, List.of(), Map.of()));
    assertThat(back).isEqualTo(List.of(map, set, List.of(), Map.of()));
    assertThat(new ArrayList<Object>(((Map<?, ?>) ((List<?>) back).get(0)).keySet())).containsExactly("z", "a", 3L);
  }

  @Test
  void unsupportedValueFailsBeforeAnythingIsSent() {
    assertThatThrownBy(() -> new ValueEncoder(new ByteSink(8), null).encode(List.of(new Thread())))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("java.lang.Thread");
  }

  @Test
  void selfContainingCollectionIsRefused() {
    List<Object> loop = new ArrayList<>();
    loop.add(loop);
    assertThatThrownBy(() -> new ValueEncoder(new ByteSink(8), null).encode(loop))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("nested deeper");
  }

  @Test
  void randomValuesRoundTrip() {
    Random random = new Random(42);
    for (int i = 0; i < 2000; i++) {
      Object v = randomValue(random, 0);
      assertThat(roundTrip(v)).isEqualTo(v);
    }
  }

  private static Object randomValue(Random r, int depth) {
    int kind = r.nextInt(depth > 3 ? 6 : 9);
    return switch (kind) {
      case 0 -> null;
      case 1 -> r.nextBoolean();
      case 2 -> r.nextLong();
      case 3 -> r.nextDouble() * 1e6;
      case 4 -> randomString(r);
      case 5 -> new BigInteger(100, r).negate();
      case 6 -> {
        List<Object> list = new ArrayList<>();
        for (int i = r.nextInt(5); i > 0; i--) {
          list.add(randomValue(r, depth + 1));
        }
        yield list;
      }
      case 7 -> {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = r.nextInt(5); i > 0; i--) {
          map.put(randomString(r), randomValue(r, depth + 1));
        }
        yield map;
      }
      default -> new LinkedHashSet<>(List.of(r.nextLong(), randomString(r) + "!"));
    };
  }

  private static String randomString(Random r) {
    StringBuilder sb = new StringBuilder();
    for (int i = r.nextInt(8); i > 0; i--) {
      int cp = switch (r.nextInt(4)) {
        case 0 -> r.nextInt(0x80);
        case 1 -> 0x80 + r.nextInt(0x700);
        case 2 -> 0x1F600 + r.nextInt(0x40);
        default -> 0xE000 + r.nextInt(0x1000);
      };
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }
}
