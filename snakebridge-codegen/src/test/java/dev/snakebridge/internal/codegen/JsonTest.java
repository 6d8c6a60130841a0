package dev.snakebridge.internal.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void roundTripsNestedValues() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "a \"quoted\"\n\\ é \u0001");
    m.put("n", 12L);
    m.put("d", 2.5);
    m.put("b", true);
    m.put("z", null);
    m.put("l", List.of(1L, "x", List.of()));
    m.put("m", Map.of());
    assertThat(Json.parse(Json.write(m))).isEqualTo(m);
  }

  @Test
  void rejectsBrokenJsonNamingLineAndColumn() {
    assertThatThrownBy(() -> Json.parse("{\n  \"a\": [1, 2}")).hasMessageContaining("line 2, column");
    assertThatThrownBy(() -> Json.parse("[1] x")).hasMessageContaining("line 1");
    // A backslash before a character JSON does not escape is an error, not a silent pass.
    assertThatThrownBy(() -> Json.parse("[\"a\\qb\"]")).hasMessageContaining("line 1");
  }

  @Test
  void writesOneValuePerLineWithTwoSpaces() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a", List.of(1L, 2L));
    m.put("b", Map.of("c", true));
    assertThat(Json.write(m)).isEqualTo("{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {\n    \"c\": true\n  }\n}\n");
  }
}
