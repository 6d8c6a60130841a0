package dev.snakebridge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A table of typed columns: the Java side of a {@code pandas.DataFrame}, transferred column by column
 * (each numeric column as one raw block, each string column as one list), never cell by cell.
 *
 * <pre>{@code
 * PyRef df = (PyRef) SnakeBridge.call("pandas", "read_csv", "prices.csv");
 * PyTable t = SnakeBridge.toTable(df);
 * double[] close = t.doubles("close");                 // NaN where pandas has NaN
 * String[] tickers = t.strings("ticker");              // null where pandas has None or NaN
 *
 * PyTable back = PyTable.builder().doubles("x", new double[] {1, 2}).strings("name", "a", null).build();
 * PyRef frame = SnakeBridge.fromTable(back);           // a DataFrame in the worker
 * }</pre>
 *
 * <p>Column types: {@code double} (pandas float columns, and integer or boolean columns holding missing
 * values, with NaN for them), {@code long} (integer columns), {@code boolean} and {@code String} (every
 * other column, each value as Python's {@code str(value)}, missing values as {@code null}). The index is
 * not transferred ({@code reset_index()} first to keep it).
 *
 * <p>The table shares the arrays it was built from and hands out its own arrays without copying (tables
 * are large): treat them as read-only. Immutable otherwise; thread-safe when the arrays are left alone.
 */
public final class PyTable {
  /** One named column; a closed family, for {@code switch} patterns. */
  public sealed interface Column {
    /** The column's name (pandas column labels cross as {@code str(label)}). */
    String name();

    /** The number of values. */
    int length();

    /** A {@code float64} column; NaN marks missing values. */
    record Doubles(String name, double[] values) implements Column {
      public Doubles {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(values, "values");
      }

      @Override
      public int length() {
        return values.length;
      }
    }

    /** An {@code int64} column (no missing values). */
    record Longs(String name, long[] values) implements Column {
      public Longs {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(values, "values");
      }

      @Override
      public int length() {
        return values.length;
      }
    }

    /** A {@code bool} column (no missing values). */
    record Booleans(String name, boolean[] values) implements Column {
      public Booleans {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(values, "values");
      }

      @Override
      public int length() {
        return values.length;
      }
    }

    /** A column of strings; {@code null} marks missing values (pandas {@code None}/{@code NaN}). */
    record Strings(String name, String[] values) implements Column {
      public Strings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(values, "values");
      }

      @Override
      public int length() {
        return values.length;
      }
    }
  }

  private final List<Column> columns;
  private final Map<String, Column> byName;
  private final int rowCount;

  private PyTable(List<Column> columns, int rowCount) {
    this.columns = List.copyOf(columns);
    this.rowCount = rowCount;
    Map<String, Column> map = new LinkedHashMap<>();
    for (Column c : columns) {
      if (map.putIfAbsent(c.name(), c) != null) {
        throw new IllegalArgumentException("duplicate column name '" + c.name() + "'");
      }
    }
    this.byName = Collections.unmodifiableMap(map);
  }

  /**
   * A table of the given columns, in order; a table without columns has 0 rows.
   *
   * @throws IllegalArgumentException when the columns differ in length or two share a name
   */
  public static PyTable of(List<? extends Column> columns) {
    List<Column> list = List.copyOf(columns);
    int rows = list.isEmpty() ? 0 : list.get(0).length();
    for (Column c : list) {
      if (c.length() != rows) {
        throw new IllegalArgumentException("column '" + c.name() + "' has " + c.length() + " values, but column '"
            + list.get(0).name() + "' has " + rows + "; every column needs the same number of rows");
      }
    }
    return new PyTable(list, rows);
  }

  /** Like {@link #of(List)}. */
  public static PyTable of(Column... columns) {
    return of(List.of(columns));
  }

  /** A builder adding columns in order. */
  public static Builder builder() {
    return new Builder();
  }

  /** The column names, in order. */
  public List<String> columnNames() {
    return List.copyOf(byName.keySet());
  }

  /** The columns, in order. */
  public List<Column> columns() {
    return columns;
  }

  /** The number of rows. */
  public int rowCount() {
    return rowCount;
  }

  /** The number of columns. */
  public int columnCount() {
    return columns.size();
  }

  /** Whether there is a column called {@code name}. */
  public boolean hasColumn(String name) {
    return byName.containsKey(name);
  }

  /**
   * The column called {@code name}.
   *
   * @throws IllegalArgumentException naming the columns there are
   */
  public Column column(String name) {
    Column c = byName.get(name);
    if (c == null) {
      throw new IllegalArgumentException("no column '" + name + "'; the columns are " + byName.keySet());
    }
    return c;
  }

  /** The values of the {@code double} column {@code name} (not a copy). */
  public double[] doubles(String name) {
    if (column(name) instanceof Column.Doubles d) {
      return d.values();
    }
    throw wrongType(name, "doubles");
  }

  /** The values of the {@code long} column {@code name} (not a copy). */
  public long[] longs(String name) {
    if (column(name) instanceof Column.Longs l) {
      return l.values();
    }
    throw wrongType(name, "longs");
  }

  /** The values of the {@code boolean} column {@code name} (not a copy). */
  public boolean[] booleans(String name) {
    if (column(name) instanceof Column.Booleans b) {
      return b.values();
    }
    throw wrongType(name, "booleans");
  }

  /** The values of the string column {@code name} (not a copy; {@code null} for missing values). */
  public String[] strings(String name) {
    if (column(name) instanceof Column.Strings s) {
      return s.values();
    }
    throw wrongType(name, "strings");
  }

  private IllegalArgumentException wrongType(String name, String asked) {
    String actual = switch (column(name)) {
      case Column.Doubles d -> "doubles";
      case Column.Longs l -> "longs";
      case Column.Booleans b -> "booleans";
      case Column.Strings s -> "strings";
    };
    return new IllegalArgumentException("column '" + name + "' holds " + actual + ", not " + asked
        + "; read it with " + actual + "(\"" + name + "\")");
  }

  /** Shows the shape and the column names and types, never the values. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("PyTable[").append(rowCount).append(" rows: ");
    String sep = "";
    for (Column c : columns) {
      String type = switch (c) {
        case Column.Doubles d -> "double";
        case Column.Longs l -> "long";
        case Column.Booleans b -> "boolean";
        case Column.Strings s -> "string";
      };
      sb.append(sep).append(c.name()).append(' ').append(type);
      sep = ", ";
    }
    return sb.append(']').toString();
  }

  /** Adds columns in order, then {@link #build()} checks them. Not thread-safe. */
  public static final class Builder {
    private final List<Column> columns = new ArrayList<>();

    private Builder() {}

    /** Adds a {@code float64} column (the array is shared, not copied). */
    public Builder doubles(String name, double... values) {
      columns.add(new Column.Doubles(name, values));
      return this;
    }

    /** Adds an {@code int64} column (the array is shared, not copied). */
    public Builder longs(String name, long... values) {
      columns.add(new Column.Longs(name, values));
      return this;
    }

    /** Adds a {@code bool} column (the array is shared, not copied). */
    public Builder booleans(String name, boolean... values) {
      columns.add(new Column.Booleans(name, values));
      return this;
    }

    /** Adds a string column; {@code null} elements become {@code None} (the array is shared, not copied). */
    public Builder strings(String name, String... values) {
      columns.add(new Column.Strings(name, values));
      return this;
    }

    /**
     * The table.
     *
     * @throws IllegalArgumentException when columns differ in length or two share a name
     */
    public PyTable build() {
      return of(columns);
    }
  }
}
