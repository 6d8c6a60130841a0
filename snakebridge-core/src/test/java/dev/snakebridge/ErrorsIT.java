package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Python exceptions arrive as PythonException with type, hierarchy, message and traceback. */
class ErrorsIT {
  static SnakeBridgeRuntime py;

  @BeforeAll
  static void start() {
    py = Workers.start(1);
  }

  @AfterAll
  static void stop() {
    py.close();
  }

  @Test
  void valueErrorCarriesTypeMessageAndTraceback() {
    PythonException e = catchThrowableOfType(PythonException.class, () -> py.call("math", "sqrt", -1));
    assertThat(e.pythonType()).isEqualTo("ValueError");
    assertThat(e.qualifiedName()).isEqualTo("builtins.ValueError");
    assertThat(e.bases()).contains("builtins.Exception", "builtins.BaseException");
    assertThat(e.pythonMessage()).isEqualTo("math domain error");
    assertThat(e.getMessage()).contains("ValueError").contains("math domain error").contains("math.sqrt");
    assertThat(e.traceback()).startsWith("Traceback (most recent call last):").contains("ValueError: math domain error");
    assertThat(e.is("ValueError")).isTrue();
    assertThat(e.is("Exception")).isTrue();
    assertThat(e.is("LookupError")).isFalse();
  }

  @Test
  void keyErrorIsALookupError() {
    PythonException e = catchThrowableOfType(PythonException.class,
        () -> py.call("operator", "getitem", java.util.Map.of("a", 1), "missing"));
    assertThat(e.pythonType()).isEqualTo("KeyError");
    assertThat(e.is("LookupError")).isTrue();
    assertThat(e.is("builtins.LookupError")).isTrue();
    assertThat(e.is("IndexError")).isFalse();
  }

  @Test
  void missingModuleIsModuleNotFoundError() {
    PythonException e = catchThrowableOfType(PythonException.class, () -> py.call("no_such_module_xyz", "f"));
    assertThat(e.pythonType()).isEqualTo("ModuleNotFoundError");
    assertThat(e.is("ImportError")).isTrue();
  }

  @Test
  void missingFunctionIsAttributeError() {
    PythonException e = catchThrowableOfType(PythonException.class, () -> py.call("math", "no_such_function"));
    assertThat(e.pythonType()).isEqualTo("AttributeError");
  }

  @Test
  void memoryErrorArrives() {
    // A real MemoryError from the allocator: the helper caps the worker's address space just above
    // what it uses for one allocation of 1 GiB (bytearray(huge) may be an OverflowError instead).
    long pid = (Long) py.callHelper("sb_test_helpers.pid");
    PythonException e = catchThrowableOfType(PythonException.class,
        () -> py.callHelper("sb_test_helpers.real_memory_error", 1L << 30));
    assertThat(e.pythonType()).isEqualTo("MemoryError");
    assertThat(e.traceback()).contains("real_memory_error");
    assertThat((Long) py.callHelper("sb_test_helpers.pid")).as("the worker survives its MemoryError").isEqualTo(pid);
    PythonException raised = catchThrowableOfType(PythonException.class,
        () -> py.call("builtins", "eval", "(_ for _ in ()).throw(MemoryError('out'))"));
    assertThat(raised.pythonType()).isEqualTo("MemoryError");
  }

  @Test
  void systemExitFromUserCodeIsAnErrorNotAShutdown() {
    PythonException e = catchThrowableOfType(PythonException.class, () -> py.call("sys", "exit", 3));
    assertThat(e.pythonType()).isEqualTo("SystemExit");
    assertThat(py.call("math", "sqrt", 4)).isEqualTo(2.0);
  }
}
