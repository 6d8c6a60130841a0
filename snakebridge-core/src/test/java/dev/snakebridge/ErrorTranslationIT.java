package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With ErrorMode.TRANSLATED, real numpy and torch errors arrive as ShapeMismatchException,
 * OutOfMemoryException and DtypeMismatchException; with RAW the same errors stay PythonException.
 */
class ErrorTranslationIT {
  static SnakeBridgeRuntime translated;
  static SnakeBridgeRuntime raw;
  static boolean torch;

  @BeforeAll
  static void start() {
    translated = SnakeBridgeRuntime.create(Workers.config(1).errorMode(ErrorMode.TRANSLATED).build());
    raw = SnakeBridgeRuntime.create(Workers.config(1).errorMode(ErrorMode.RAW).build());
    torch = translated.call("importlib.util", "find_spec", "torch") != null;
  }

  @AfterAll
  static void stop() {
    translated.close();
    raw.close();
  }

  private static PyRef numpyOnes(SnakeBridgeRuntime rt, Object... shape) {
    return (PyRef) rt.call("numpy", "ones", PyTuple.of(shape));
  }

  private static PyRef torchOnes(SnakeBridgeRuntime rt, Object... shape) {
    return (PyRef) rt.call("torch", "ones", shape);
  }

  @Test
  void numpyBroadcastIsAShapeMismatch() {
    PyRef a = numpyOnes(translated, 2, 3);
    PyRef b = numpyOnes(translated, 4);
    var e = catchThrowableOfType(ShapeMismatchException.class, () -> translated.call("numpy", "add", a, b));
    assertThat(e.operation()).isEqualTo("broadcast");
    assertThat(e.leftShape()).containsExactly(2L, 3L);
    assertThat(e.rightShape()).containsExactly(4L);
    assertThat(e.pythonType()).isEqualTo("ValueError");
    assertThat(e.pythonMessage()).isEqualTo("operands could not be broadcast together with shapes (2,3) (4,) ");
    assertThat(e.getMessage()).contains("numpy.add").contains("broadcast [2, 3] vs [4]");
  }

  @Test
  void numpyMatmulTakesShapesFromTheArguments() {
    PyRef a = numpyOnes(translated, 2, 3);
    PyRef b = numpyOnes(translated, 4, 5);
    var e = catchThrowableOfType(ShapeMismatchException.class, () -> translated.call("numpy", "matmul", a, b));
    assertThat(e.operation()).isEqualTo("matmul");
    assertThat(e.leftShape()).containsExactly(2L, 3L);
    assertThat(e.rightShape()).containsExactly(4L, 5L);
    assertThat(e.suggestion()).contains("(3 vs 4)");
    // the same through the operator method: the array itself is the first argument
    var viaMethod = catchThrowableOfType(ShapeMismatchException.class, () -> a.call("__matmul__", b));
    assertThat(viaMethod.leftShape()).containsExactly(2L, 3L);
    assertThat(viaMethod.rightShape()).containsExactly(4L, 5L);
  }

  @Test
  void numpyReshape() {
    PyRef a = numpyOnes(translated, 6);
    var e = catchThrowableOfType(ShapeMismatchException.class, () -> a.call("reshape", PyTuple.of(4)));
    assertThat(e.operation()).isEqualTo("reshape");
    assertThat(e.leftShape()).containsExactly(6L);
    assertThat(e.rightShape()).containsExactly(4L);
  }

  @Test
  void numpyHugeArrayIsOutOfMemoryOnTheCpu() {
    // 10^14 float64 = 728 TiB: more than any address space, so it fails on every machine
    var e = catchThrowableOfType(OutOfMemoryException.class,
        () -> translated.call("numpy", "empty", PyTuple.of(10_000_000L, 10_000_000L)));
    assertThat(e.device()).isEqualTo("cpu");
    assertThat(e.requestedBytes()).hasValue(800_000_000_000_000L);
    assertThat(e.availableBytes()).isEmpty();
    assertThat(e.is("MemoryError")).isTrue();
  }

  @Test
  void numpyCastingIsADtypeMismatch() {
    PyRef ints = (PyRef) translated.call("numpy", "ones", 3, Kwargs.kw("dtype", "int64"));
    var e = catchThrowableOfType(DtypeMismatchException.class, () -> ints.call("__iadd__", 1.5));
    assertThat(e.expectedDtype()).isEqualTo("int64");
    assertThat(e.actualDtype()).isEqualTo("float64");
    assertThat(e.is("TypeError")).isTrue();
  }

  @Test
  void torchMmIsAShapeMismatch() {
    assumeTrue(torch, "torch is not installed");
    PyRef a = torchOnes(translated, 2, 3);
    PyRef b = torchOnes(translated, 4, 5);
    var e = catchThrowableOfType(ShapeMismatchException.class, () -> translated.call("torch", "mm", a, b));
    assertThat(e.operation()).isEqualTo("matmul");
    assertThat(e.leftShape()).containsExactly(2L, 3L);
    assertThat(e.rightShape()).containsExactly(4L, 5L);
    assertThat(e.pythonType()).isEqualTo("RuntimeError");
  }

  @Test
  void torchElementwiseTakesShapesFromTheArguments() {
    assumeTrue(torch, "torch is not installed");
    PyRef a = torchOnes(translated, 3);
    PyRef b = torchOnes(translated, 4);
    var e = catchThrowableOfType(ShapeMismatchException.class, () -> translated.call("torch", "add", a, b));
    assertThat(e.operation()).isEqualTo("elementwise");
    assertThat(e.leftShape()).containsExactly(3L);
    assertThat(e.rightShape()).containsExactly(4L);
  }

  @Test
  void torchHugeTensorIsOutOfMemoryOnTheCpu() {
    assumeTrue(torch, "torch is not installed");
    // 10^15 float32 = 4 * 10^15 bytes
    var e = catchThrowableOfType(OutOfMemoryException.class,
        () -> translated.call("torch", "empty", 100_000_000L, 10_000_000L));
    assertThat(e.device()).isEqualTo("cpu");
    assertThat(e.requestedBytes()).hasValue(4_000_000_000_000_000L);
  }

  @Test
  void torchMixedPrecisionIsADtypeMismatch() {
    assumeTrue(torch, "torch is not installed");
    PyRef floats = torchOnes(translated, 2, 3);
    PyRef doubles = (PyRef) torchOnes(translated, 3, 4).call("double");
    var e = catchThrowableOfType(DtypeMismatchException.class, () -> translated.call("torch", "mm", floats, doubles));
    assertThat(e.expectedDtype()).isEqualTo("float32");
    assertThat(e.actualDtype()).isEqualTo("float64");
  }

  @Test
  void otherErrorsStayPlainInTranslatedMode() {
    var e = catchThrowableOfType(PythonException.class, () -> translated.call("math", "sqrt", -1));
    assertThat(e.getClass()).isEqualTo(PythonException.class);
    assertThat(e.pythonType()).isEqualTo("ValueError");
  }

  @Test
  void tryCallDeliversTheTranslatedException() {
    PyRef a = numpyOnes(translated, 2, 3);
    PyRef b = numpyOnes(translated, 4);
    String outcome = switch (translated.tryCall("numpy", "add", a, b)) {
      case Result.Ok(Object value) -> "ok " + value;
      case Result.Err(ShapeMismatchException e) -> "shape " + e.leftShape() + " " + e.rightShape();
      case Result.Err(SnakeBridgeException e) -> "other " + e;
    };
    assertThat(outcome).isEqualTo("shape [2, 3] [4]");
  }

  @Test
  void rawModeLeavesTheSameErrorsPlain() {
    PyRef a = numpyOnes(raw, 2, 3);
    PyRef b = numpyOnes(raw, 4);
    var shape = catchThrowableOfType(PythonException.class, () -> raw.call("numpy", "add", a, b));
    assertThat(shape.getClass()).isEqualTo(PythonException.class);
    assertThat(shape.pythonMessage()).startsWith("operands could not be broadcast together");
    assertThat(shape.details()).containsKey("arg_shapes");
    var memory = catchThrowableOfType(PythonException.class,
        () -> raw.call("numpy", "empty", PyTuple.of(10_000_000L, 10_000_000L)));
    assertThat(memory.getClass()).isEqualTo(PythonException.class);
    assertThat(memory.is("MemoryError")).isTrue();
    if (torch) {
      var mm = catchThrowableOfType(PythonException.class,
          () -> raw.call("torch", "mm", torchOnes(raw, 2, 3), torchOnes(raw, 4, 5)));
      assertThat(mm.getClass()).isEqualTo(PythonException.class);
      assertThat(mm.pythonMessage()).isEqualTo("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
    }
  }
}
