package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NDArray and PyTable against real numpy and pandas, with large buffers through shared memory. */
class BulkIT {
  @TempDir
  static Path shared;

  static SnakeBridgeRuntime py;

  static final CallOptions ARRAYS = CallOptions.defaults().arraysAsNDArray();

  @BeforeAll
  static void start() {
    // Threshold 64 KiB: big enough that the small cases stay inline, small enough to test cheaply.
    py = SnakeBridgeRuntime.create(Workers.config(1).largeBufferDirectory(shared).largeBufferThreshold(64 * 1024).build());
  }

  @AfterAll
  static void stop() throws IOException {
    py.close();
    assertThat(files()).as("shared-memory files left in " + shared + " after close").isEmpty();
  }

  /** Nothing but this JVM's arena slots, which it keeps for reuse until it closes. */
  @AfterEach
  void noFileIsLeftBehind() throws IOException {
    String ours = "snakebridge-bulk-" + ProcessHandle.current().pid() + "-";
    assertThat(files()).as("shared-memory files left in " + shared)
        .allMatch(f -> f.getFileName().toString().startsWith(ours));
  }

  private static List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(shared)) {
      return s.toList();
    }
  }

  private static List<?> describe(Object array) {
    return (List<?>) py.callHelper("sb_test_helpers.describe_array", array);
  }

  @Test
  void ndarrayArgumentsBecomeNumpyArraysOfTheirDtypeAndShape() {
    assertThat(describe(NDArray.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3)))
        .isEqualTo(List.of("numpy.ndarray", "float64", List.of(2L, 3L), "C", true,
            List.of(List.of(1.0, 2.0, 3.0), List.of(4.0, 5.0, 6.0))));
    assertThat(describe(NDArray.of(new float[] {1.5f})).subList(1, 3)).isEqualTo(List.of("float32", List.of(1L)));
    assertThat(describe(NDArray.of(new long[] {Long.MIN_VALUE})).get(5)).isEqualTo(List.of(Long.MIN_VALUE));
    assertThat(describe(NDArray.of(new int[] {-1})).get(1)).isEqualTo("int32");
    assertThat(describe(NDArray.of(new short[] {-2})).get(1)).isEqualTo("int16");
    assertThat(describe(NDArray.of(new byte[] {-3})).subList(1, 2)).isEqualTo(List.of("int8"));
    assertThat(describe(NDArray.ofUnsigned(new byte[] {-1})).get(5)).isEqualTo(List.of(255L));
    assertThat(describe(NDArray.of(new boolean[] {true, false})).subList(1, 6))
        .isEqualTo(List.of("bool", List.of(2L), "C", true, List.of(true, false)));
    java.nio.ByteBuffer f = java.nio.ByteBuffer.allocate(32).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putDouble(1).putDouble(3).putDouble(2).putDouble(4).flip();
    assertThat(describe(NDArray.wrap(NDArray.DType.FLOAT64, f, NDArray.Order.F, 2, 2)).subList(2, 6))
        .isEqualTo(List.of(List.of(2L, 2L), "F", true, List.of(List.of(1.0, 2.0), List.of(3.0, 4.0))));
    // Java primitive arrays still become 1-D numpy arrays (tag 0x16), as before.
    assertThat(describe(new double[] {1.5}).subList(0, 3)).isEqualTo(List.of("numpy.ndarray", "float64", List.of(1L)));
  }

  @Test
  void numpyResultsStayRefsUnlessTheCallAsks() {
    assertThat(py.call("numpy", "arange", 6)).isInstanceOf(PyRef.class);
    NDArray a = (NDArray) py.call("numpy", "arange", 6, ARRAYS);
    assertThat(a.dtype()).isEqualTo(NDArray.DType.INT64);
    assertThat(a.toLongArray()).containsExactly(0, 1, 2, 3, 4, 5);
    PyRef ref = (PyRef) py.call("numpy", "arange", 6.0);
    NDArray m = (NDArray) ref.call("reshape", 2, 3, ARRAYS);
    assertThat(m.shape()).containsExactly(2, 3);
    NDArray t = (NDArray) py.method(ref, "reshape", PyTuple.of(2L, 3L), ARRAYS);
    assertThat(t.toDoubleArray()).containsExactly(0, 1, 2, 3, 4, 5);
    NDArray fortran = (NDArray) py.call("numpy", "asfortranarray", m, ARRAYS);
    assertThat(fortran.order()).isEqualTo(NDArray.Order.F);
    assertThat(fortran.toDoubleArray()).containsExactly(0, 1, 2, 3, 4, 5);
    PyTuple pair = (PyTuple) py.call("numpy", "divmod", new long[] {7, 9}, 2, ARRAYS);
    assertThat(((NDArray) pair.get(0)).toLongArray()).containsExactly(3, 4);
    assertThat(py.call("numpy", "array", List.of(new PyComplex(1, 1)), ARRAYS)).isInstanceOf(PyRef.class);
  }

  @Test
  void toNDArrayConvertsExplicitly() {
    PyRef eye = (PyRef) py.call("numpy", "eye", 3, Kwargs.kw("dtype", "float32"));
    NDArray a = py.toNDArray(eye);
    assertThat(a.dtype()).isEqualTo(NDArray.DType.FLOAT32);
    assertThat(a.shape()).containsExactly(3, 3);
    assertThat(a.toFloatArray()).containsExactly(1, 0, 0, 0, 1, 0, 0, 0, 1);
    assertThat(py.toNDArray((PyRef) py.call("numpy", "array", List.of(true, false))).toBooleanArray())
        .containsExactly(true, false);
    assertThatThrownBy(() -> a.toDoubleArray()).isInstanceOf(SerializationException.class)
        .hasMessageContaining("use toFloatArray()");
    PyRef complex = (PyRef) py.call("numpy", "array", List.of(new PyComplex(1, 1)));
    assertThatThrownBy(() -> py.toNDArray(complex)).isInstanceOf(PythonException.class)
        .hasMessageContaining("complex128").hasMessageContaining("astype");
  }

  @Test
  void largeArraysCrossThroughSharedMemoryBothWays() throws IOException {
    double[] big = new double[1_000_000];   // 8 MB
    Arrays.setAll(big, i -> i);
    assertThat(py.call("numpy", "sum", big)).isEqualTo(499999500000.0);
    NDArray asArgument = NDArray.of(big, 1000, 1000);
    assertThat(((List<?>) describe(asArgument)).subList(1, 5)).isEqualTo(List.of("float64", List.of(1000L, 1000L), "C", true));

    NDArray back = (NDArray) py.call("numpy", "arange", 1_000_000.0, ARRAYS);
    assertThat(back.buffer().isDirect()).as("a view of the mapped file").isTrue();
    assertThat(back.toDoubleArray()).isEqualTo(big);
    noFileIsLeftBehind();   // the worker's slot: unlinked by the JVM as soon as it mapped it

    long[] longs = new long[200_000];
    longs[199_999] = 7;
    assertThat(py.callHelper("sb_test_helpers.identity", longs)).isInstanceOf(PyRef.class);
    assertThat(((NDArray) py.callHelper("sb_test_helpers.identity", longs, ARRAYS)).toLongArray()[199_999]).isEqualTo(7);
  }

  @Test
  void failedCallsLeaveNoFiles() {
    double[] big = new double[100_000];
    assertThatThrownBy(() -> py.call("math", "no_such_function", big)).isInstanceOf(PythonException.class);
    assertThatThrownBy(() -> py.call("no_such_module", "f", big)).isInstanceOf(PythonException.class);
    assertThatThrownBy(() -> py.callHelper("sb_test_helpers.array_then_unencodable", 100_000, ARRAYS))
        .isInstanceOf(PythonException.class).hasMessageContaining("broken tz");
    assertThatThrownBy(() -> py.call("math", "sqrt", big, new Object())).isInstanceOf(SerializationException.class);
  }

  @Test
  void dataFramesBecomeTablesColumnByColumn() {
    PyRef frame = (PyRef) py.callHelper("sb_test_helpers.make_frame");
    PyTable t = py.toTable(frame);
    assertThat(t.columnNames()).containsExactly("f", "i", "b", "s", "na");
    assertThat(t.rowCount()).isEqualTo(3);
    assertThat(t.doubles("f")).containsExactly(1.5, Double.NaN, 3.0);
    assertThat(t.longs("i")).containsExactly(1, 2, 3);
    assertThat(t.booleans("b")).containsExactly(true, false, true);
    assertThat(t.strings("s")).containsExactly("a", null, "c");
    assertThat(t.doubles("na")).containsExactly(1.0, Double.NaN, 3.0);
    assertThatThrownBy(() -> py.toTable((PyRef) py.call("fractions", "Fraction", 1, 2)))
        .isInstanceOf(PythonException.class).hasMessageContaining("needs a pandas.DataFrame");
  }

  @Test
  void tablesBecomeDataFrames() {
    PyTable t = PyTable.builder()
        .doubles("x", 1.5, Double.NaN)
        .longs("n", 1, Long.MAX_VALUE)
        .booleans("ok", true, false)
        .strings("name", "ann", null)
        .build();
    PyRef frame = py.fromTable(t);
    assertThat(frame.typeName()).isEqualTo("pandas.core.frame.DataFrame");
    List<?> described = (List<?>) py.callHelper("sb_test_helpers.describe_frame", frame);
    assertThat(described.get(0)).isEqualTo(List.of("x", "n", "ok", "name"));
    assertThat(described.get(1)).isEqualTo(List.of("float64", "int64", "bool", "object"));
    assertThat(((Map<?, ?>) described.get(2)).get("name")).isEqualTo(Arrays.asList("ann", null));
    assertThat(((Map<?, ?>) described.get(2)).get("x")).isEqualTo(Arrays.asList(1.5, null));
    // Any PyTable argument is a DataFrame in Python.
    assertThat(py.callHelper("sb_test_helpers.type_name", t)).isEqualTo("pandas.core.frame.DataFrame");
    assertThat(py.toTable(frame).longs("n")).containsExactly(1, Long.MAX_VALUE);
  }

  @Test
  void largeTablesGoThroughSharedMemory() {
    int n = 200_000;   // 1.6 MB per numeric column
    double[] x = new double[n];
    long[] k = new long[n];
    String[] s = new String[n];
    for (int i = 0; i < n; i++) {
      x[i] = i * 0.5;
      k[i] = i;
      s[i] = i % 3 == 0 ? null : "r" + i;
    }
    PyRef frame = py.fromTable(PyTable.builder().doubles("x", x).longs("k", k).strings("s", s).build());
    PyTable back = py.toTable(frame);
    assertThat(back.doubles("x")).isEqualTo(x);
    assertThat(back.longs("k")).isEqualTo(k);
    assertThat(back.strings("s")).isEqualTo(s);
  }
}
