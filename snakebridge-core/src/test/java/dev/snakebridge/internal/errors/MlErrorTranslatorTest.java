package dev.snakebridge.internal.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.snakebridge.DtypeMismatchException;
import dev.snakebridge.OutOfMemoryException;
import dev.snakebridge.PythonException;
import dev.snakebridge.ShapeMismatchException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The translator over the exact messages, type names and MROs that numpy 1.24.2 and torch 1.13 (CPU)
 * produce on Debian's /usr/bin/python3; CUDA and MPS messages follow torch's known formats.
 */
class MlErrorTranslatorTest {
  private static final List<String> EXCEPTION = List.of("builtins.Exception", "builtins.BaseException", "builtins.object");
  private static final long KIB = 1024L;
  private static final long MIB = KIB * 1024;
  private static final long GIB = MIB * 1024;

  private static List<String> bases(String... first) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(EXCEPTION);
    return all;
  }

  private static PythonException error(String type, String qualified, List<String> bases, String message,
      Map<String, Object> details) {
    return new PythonException(type, qualified, bases, message,
        "Traceback (most recent call last):\n  File \"<x>\", line 1\n" + type + ": " + message + "\n", details, "test.call");
  }

  static PythonException valueError(String message) {
    return valueError(message, Map.of());
  }

  static PythonException valueError(String message, Map<String, Object> details) {
    return error("ValueError", "builtins.ValueError", EXCEPTION, message, details);
  }

  static PythonException runtimeError(String message) {
    return runtimeError(message, Map.of());
  }

  static PythonException runtimeError(String message, Map<String, Object> details) {
    return error("RuntimeError", "builtins.RuntimeError", EXCEPTION, message, details);
  }

  private static ShapeMismatchException shape(PythonException raw) {
    PythonException translated = MlErrorTranslator.translate(raw);
    assertThat(translated).isInstanceOf(ShapeMismatchException.class);
    return (ShapeMismatchException) translated;
  }

  private static OutOfMemoryException memory(PythonException raw) {
    PythonException translated = MlErrorTranslator.translate(raw);
    assertThat(translated).isInstanceOf(OutOfMemoryException.class);
    return (OutOfMemoryException) translated;
  }

  private static DtypeMismatchException dtype(PythonException raw) {
    PythonException translated = MlErrorTranslator.translate(raw);
    assertThat(translated).isInstanceOf(DtypeMismatchException.class);
    return (DtypeMismatchException) translated;
  }

  @Nested
  class NumpyShapes {
    @Test
    void broadcastOfTwoShapes() {
      // np.ones((2,3)) + np.ones((4,))
      var e = shape(valueError("operands could not be broadcast together with shapes (2,3) (4,) "));
      assertThat(e.operation()).isEqualTo("broadcast");
      assertThat(e.leftShape()).containsExactly(2L, 3L);
      assertThat(e.rightShape()).containsExactly(4L);
      assertThat(e.suggestion()).contains("(3)").contains("(4)").contains("x[:, None]");
    }

    @Test
    void broadcastOfTransposedShapes() {
      // np.multiply(np.ones((2,3)), np.ones((3,2)))
      var e = shape(valueError("operands could not be broadcast together with shapes (2,3) (3,2) "));
      assertThat(e.leftShape()).containsExactly(2L, 3L);
      assertThat(e.rightShape()).containsExactly(3L, 2L);
      assertThat(e.suggestion()).startsWith("dimension 1 of the first operand (3) and dimension 1 of the second (2)");
    }

    @Test
    void broadcastOfThreeShapesReportsTheClashingPair() {
      // np.where(np.ones(3, bool), np.ones(4), 0)
      var e = shape(valueError("operands could not be broadcast together with shapes (3,) (4,) () "));
      assertThat(e.leftShape()).containsExactly(3L);
      assertThat(e.rightShape()).containsExactly(4L);
    }

    @Test
    void broadcastTo() {
      // np.broadcast_to(np.ones(3), (4,))
      var e = shape(valueError("operands could not be broadcast together with remapped shapes "
          + "[original->remapped]: (3,)  and requested shape (4,)"));
      assertThat(e.operation()).isEqualTo("broadcast");
      assertThat(e.leftShape()).containsExactly(3L);
      assertThat(e.rightShape()).containsExactly(4L);
      assertThat(e.suggestion()).contains("(3,) cannot be broadcast to (4,)");
    }

    @Test
    void batchedMatmulWithDifferentBatchSizes() {
      // np.matmul(np.ones((5,2,3)), np.ones((6,3,2)))
      var e = shape(valueError("operands could not be broadcast together with remapped shapes "
          + "[original->remapped]: (5,2,3)->(5,newaxis,newaxis) (6,3,2)->(6,newaxis,newaxis)  and requested shape (2,2)"));
      assertThat(e.leftShape()).containsExactly(5L, 2L, 3L);
      assertThat(e.rightShape()).containsExactly(6L, 3L, 2L);
      assertThat(e.suggestion()).contains("(5,) and (6,)");
    }

    @Test
    void matmulCoreDimensionTakesShapesFromDetails() {
      // np.matmul(np.ones((2,3)), np.ones((4,5))) and np.ones((2,3)) @ np.ones((4,5))
      var e = shape(valueError("matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc "
          + "signature (n?,k),(k,m?)->(n?,m?) (size 4 is different from 3)",
          Map.of("arg_shapes", List.of(List.of(2L, 3L), List.of(4L, 5L)), "arg_dtypes", List.of("float64", "float64"))));
      assertThat(e.operation()).isEqualTo("matmul");
      assertThat(e.leftShape()).containsExactly(2L, 3L);
      assertThat(e.rightShape()).containsExactly(4L, 5L);
      assertThat(e.suggestion()).isEqualTo("transpose the second operand or reshape so inner dimensions match (3 vs 4)");
    }

    @Test
    void matmulSuggestsTheTranspositionThatFits() {
      var e = shape(valueError("matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc "
          + "signature (n?,k),(k,m?)->(n?,m?) (size 4 is different from 3)",
          Map.of("arg_shapes", List.of(List.of(2, 3), List.of(4, 3)))));
      assertThat(e.rightShape()).containsExactly(4L, 3L);
      assertThat(e.suggestion()).contains("(3 vs 4)").contains("transposing the second operand to (3, 4) would fit");
    }

    @Test
    void matmulWithoutDetailsHasEmptyShapes() {
      var e = shape(valueError("matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc "
          + "signature (n?,k),(k,m?)->(n?,m?) (size 4 is different from 3)"));
      assertThat(e.leftShape()).isEmpty();
      assertThat(e.rightShape()).isEmpty();
      assertThat(e.suggestion()).contains("(3 vs 4)");
    }

    @Test
    void matmulIgnoresDetailsThatAreNotTheOperands() {
      // np.matmul(a_list, b, out=c): the first two array arguments are b and c
      var e = shape(valueError("matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc "
          + "signature (n?,k),(k,m?)->(n?,m?) (size 4 is different from 3)",
          Map.of("arg_shapes", List.of(List.of(4L, 5L), List.of(2L, 5L)))));
      assertThat(e.leftShape()).isEmpty();
      assertThat(e.rightShape()).isEmpty();
    }

    @Test
    void dot() {
      // np.dot(np.ones((2,3)), np.ones((4,5)))
      var e = shape(valueError("shapes (2,3) and (4,5) not aligned: 3 (dim 1) != 4 (dim 0)"));
      assertThat(e.operation()).isEqualTo("dot");
      assertThat(e.leftShape()).containsExactly(2L, 3L);
      assertThat(e.rightShape()).containsExactly(4L, 5L);
      assertThat(e.suggestion()).isEqualTo("transpose the second operand or reshape so inner dimensions match (3 vs 4)");
    }

    @Test
    void dotOfVectorsAndOfThreeDimensions() {
      var vectors = shape(valueError("shapes (3,) and (4,) not aligned: 3 (dim 0) != 4 (dim 0)"));
      assertThat(vectors.leftShape()).containsExactly(3L);
      assertThat(vectors.rightShape()).containsExactly(4L);
      var cube = shape(valueError("shapes (2,3,4) and (5,6) not aligned: 4 (dim 2) != 5 (dim 0)"));
      assertThat(cube.leftShape()).containsExactly(2L, 3L, 4L);
      assertThat(cube.suggestion()).contains("(4 vs 5)");
    }

    @Test
    void reshapeUsesTheArrayShapeFromDetails() {
      // np.ones(6).reshape((4,)) -- a method call: the array itself is the first argument
      var e = shape(valueError("cannot reshape array of size 6 into shape (4,)",
          Map.of("arg_shapes", List.of(List.of(6L)))));
      assertThat(e.operation()).isEqualTo("reshape");
      assertThat(e.leftShape()).containsExactly(6L);
      assertThat(e.rightShape()).containsExactly(4L);
      assertThat(e.suggestion()).contains("6 elements cannot take shape (4,)").contains("-1");
    }

    @Test
    void reshapeWithoutDetailsAndOtherForms() {
      var e = shape(valueError("cannot reshape array of size 6 into shape (4,5)"));
      assertThat(e.leftShape()).isEmpty();
      assertThat(e.rightShape()).containsExactly(4L, 5L);
      // np.ones(7).reshape(-1, 2): numpy leaves the -1 out of the message
      var inferred = shape(valueError("cannot reshape array of size 7 into shape (2)"));
      assertThat(inferred.rightShape()).containsExactly(2L);
      var wrongDetails = shape(valueError("cannot reshape array of size 6 into shape (2,2,2)",
          Map.of("arg_shapes", List.of(List.of(5L)))));
      assertThat(wrongDetails.leftShape()).isEmpty();
    }

    @Test
    void concatenate() {
      var e = shape(valueError("all the input array dimensions except for the concatenation axis must match "
          + "exactly, but along dimension 1, the array at index 0 has size 3 and the array at index 1 has size 5"));
      assertThat(e.operation()).isEqualTo("concatenate");
      assertThat(e.suggestion()).contains("dimension 1 (3 vs 5)");
    }
  }

  @Nested
  class TorchShapes {
    @Test
    void mm() {
      // torch.mm / torch.matmul / @ / F.linear of (2,3) and (4,5)
      var e = shape(runtimeError("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"));
      assertThat(e.operation()).isEqualTo("matmul");
      assertThat(e.leftShape()).containsExactly(2L, 3L);
      assertThat(e.rightShape()).containsExactly(4L, 5L);
      assertThat(e.suggestion()).startsWith("transpose the second operand or reshape so inner dimensions match (3 vs 4)");
    }

    @Test
    void matmulOfABatchFlattensIt() {
      // torch.matmul(torch.ones(2,2,3), torch.ones(4,5))
      var e = shape(runtimeError("mat1 and mat2 shapes cannot be multiplied (4x3 and 4x5)"));
      assertThat(e.leftShape()).containsExactly(4L, 3L);
    }

    @Test
    void elementwiseTakesShapesFromDetails() {
      // torch.ones(3) + torch.ones(4)
      var e = shape(runtimeError("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0",
          Map.of("arg_shapes", List.of(List.of(3L), List.of(4L)), "arg_dtypes", List.of("torch.float32", "torch.float32"))));
      assertThat(e.operation()).isEqualTo("elementwise");
      assertThat(e.leftShape()).containsExactly(3L);
      assertThat(e.rightShape()).containsExactly(4L);
      assertThat(e.suggestion()).contains("sizes 3 and 4 clash at dimension 0");
    }

    @Test
    void elementwiseChecksTheDetailsAgainstTheMessage() {
      // torch.ones(2,3) + torch.ones(2,4)
      var fits = shape(runtimeError("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1",
          Map.of("arg_shapes", List.of(List.of(2L, 3L), List.of(2L, 4L)))));
      assertThat(fits.leftShape()).containsExactly(2L, 3L);
      assertThat(fits.rightShape()).containsExactly(2L, 4L);
      var broadcast = shape(runtimeError("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1",
          Map.of("arg_shapes", List.of(List.of(5L, 2L, 3L), List.of(4L)))));
      assertThat(broadcast.leftShape()).isEmpty();
      var aligned = shape(runtimeError("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 2",
          Map.of("arg_shapes", List.of(List.of(5L, 2L, 3L), List.of(4L)))));
      assertThat(aligned.leftShape()).containsExactly(5L, 2L, 3L);
      assertThat(aligned.rightShape()).containsExactly(4L);
    }

    @Test
    void elementwiseWithoutDetails() {
      var e = shape(runtimeError("The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1"));
      assertThat(e.leftShape()).isEmpty();
      assertThat(e.rightShape()).isEmpty();
    }

    @Test
    void viewAndReshape() {
      // torch.ones(6).reshape(4), torch.ones(6).view(4, 5)
      var e = shape(runtimeError("shape '[4]' is invalid for input of size 6", Map.of("arg_shapes", List.of(List.of(6L)))));
      assertThat(e.operation()).isEqualTo("reshape");
      assertThat(e.leftShape()).containsExactly(6L);
      assertThat(e.rightShape()).containsExactly(4L);
      var view = shape(runtimeError("shape '[4, 5]' is invalid for input of size 6"));
      assertThat(view.rightShape()).containsExactly(4L, 5L);
      var inferred = shape(runtimeError("shape '[-1, 4]' is invalid for input of size 6"));
      assertThat(inferred.rightShape()).containsExactly(-1L, 4L);
      assertThat(inferred.suggestion()).contains("other than -1 multiply to 4");
    }

    @Test
    void bmm() {
      var e = shape(runtimeError("Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4].",
          Map.of("arg_shapes", List.of(List.of(2L, 2L, 3L), List.of(2L, 4L, 5L)))));
      assertThat(e.operation()).isEqualTo("bmm");
      assertThat(e.leftShape()).containsExactly(2L, 2L, 3L);
      assertThat(e.rightShape()).containsExactly(2L, 4L, 5L);
      assertThat(e.suggestion()).contains("(3 vs 4)");
    }

    @Test
    void expand() {
      var e = shape(runtimeError("The expanded size of the tensor (4) must match the existing size (3) at "
          + "non-singleton dimension 0.  Target sizes: [4].  Tensor sizes: [3]"));
      assertThat(e.operation()).isEqualTo("expand");
      assertThat(e.leftShape()).containsExactly(3L);
      assertThat(e.rightShape()).containsExactly(4L);
    }

    @Test
    void dotOfVectors() {
      // torch.dot(torch.ones(3), torch.ones(4)), torch.matmul of the same
      var e = shape(runtimeError("inconsistent tensor size, expected tensor [3] and src [4] to have the same "
          + "number of elements, but got 3 and 4 elements respectively"));
      assertThat(e.operation()).isEqualTo("dot");
      assertThat(e.leftShape()).containsExactly(3L);
      assertThat(e.rightShape()).containsExactly(4L);
    }

    @Test
    void mv() {
      // torch.mv(torch.ones(2,3), torch.ones(4))
      var e = shape(runtimeError("size mismatch, got 2, 2x3,4"));
      assertThat(e.operation()).isEqualTo("mv");
      assertThat(e.leftShape()).containsExactly(2L, 3L);
      assertThat(e.rightShape()).containsExactly(4L);
    }

    @Test
    void cat() {
      var e = shape(runtimeError("Sizes of tensors must match except in dimension 0. Expected size 3 but got "
          + "size 5 for tensor number 1 in the list."));
      assertThat(e.operation()).isEqualTo("concatenate");
      assertThat(e.leftShape()).isEmpty();
    }
  }

  @Nested
  class Memory {
    private PythonException arrayMemoryError(String message) {
      return error("MemoryError", "numpy.core._exceptions._ArrayMemoryError", bases("builtins.MemoryError"), message, Map.of());
    }

    @Test
    void numpyArrayMemoryErrorGivesTheExactRequest() {
      // np.empty((10**6, 10**6)): 10^12 float64 = 8 * 10^12 bytes, printed as 7.28 TiB
      var e = memory(arrayMemoryError(
          "Unable to allocate 7.28 TiB for an array with shape (1000000, 1000000) and data type float64"));
      assertThat(e.device()).isEqualTo("cpu");
      assertThat(e.requestedBytes()).hasValue(8_000_000_000_000L);
      assertThat(e.availableBytes()).isEmpty();
      assertThat(e.pythonType()).isEqualTo("MemoryError");
      assertThat(e.is("MemoryError")).isTrue();
    }

    @Test
    void numpyRoundedSizesAndOtherDtypes() {
      // np.zeros((10**5, 10**6)) prints "745. GiB"
      assertThat(memory(arrayMemoryError("Unable to allocate 745. GiB for an array with shape (100000, 1000000) "
          + "and data type float64")).requestedBytes()).hasValue(800_000_000_000L);
      assertThat(memory(arrayMemoryError("Unable to allocate 9.09 TiB for an array with shape (10000000000000,) "
          + "and data type int8")).requestedBytes()).hasValue(10_000_000_000_000L);
      assertThat(memory(arrayMemoryError("Unable to allocate 36.4 TiB for an array with shape (10000000, 1000000) "
          + "and data type float32")).requestedBytes()).hasValue(40_000_000_000_000L);
    }

    @Test
    void numpyWithoutAnItemsizeParsesThePrintedSize() {
      var e = memory(arrayMemoryError("Unable to allocate 7.28 TiB for an array with shape (1000000, 1000000) "
          + "and data type datetime64[ns]"));
      assertThat(e.requestedBytes()).hasValue(Math.round(7.28 * 1024 * GIB));
      var bytes = memory(arrayMemoryError("Unable to allocate 512. bytes for an array with shape (64,) and data type V8"));
      assertThat(bytes.requestedBytes()).hasValue(512L);
    }

    @Test
    void numpy2QualifiedName() {
      var e = memory(error("MemoryError", "numpy._core._exceptions._ArrayMemoryError", bases("builtins.MemoryError"),
          "Unable to allocate 7.28 TiB for an array with shape (1000000, 1000000) and data type float64", Map.of()));
      assertThat(e.requestedBytes()).hasValue(8_000_000_000_000L);
    }

    @Test
    void plainMemoryError() {
      // bytearray(10**15)
      var e = memory(error("MemoryError", "builtins.MemoryError", EXCEPTION, "", Map.of()));
      assertThat(e.device()).isEqualTo("cpu");
      assertThat(e.requestedBytes()).isEmpty();
      assertThat(e.availableBytes()).isEmpty();
    }

    @Test
    void torchCpuAllocator() {
      // torch.empty(10**12, dtype=torch.float64)
      var e = memory(runtimeError("[enforce fail at alloc_cpu.cpp:75] err == 0. DefaultCPUAllocator: can't allocate "
          + "memory: you tried to allocate 8000000000000 bytes. Error code 12 (Cannot allocate memory)"));
      assertThat(e.device()).isEqualTo("cpu");
      assertThat(e.requestedBytes()).hasValue(8_000_000_000_000L);
      assertThat(e.availableBytes()).isEmpty();
    }

    @Test
    void torchCpuAllocatorOnWindows() {
      var e = memory(runtimeError("[enforce fail at C:\\actions-runner\\_work\\pytorch\\c10\\core\\impl\\alloc_cpu.cpp:72] "
          + "data. DefaultCPUAllocator: not enough memory: you tried to allocate 1073741824 bytes."));
      assertThat(e.requestedBytes()).hasValue(GIB);
    }

    @Test
    void cudaBeforeTorch21() {
      var e = memory(error("OutOfMemoryError", "torch.cuda.OutOfMemoryError", bases("builtins.RuntimeError"),
          "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 15.78 GiB total capacity; 12.50 GiB already "
              + "allocated; 1.20 GiB free; 13.00 GiB reserved in total by PyTorch) If reserved memory is >> allocated "
              + "memory try setting max_split_size_mb to avoid fragmentation.  See documentation for Memory Management "
              + "and PYTORCH_CUDA_ALLOC_CONF", Map.of()));
      assertThat(e.device()).isEqualTo("cuda:0");
      assertThat(e.requestedBytes()).hasValue(2 * GIB);
      assertThat(e.availableBytes()).hasValue(Math.round(1.2 * GIB));
    }

    @Test
    void cudaAsRuntimeErrorWithZeroBytesFree() {
      // torch < 1.13 raised a plain RuntimeError
      var e = memory(runtimeError("CUDA out of memory. Tried to allocate 20.00 MiB (GPU 1; 2.00 GiB total capacity; "
          + "1.20 GiB already allocated; 0 bytes free; 1.30 GiB reserved in total by PyTorch)"));
      assertThat(e.device()).isEqualTo("cuda:1");
      assertThat(e.requestedBytes()).hasValue(20 * MIB);
      assertThat(e.availableBytes()).hasValue(0L);
    }

    @Test
    void cudaSinceTorch21() {
      var e = memory(error("OutOfMemoryError", "torch.OutOfMemoryError", bases("builtins.RuntimeError"),
          "CUDA out of memory. Tried to allocate 1.95 GiB. GPU 0 has a total capacity of 14.57 GiB of which 1.58 GiB "
              + "is free. Process 2493055 has 12.02 GiB memory in use. Including non-PyTorch memory, this process has "
              + "966.00 MiB memory in use. Of the allocated memory 734.07 MiB is allocated by PyTorch, and 33.93 MiB is "
              + "reserved by PyTorch but unallocated.", Map.of()));
      assertThat(e.device()).isEqualTo("cuda:0");
      assertThat(e.requestedBytes()).hasValue(Math.round(1.95 * GIB));
      assertThat(e.availableBytes()).hasValue(Math.round(1.58 * GIB));
    }

    @Test
    void cudaRuntimeOutOfMemory() {
      var e = memory(runtimeError("CUDA error: out of memory\nCUDA kernel errors might be asynchronously reported at "
          + "some other API call, so the stacktrace below might be incorrect."));
      assertThat(e.device()).isEqualTo("cuda");
      assertThat(e.requestedBytes()).isEmpty();
    }

    @Test
    void mpsWithHighWatermark() {
      var e = memory(runtimeError("MPS backend out of memory (MPS allocated: 1.50 GiB, other allocations: 2.00 MiB, "
          + "max allowed: 18.13 GiB). Tried to allocate 256.00 MiB on private pool. Use "
          + "PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.0 to disable upper limit for memory allocations (may cause system failure)."));
      assertThat(e.device()).isEqualTo("mps");
      assertThat(e.requestedBytes()).hasValue(256 * MIB);
      assertThat(e.availableBytes()).hasValue(Math.round(18.13 * GIB) - Math.round(1.5 * GIB) - 2 * MIB);
    }

    @Test
    void mpsWithOldUnitsAndWithoutWatermark() {
      var old = memory(runtimeError("MPS backend out of memory (MPS allocated: 18.04 GB, other allocations: 94.99 MB, "
          + "max allowed: 18.13 GB). Tried to allocate 256.00 MB on private pool."));
      assertThat(old.requestedBytes()).hasValue(256 * MIB);
      var unlimited = memory(runtimeError("MPS backend out of memory (MPS allocated: 7.64 GiB, other allocations: "
          + "68.91 GiB). Tried to allocate 33.92 GiB on private pool."));
      assertThat(unlimited.requestedBytes()).hasValue(Math.round(33.92 * GIB));
      assertThat(unlimited.availableBytes()).isEmpty();
    }

    @Test
    void anOutOfMemoryErrorWithAnUnknownMessage() {
      var e = memory(error("OutOfMemoryError", "torch.OutOfMemoryError", bases("builtins.RuntimeError"),
          "XPU out of memory, please use `empty_cache` to release all unoccupied cached memory.", Map.of()));
      assertThat(e.device()).isEqualTo("xpu");
    }
  }

  @Nested
  class DtypeErrors {
    @Test
    void torchExpectedScalarType() {
      // torch.mm(float32, float64), torch.matmul, torch.bmm, torch.mv
      var e = dtype(runtimeError("expected scalar type Float but found Double"));
      assertThat(e.expectedDtype()).isEqualTo("float32");
      assertThat(e.actualDtype()).isEqualTo("float64");
    }

    @ParameterizedTest
    @CsvSource({
        // torch.mm(float64, float32), Conv1d(float64 input)
        "expected scalar type Double but found Float, float64, float32",
        // torch.mm(float32, int64), F.nll_loss(float target)
        "expected scalar type Float but found Long, float32, int64",
        // F.cross_entropy(int32 target)
        "expected scalar type Long but found Int, int64, int32",
        "expected scalar type BFloat16 but found Float, bfloat16, float32",
        "expected scalar type Int but found Long, int32, int64",
        "expected scalar type Half but found Float, float16, float32",
        "expected scalar type Bool but found Float, bool, float32",
        // torch 2.x
        "'mat1 and mat2 must have the same dtype, but got Float and BFloat16', float32, bfloat16",
        "'self and mat2 must have the same dtype, but got BFloat16 and Float', bfloat16, float32",
        "'expected mat1 and mat2 to have the same dtype, but got: float != double', float32, float64",
        "'expected m1 and m2 to have the same dtype, but got: float != c10::Half', float32, float16",
        "'expected m1 and m2 to have the same dtype, but got: struct c10::Half != float', float16, float32",
        // torch.dot(float32, float64)
        "'dot : expected both vectors to have same dtype, but found Float and Double', float32, float64",
        // torch.ones(2, dtype=int64).add_(torch.ones(2)); torch.add(..., out=int64)
        "result type Float can't be cast to the desired output type Long, int64, float32",
        "result type Float can't be cast to the desired output type Bool, bool, float32",
        // nn.Conv2d(1, 1, 1)(float64 input)
        "'Input type (double) and bias type (float) should be the same', float32, float64",
        "'Input type (torch.cuda.HalfTensor) and weight type (torch.cuda.FloatTensor) should be the same', float32, float16",
        // nn.Embedding(3, 4)(torch.ones(2))
        "'Expected tensor for argument #1 ''indices'' to have one of the following scalar types: Long, Int; but got "
            + "torch.FloatTensor instead (while checking arguments for embedding)', int64, float32",
    })
    void torchMessagesNamingBothDtypes(String message, String expected, String actual) {
      var e = dtype(runtimeError(message));
      assertThat(e.expectedDtype()).isEqualTo(expected);
      assertThat(e.actualDtype()).isEqualTo(actual);
    }

    @Test
    void torchSameDtypeTakesDtypesFromDetails() {
      // F.linear(float64 input, float32 weight, float32 bias) in torch 1.13
      var e = dtype(runtimeError("mat1 and mat2 must have the same dtype",
          Map.of("arg_shapes", List.of(List.of(2L, 3L), List.of(4L, 3L), List.of(4L)),
              "arg_dtypes", List.of("torch.float64", "torch.float32", "torch.float32"))));
      assertThat(e.expectedDtype()).isEqualTo("float64");
      assertThat(e.actualDtype()).isEqualTo("float32");
    }

    @Test
    void torchSameDtypeWithoutDetailsIsUnknown() {
      // nn.Linear(3, 4)(float64 input), torch.addmm: "self and mat2 must have the same dtype"
      var linear = dtype(runtimeError("mat1 and mat2 must have the same dtype"));
      assertThat(linear.expectedDtype()).isEqualTo("unknown");
      assertThat(linear.actualDtype()).isEqualTo("unknown");
      var addmm = dtype(runtimeError("self and mat2 must have the same dtype",
          Map.of("arg_dtypes", List.of("torch.float64"))));
      assertThat(addmm.expectedDtype()).isEqualTo("float64");
      assertThat(addmm.actualDtype()).isEqualTo("unknown");
    }

    @Test
    void numpyUfuncOutputCasting() {
      // a = np.ones(3, dtype=np.int64); a += 1.5
      var e = dtype(error("UFuncTypeError", "numpy.core._exceptions._UFuncOutputCastingError",
          bases("numpy.core._exceptions._UFuncCastingError", "numpy.core._exceptions.UFuncTypeError", "builtins.TypeError"),
          "Cannot cast ufunc 'add' output from dtype('float64') to dtype('int64') with casting rule 'same_kind'",
          Map.of()));
      assertThat(e.expectedDtype()).isEqualTo("int64");
      assertThat(e.actualDtype()).isEqualTo("float64");
      assertThat(e.pythonType()).isEqualTo("UFuncTypeError");
    }

    @Test
    void numpyUfuncInputCastingAndComplex() {
      List<String> inputBases = bases("numpy.core._exceptions._UFuncCastingError",
          "numpy.core._exceptions.UFuncTypeError", "builtins.TypeError");
      // np.add(np.ones(3, dtype=np.int64), 1.5, dtype=np.int64)
      var input = dtype(error("UFuncTypeError", "numpy.core._exceptions._UFuncInputCastingError", inputBases,
          "Cannot cast ufunc 'add' input 1 from dtype('float64') to dtype('int64') with casting rule 'same_kind'", Map.of()));
      assertThat(input.expectedDtype()).isEqualTo("int64");
      assertThat(input.actualDtype()).isEqualTo("float64");
      // np.add(np.ones(3), 1j, out=np.ones(3))
      var complex = dtype(error("UFuncTypeError", "numpy.core._exceptions._UFuncOutputCastingError", inputBases,
          "Cannot cast ufunc 'add' output from dtype('complex128') to dtype('float64') with casting rule 'same_kind'", Map.of()));
      assertThat(complex.expectedDtype()).isEqualTo("float64");
      assertThat(complex.actualDtype()).isEqualTo("complex128");
    }

    @Test
    void numpyAstype() {
      // np.ones(3).astype(np.int64, casting='same_kind')
      var e = dtype(error("TypeError", "builtins.TypeError", EXCEPTION,
          "Cannot cast array data from dtype('float64') to dtype('int64') according to the rule 'same_kind'", Map.of()));
      assertThat(e.expectedDtype()).isEqualTo("int64");
      assertThat(e.actualDtype()).isEqualTo("float64");
    }

    @ParameterizedTest
    @CsvSource({
        "Float, float32", "Double, float64", "Long, int64", "Int, int32", "Half, float16", "BFloat16, bfloat16",
        "Bool, bool", "Byte, uint8", "Char, int8", "Short, int16", "ComplexFloat, complex64",
        "torch.float32, float32", "torch.int64, int64", "torch.FloatTensor, float32", "torch.cuda.LongTensor, int64",
        "double, float64", "c10::Half, float16", "c10::BFloat16, bfloat16", "'struct c10::Half', float16",
        "float64, float64", "int8, int8", "<U1, <U1", "dtype('int64'), int64"})
    void normalisesDtypeNames(String raw, String numpy) {
      assertThat(Dtypes.normalize(raw)).isEqualTo(numpy);
    }
  }

  @Nested
  class Untranslated {
    @Test
    void plainValueErrorStaysPlain() {
      PythonException raw = valueError("math domain error");
      assertThat(MlErrorTranslator.translate(raw)).isSameAs(raw);
    }

    @Test
    void keyErrorStaysPlain() {
      PythonException raw = error("KeyError", "builtins.KeyError", bases("builtins.LookupError"), "'missing'", Map.of());
      assertThat(MlErrorTranslator.translate(raw)).isSameAs(raw);
    }

    @Test
    void theTypeMustFitAsWellAsTheMessage() {
      PythonException keyError = error("KeyError", "builtins.KeyError", bases("builtins.LookupError"),
          "operands could not be broadcast together with shapes (2,3) (4,) ", Map.of());
      assertThat(MlErrorTranslator.translate(keyError)).isSameAs(keyError);
      PythonException valueError = valueError("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
      assertThat(MlErrorTranslator.translate(valueError)).isSameAs(valueError);
      PythonException notMemory = runtimeError("Unable to allocate 7.28 TiB for an array with shape (1000000, 1000000) "
          + "and data type float64");
      assertThat(MlErrorTranslator.translate(notMemory)).isSameAs(notMemory);
    }

    @Test
    void relatedErrorsThatAreNotMismatchesStayPlain() {
      List<PythonException> raws = List.of(
          // np.add(np.array(['a']), np.array([1]))
          error("UFuncTypeError", "numpy.core._exceptions._UFuncNoLoopError",
              bases("numpy.core._exceptions.UFuncTypeError", "builtins.TypeError"),
              "ufunc 'add' did not contain a loop with signature matching types (dtype('<U1'), dtype('int64')) -> None", Map.of()),
          // np.bitwise_and(np.ones(3), np.ones(3))
          error("TypeError", "builtins.TypeError", EXCEPTION, "ufunc 'bitwise_and' not supported for the input types, "
              + "and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''",
              Map.of()),
          // torch.mm of two float16 tensors on CPU
          runtimeError("\"addmm_impl_cpu_\" not implemented for 'Half'"),
          // torch.ones(2).cuda() without CUDA
          error("AssertionError", "builtins.AssertionError", EXCEPTION, "Torch not compiled with CUDA enabled", Map.of()),
          runtimeError("PyTorch is not linked with support for mps devices"),
          // a device mismatch worded like a dtype mismatch
          runtimeError("Input type (torch.cuda.FloatTensor) and weight type (torch.FloatTensor) should be the same"),
          error("IndexError", "builtins.IndexError", bases("builtins.LookupError"),
              "tensors used as indices must be long, byte or bool tensors", Map.of()));
      for (PythonException raw : raws) {
        assertThat(MlErrorTranslator.translate(raw)).as(raw.pythonMessage()).isSameAs(raw);
      }
    }

    @Test
    void oddInputsNeverThrow() {
      PythonException noMessage = error("ValueError", "builtins.ValueError", EXCEPTION, null, Map.of());
      assertThatCode(() -> MlErrorTranslator.translate(noMessage)).doesNotThrowAnyException();
      assertThat(MlErrorTranslator.translate(noMessage)).isSameAs(noMessage);
      PythonException oddDetails = valueError("matmul: Input operand 1 has a mismatch in its core dimension 0, with "
          + "gufunc signature (n?,k),(k,m?)->(n?,m?) (size 4 is different from 3)",
          Map.of("arg_shapes", List.of("not a shape", List.of(1L))));
      assertThat(shape(oddDetails).leftShape()).isEmpty();
      PythonException huge = runtimeError("DefaultCPUAllocator: can't allocate memory: you tried to allocate "
          + "99999999999999999999999 bytes.");
      assertThat(MlErrorTranslator.translate(huge)).isSameAs(huge);
      assertThat(MlErrorTranslator.translate(null)).isNull();
    }

    @Test
    void translatedErrorsAreLeftAlone() {
      var translated = shape(valueError("operands could not be broadcast together with shapes (2,3) (4,) "));
      assertThat(MlErrorTranslator.translate(translated)).isSameAs(translated);
    }
  }

  @Test
  void translationKeepsEverythingTheRawErrorCarried() {
    PythonException raw = valueError("operands could not be broadcast together with shapes (2,3) (4,) ",
        Map.of("arg_shapes", List.of(List.of(2L, 3L), List.of(4L))));
    var e = shape(raw);
    assertThat(e.pythonType()).isEqualTo(raw.pythonType());
    assertThat(e.qualifiedName()).isEqualTo(raw.qualifiedName());
    assertThat(e.bases()).isEqualTo(raw.bases());
    assertThat(e.pythonMessage()).isEqualTo(raw.pythonMessage());
    assertThat(e.traceback()).isEqualTo(raw.traceback());
    assertThat(e.details()).isEqualTo(raw.details());
    assertThat(e.getStackTrace()).isEqualTo(raw.getStackTrace());
    assertThat(e.is("ValueError")).isTrue();
    assertThat(e.getMessage()).startsWith(raw.getMessage()).contains("broadcast [2, 3] vs [4]");
  }

  @Test
  void ruleNamesAreUnique() {
    List<String> names = MlErrorTranslator.ruleNames();
    assertThat(names).doesNotHaveDuplicates().hasSizeGreaterThan(20);
  }
}
