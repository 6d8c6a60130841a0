package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snakebridge.internal.call.Invocation;
import dev.snakebridge.internal.call.ResultCoercion;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pure logic of argument handling: trailing Kwargs and CallOptions, maps stay positional. */
class ArgumentsTest {
  @Test
  void trailingKwargsAndOptionsAreRecognisedByType() {
    CallOptions opts = CallOptions.defaults().timeout(Duration.ofSeconds(1));
    Invocation inv = Invocation.of(new Object[] {1, Map.of("a", 1), Kwargs.kw("x", 2), opts});
    assertThat(inv.positional()).isEqualTo(List.of(1, Map.of("a", 1)));
    assertThat(inv.keywords()).isEqualTo(Map.of("x", 2));
    assertThat(inv.options()).isSameAs(opts);
  }

  @Test
  void aMapIsAlwaysPositional() {
    Invocation inv = Invocation.of(new Object[] {Map.of("reverse", true)});
    assertThat(inv.positional()).hasSize(1);
    assertThat(inv.keywords()).isEmpty();
  }

  @Test
  void nullArrayMeansOneNone() {
    assertThat(Invocation.of(null).positional()).isEqualTo(Arrays.asList((Object) null));
  }

  @Test
  void kwargsKeepOrderAndRejectBadNames() {
    Kwargs k = Kwargs.kw("b", 1).and("a", 2).and("_c", 3);
    assertThat(k.asMap().keySet()).containsExactly("b", "a", "_c");
    assertThatThrownBy(() -> Kwargs.kw("1x", 1)).hasMessageContaining("identifier");
    assertThatThrownBy(() -> Kwargs.kw("a", 1).and("a", 2)).hasMessageContaining("twice");
  }

  @Test
  void tuplesAreListsAndShowLikePython() {
    assertThat(PyTuple.of(1L, 2L)).isEqualTo(List.of(1L, 2L)).hasSameHashCodeAs(List.of(1L, 2L));
    assertThat(PyTuple.of(1).toString()).isEqualTo("(1,)");
    assertThat(PyTuple.of("a", null).toString()).isEqualTo("(a, null)");
    assertThatThrownBy(() -> PyTuple.of(1).add(2)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void resultCoercionIsExact() {
    assertThat(ResultCoercion.coerce(4.0, Integer.class)).isEqualTo(4);
    assertThat(ResultCoercion.coerce(4L, double.class)).isEqualTo(4.0);
    assertThat(ResultCoercion.coerce(null, String.class)).isNull();
    assertThatThrownBy(() -> ResultCoercion.coerce(null, int.class)).isInstanceOf(SerializationException.class);
    assertThatThrownBy(() -> ResultCoercion.coerce(4.5, Long.class)).isInstanceOf(SerializationException.class);
    assertThatThrownBy(() -> ResultCoercion.coerce(Double.NaN, Long.class)).isInstanceOf(SerializationException.class);
    assertThatThrownBy(() -> ResultCoercion.coerce("x", Long.class)).isInstanceOf(SerializationException.class);
  }
}
