package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every mapped type, with edge values, through a real Python identity function and back. */
class TypesIT {
  static SnakeBridgeRuntime py;

  @BeforeAll
  static void start() {
    py = Workers.start(1);
  }

  @AfterAll
  static void stop() {
    py.close();
  }

  private static Object echo(Object value) {
    return py.callHelper("sb_test_helpers.identity", value);
  }

  private static String pythonType(Object value) {
    return (String) py.callHelper("sb_test_helpers.type_name", value);
  }

  @Test
  void everyMappedTypeRoundTrips() {
    List<Object> values = new ArrayList<>(List.of(
        true, false, 0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE,
        new BigInteger("9223372036854775808"), new BigInteger("-9223372036854775809"),
        BigInteger.TWO.pow(200), BigInteger.TWO.pow(200).negate(),
        0.0, 1.5, Double.MAX_VALUE, Double.MIN_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        "", "plain", "\u0000", "nul\u0000inside", "héllo wörld", "😀🐍 astral", "\uFFFF",
        new PyComplex(1, -2.5), new BigDecimal("123.4500"), new BigDecimal("-1E+30"),
        LocalDate.of(1, 1, 1), LocalDate.of(9999, 12, 31), LocalDate.of(2024, 2, 29),
        LocalTime.MIDNIGHT, LocalTime.of(23, 59, 59, 999_999_000),
        LocalDateTime.of(2024, 2, 29, 12, 30, 1, 123_456_000),
        OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 6000, ZoneOffset.ofHoursMinutes(5, 30)),
        OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC),
        OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(-8)),
        Duration.ZERO, Duration.ofDays(-3).plusNanos(1000), Duration.ofSeconds(86_399, 999_999_000),
        UUID.randomUUID(), new UUID(0, 0),
        List.of(), List.of(1L, List.of(2L, List.of(3L))), Map.of(), Set.of()));
    values.add(null);
    for (Object v : values) {
      assertThat(echo(v)).as("round trip of %s", v).isEqualTo(v);
    }
    assertThat(Double.isNaN((Double) echo(Double.NaN))).isTrue();
    assertThat(Double.doubleToRawLongBits((Double) echo(-0.0))).isEqualTo(Double.doubleToRawLongBits(-0.0));
  }

  @Test
  void javaValuesBecomeTheRightPythonTypes() {
    assertThat(pythonType(1)).isEqualTo("builtins.int");
    assertThat(pythonType((short) 1)).isEqualTo("builtins.int");
    assertThat(pythonType(1.5f)).isEqualTo("builtins.float");
    assertThat(pythonType(true)).isEqualTo("builtins.bool");
    assertThat(pythonType(new byte[] {1})).isEqualTo("builtins.bytes");
    assertThat(pythonType(PyTuple.of(1, 2))).isEqualTo("builtins.tuple");
    assertThat(pythonType(Set.of(1))).isEqualTo("builtins.set");
    assertThat(pythonType(new PyComplex(0, 1))).isEqualTo("builtins.complex");
    assertThat(pythonType(new BigDecimal("1.1"))).isEqualTo("decimal.Decimal");
    assertThat(pythonType(LocalDate.now())).isEqualTo("datetime.date");
    assertThat(pythonType(LocalDateTime.now())).isEqualTo("datetime.datetime");
    assertThat(pythonType(Duration.ofSeconds(1))).isEqualTo("datetime.timedelta");
    assertThat(pythonType(UUID.randomUUID())).isEqualTo("uuid.UUID");
  }

  @Test
  void bytesAndTuplesKeepTheirKind() {
    assertThat((byte[]) echo(new byte[] {0, -128, 127})).containsExactly(0, -128, 127);
    Object tuple = echo(PyTuple.of(1, "a", null));
    assertThat(tuple).isInstanceOf(PyTuple.class).isEqualTo(PyTuple.of(1L, "a", null));
    assertThat(py.call("builtins", "bytearray", SnakeBridge.bytes("ab"))).isInstanceOf(byte[].class);
    assertThat(py.call("builtins", "frozenset", List.of(1, 2))).isEqualTo(Set.of(1L, 2L));
  }

  @Test
  void dictsKeepOrderAndAcceptAnyHashableKey() {
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put("z", 1L);
    map.put(PyTuple.of(1L, 2L), "tuple key");
    map.put(3L, null);
    map.put(2.5, List.of());
    Object back = echo(map);
    assertThat(back).isEqualTo(map);
    assertThat(new ArrayList<Object>(((Map<?, ?>) back).keySet())).containsExactly("z", PyTuple.of(1L, 2L), 3L, 2.5);
    Set<Object> ordered = new LinkedHashSet<>(List.of("b", "a"));
    assertThat(echo(ordered)).isEqualTo(ordered);
  }

  @Test
  void subclassesCrossByValue() {
    assertThat(py.callHelper("sb_test_helpers.subclass_values"))
        .isEqualTo(List.of(5L, "s", Map.of("b", 1L, "a", 2L), true));
  }

  @Test
  void nonPlainElementsBecomeRefsInsideContainers() {
    List<?> mixed = (List<?>) py.callHelper("sb_test_helpers.with_object", 7);
    assertThat(mixed.get(0)).isEqualTo(7L);
    assertThat(mixed.get(1)).isInstanceOf(PyRef.class);
    assertThat(((PyRef) mixed.get(1)).call("get")).isEqualTo(7L);
    assertThat(((Map<?, ?>) mixed.get(2)).get("k")).isInstanceOf(PyRef.class);
  }

  @Test
  void selfContainingListComesBackAsARef() {
    Object cycle = py.callHelper("sb_test_helpers.make_cycle");
    assertThat(cycle).isInstanceOf(PyRef.class);
    assertThat(((PyRef) cycle).len()).isEqualTo(2);
  }

  @Test
  void numpyValuesCrossByValueAndArraysAsRefs() {
    assertThat(py.call("numpy", "float64", 2.5)).isEqualTo(2.5);
    assertThat(py.call("numpy", "int64", 7)).isEqualTo(7L);
    assertThat(py.call("numpy", "bool_", true)).isEqualTo(true);
    Object array = py.call("numpy", "array", List.of(1, 2, 3));
    assertThat(array).isInstanceOf(PyRef.class);
    assertThat(((PyRef) array).typeName()).isEqualTo("numpy.ndarray");
    assertThat(py.call("numpy", "sum", array)).isEqualTo(6L);
    assertThat(py.call("numpy", "sum", new double[] {0.5, 1.5, 2.0})).isEqualTo(4.0);
    assertThat(pythonType(new long[] {1, 2})).isEqualTo("numpy.ndarray");
    assertThat(py.call("numpy", "mean", new int[] {1, 2, 3, 4})).isEqualTo(2.5);
  }

  @Test
  void loadIrisReturnsATupleOfRefs() {
    Object xy = py.call("sklearn.datasets", "load_iris", Kwargs.kw("return_X_y", true));
    assertThat(xy).isInstanceOf(PyTuple.class);
    PyTuple pair = (PyTuple) xy;
    assertThat(pair).hasSize(2).allMatch(SnakeBridge::isRef);
    assertThat(((PyRef) pair.get(0)).attr("shape")).isEqualTo(PyTuple.of(150L, 4L));
  }
}
