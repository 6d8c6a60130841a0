package dev.snakebridge.wrappers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snakebridge.CallOptions;
import dev.snakebridge.ResultTypeException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Result conversions of generated wrappers: a result that does not fit names both Python types. */
class PyInteropTest {
  @Test
  void convertsResultsThatFit() {
    assertThat(PyInterop.asLong(7L)).isEqualTo(7L);
    assertThat(PyInterop.asLong(BigInteger.TEN)).isEqualTo(10L);
    assertThat(PyInterop.asLong(3.0)).isEqualTo(3L);
    assertThat(PyInterop.asDouble(2L)).isEqualTo(2.0);
    assertThat(PyInterop.asString(null)).isNull();
    assertThat(PyInterop.asList(List.of(1))).containsExactly(1);
    assertThat(PyInterop.asMap(Map.of("a", 1))).containsEntry("a", 1);
  }

  @Test
  void aResultThatDoesNotFitNamesExpectedAndActualPythonTypes() {
    assertThatThrownBy(() -> PyInterop.asLong("12")).isInstanceOf(ResultTypeException.class)
        .hasMessage("expected a Python int, got str (String 12)");
    assertThatThrownBy(() -> PyInterop.asBoolean(1L)).isInstanceOfSatisfying(ResultTypeException.class, e -> {
      assertThat(e.expectedType()).isEqualTo("bool");
      assertThat(e.actualType()).isEqualTo("int");
    });
    assertThatThrownBy(() -> PyInterop.ref(2.5, "numpy.ndarray")).isInstanceOf(ResultTypeException.class)
        .hasMessage("expected a Python numpy.ndarray, got float (Double 2.5)");
    assertThatThrownBy(() -> PyInterop.ref(null, "pandas.core.frame.DataFrame"))
        .hasMessage("expected a Python pandas.core.frame.DataFrame, got None");
    assertThatThrownBy(() -> PyInterop.asList(Map.of())).hasMessageContaining("expected a Python list, got dict");
  }

  @Test
  void callersCombineAndSayWhereTheyGo() {
    PyCaller timed = PyCaller.defaults().using(CallOptions.defaults().timeout(Duration.ofSeconds(2)));
    assertThat(PyCaller.defaults().toString()).isEqualTo("PyCaller[runtime=default, session=current, options=none]");
    assertThat(timed.toString()).contains("runtime=default", "PT2S");
    assertThat(timed).isNotSameAs(PyCaller.defaults());
    assertThatThrownBy(() -> PyCaller.defaults().using((CallOptions) null)).isInstanceOf(NullPointerException.class);
  }
}
