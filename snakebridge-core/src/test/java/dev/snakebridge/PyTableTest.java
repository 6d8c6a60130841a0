package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PyTableTest {
  @Test
  void columnsByNameAndType() {
    PyTable t = PyTable.builder()
        .doubles("x", 1.5, Double.NaN)
        .longs("n", 1, 2)
        .booleans("ok", true, false)
        .strings("name", "a", null)
        .build();
    assertThat(t.rowCount()).isEqualTo(2);
    assertThat(t.columnCount()).isEqualTo(4);
    assertThat(t.columnNames()).containsExactly("x", "n", "ok", "name");
    assertThat(t.doubles("x")).containsExactly(1.5, Double.NaN);
    assertThat(t.longs("n")).containsExactly(1, 2);
    assertThat(t.booleans("ok")).containsExactly(true, false);
    assertThat(t.strings("name")).containsExactly("a", null);
    assertThat(t.hasColumn("x")).isTrue();
    assertThat(t.column("n")).isInstanceOf(PyTable.Column.Longs.class);
    assertThat(t.toString()).isEqualTo("PyTable[2 rows: x double, n long, ok boolean, name string]");
    String kinds = "";
    for (PyTable.Column c : t.columns()) {
      kinds += switch (c) {
        case PyTable.Column.Doubles d -> "d";
        case PyTable.Column.Longs l -> "q";
        case PyTable.Column.Booleans b -> "?";
        case PyTable.Column.Strings s -> "s";
      };
    }
    assertThat(kinds).isEqualTo("dq?s");
  }

  @Test
  void misuseIsAClearError() {
    PyTable t = PyTable.of(new PyTable.Column.Longs("n", new long[] {1}));
    assertThatThrownBy(() -> t.doubles("n"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column 'n' holds longs, not doubles");
    assertThatThrownBy(() -> t.column("m"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no column 'm'; the columns are [n]");
    assertThatThrownBy(() -> PyTable.builder().doubles("a", 1).doubles("b", 1, 2).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("column 'b' has 2 values, but column 'a' has 1");
    assertThatThrownBy(() -> PyTable.builder().doubles("a", 1).longs("a", 1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate column name 'a'");
    assertThat(PyTable.of(List.of()).rowCount()).isZero();
  }
}
