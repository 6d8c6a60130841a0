package dev.snakebridge.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snakebridge.SerializationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ERROR payload read into a record: the shape errors.error_value builds, and what is refused. */
class PythonErrorTest {
  /** The payload as the worker sends it, through the codec (tuples decode as lists here). */
  private static Object decoded(Object... elements) {
    ByteSink sink = new ByteSink(64);
    new ValueEncoder(sink, null).encode(Arrays.asList(elements));
    return new ValueDecoder(sink.array(), 0, sink.position(), (id, type, repr) -> "ref:" + id, Arrays::asList).decode();
  }

  private static Object valid() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("arg_shapes", List.of(List.of(2L, 3L)));
    details.put("arg_dtypes", List.of("float64"));
    return decoded("ValueError", "builtins.ValueError", List.of("builtins.Exception", "builtins.BaseException",
        "builtins.object"), "math domain error", "Traceback (most recent call last):\n...", details);
  }

  @Test
  void readsEveryElementOfTheWorkersShape() {
    PythonError e = PythonError.from(valid());
    assertThat(e.type()).isEqualTo("ValueError");
    assertThat(e.qualifiedType()).isEqualTo("builtins.ValueError");
    assertThat(e.bases()).containsExactly("builtins.Exception", "builtins.BaseException", "builtins.object");
    assertThat(e.message()).isEqualTo("math domain error");
    assertThat(e.traceback()).startsWith("Traceback");
    assertThat(e.details()).containsOnlyKeys("arg_shapes", "arg_dtypes");
    assertThat(e.details().keySet()).containsExactly("arg_shapes", "arg_dtypes");
    assertThat(e.isInstanceOf("builtins.ValueError")).isTrue();
    assertThat(e.isInstanceOf("builtins.Exception")).isTrue();
    assertThat(e.isInstanceOf("builtins.LookupError")).isFalse();
    assertThat(e.isRefNotFound()).isFalse();
    assertThat(e.javaExceptionId()).isEmpty();
  }

  @Test
  void refNotFoundAndJavaExceptionIdAreRecognised() {
    PythonError gone = PythonError.from(decoded("RefNotFound", "snakebridge.RefNotFound",
        List.of("builtins.LookupError", "builtins.Exception"), "no object with ref id 'x'", "", Map.of()));
    assertThat(gone.isRefNotFound()).isTrue();
    assertThat(gone.isInstanceOf("builtins.LookupError")).isTrue();

    Map<String, Object> details = new HashMap<>();
    details.put(PythonError.JAVA_EXCEPTION_ID, 42L);
    PythonError java = PythonError.from(decoded("JavaException", "snakebridge.JavaException", List.of(), "boom", "",
        details));
    assertThat(java.javaExceptionId()).hasValue(42L);

    details.put(PythonError.JAVA_EXCEPTION_ID, null); // a JavaException with no Java original
    PythonError none = PythonError.from(decoded("JavaException", "snakebridge.JavaException", List.of(), "boom", "",
        details));
    assertThat(none.javaExceptionId()).isEmpty();
    assertThat(none.details()).containsEntry(PythonError.JAVA_EXCEPTION_ID, null);
  }

  @Test
  void laterElementsAreIgnoredAndTheRecordIsImmutable() {
    List<Object> payload = new ArrayList<>((List<?>) valid());
    payload.add("a future addition");
    PythonError e = PythonError.from(payload);
    assertThat(e.message()).isEqualTo("math domain error");
    assertThatThrownBy(() -> e.bases().add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> e.details().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void malformedPayloadsAreSerializationExceptionsNamingTheProblem() {
    List<?> good = (List<?>) valid();
    Object[][] cases = {
        {null, "expected a list, got None"},
        {"ValueError: boom", "expected a list, got String"},
        {List.of("ValueError", "builtins.ValueError"), "expected 6 elements"},
        {with(good, 0, 7L), "type (element 0) must be a str, got Long"},
        {with(good, 1, null), "qualified type (element 1) must be a str, got None"},
        {with(good, 2, "builtins.Exception"), "bases must be a list"},
        {with(good, 2, List.of(1L)), "bases must hold type names, got Long"},
        {with(good, 3, List.of()), "message (element 3) must be a str"},
        {with(good, 4, null), "traceback (element 4) must be a str"},
        {with(good, 5, List.of()), "details must be a dict"},
        {with(good, 5, Map.of(1L, "x")), "details keys must be str, got Long"},
    };
    for (Object[] c : cases) {
      assertThatThrownBy(() -> PythonError.from(c[0]))
          .isInstanceOf(SerializationException.class)
          .hasMessageStartingWith("malformed error from Python worker: ")
          .hasMessageContaining((String) c[1]);
    }
  }

  @Test
  void aHugeMalformedPayloadGivesABoundedMessage() {
    assertThatThrownBy(() -> PythonError.from(List.of("x".repeat(1_000_000))))
        .isInstanceOf(SerializationException.class)
        .satisfies(t -> assertThat(t.getMessage().length()).isLessThan(400));
  }

  private static List<Object> with(List<?> payload, int index, Object value) {
    List<Object> copy = new ArrayList<>(payload);
    copy.set(index, value);
    return copy;
  }
}
