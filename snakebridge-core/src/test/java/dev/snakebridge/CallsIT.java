package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Universal calls against real Python workers. */
class CallsIT {
  static SnakeBridgeRuntime py;

  @BeforeAll
  static void start() {
    py = Workers.start(2);
  }

  @AfterAll
  static void stop() {
    py.close();
  }

  @Test
  void callsAFunction() {
    assertThat(py.call("math", "sqrt", 16)).isEqualTo(4.0);
    assertThat(py.call("os.path", "join", "a", "b")).isEqualTo("a/b");
    assertThat(py.call("os", "path.join", "x", "y")).isEqualTo("x/y");
  }

  @Test
  void readsAModuleAttribute() {
    assertThat(py.get("math", "pi")).isEqualTo(Math.PI);
    assertThat(py.get("sys", "maxsize")).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void passesKeywordArgumentsInOrder() {
    assertThat(py.call("builtins", "sorted", List.of(3, 1, 2), Kwargs.kw("reverse", true)))
        .isEqualTo(List.of(3L, 2L, 1L));
    Object echoed = py.callHelper("sb_test_helpers.echo_args", 1, Map.of("d", 1),
        Kwargs.kw("z", 1).and("a", "x"));
    assertThat(echoed).isEqualTo(List.of(List.of(1L, Map.of("d", 1L)), Map.of("z", 1L, "a", "x")));
    assertThat(new java.util.ArrayList<Object>(((Map<?, ?>) ((List<?>) echoed).get(1)).keySet())).containsExactly("z", "a");
  }

  @Test
  void coercesTypedResults() {
    assertThat(py.call(Integer.class, "math", "floor", 2.5)).isEqualTo(2);
    assertThat(py.call(Double.class, "math", "factorial", 5)).isEqualTo(120.0);
    assertThat(py.call(Long.class, "math", "sqrt", 16)).isEqualTo(4L);
    assertThat(py.call(BigInteger.class, "math", "factorial", 30))
        .isEqualTo(new BigInteger("265252859812191058636308480000000"));
    assertThat(py.call(String.class, "builtins", "str", 42)).isEqualTo("42");
    assertThatThrownBy(() -> py.call(Integer.class, "math", "sqrt", 2))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Integer");
    assertThatThrownBy(() -> py.call(Integer.class, "math", "factorial", 30))
        .isInstanceOf(SerializationException.class);
  }

  @Test
  void bytesHelperCrossesAsPythonBytes() {
    assertThat(py.callHelper("sb_test_helpers.type_name", SnakeBridge.bytes("hé"))).isEqualTo("builtins.bytes");
    assertThat(py.callHelper("sb_test_helpers.type_name", "hé")).isEqualTo("builtins.str");
    assertThat((byte[]) py.call("builtins", "bytes", List.of(104, 105))).containsExactly('h', 'i');
  }

  @Test
  void tryCallReturnsASealedResult() {
    String shown = switch (py.tryCall("math", "sqrt", -1)) {
      case Result.Ok(Object value) -> "ok " + value;
      case Result.Err(SnakeBridgeException e) -> "err " + ((PythonException) e).pythonType();
    };
    assertThat(shown).isEqualTo("err ValueError");
    assertThat(py.tryCall("math", "sqrt", 9)).isEqualTo(new Result.Ok(3.0));
  }

  @Test
  void helperModulesComeFromTheClasspath() {
    assertThat(py.callHelper("sb_test_helpers.add", 2, 3)).isEqualTo(5L);
    assertThatThrownBy(() -> py.callHelper("no_dot")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unsupportedArgumentIsRejectedBeforeSending() {
    assertThatThrownBy(() -> py.call("builtins", "repr", new Object()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("java.lang.Object");
    assertThat(py.call("math", "sqrt", 4)).isEqualTo(2.0);
  }

  @Test
  void nullVarargIsOneNone() {
    assertThat(py.call("builtins", "repr", (Object) null)).isEqualTo("None");
  }
}
