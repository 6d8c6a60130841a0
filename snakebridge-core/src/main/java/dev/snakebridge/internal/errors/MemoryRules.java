package dev.snakebridge.internal.errors;

import static dev.snakebridge.internal.errors.ByteSizes.SIZE;
import static dev.snakebridge.internal.errors.ErrorRule.isA;

import dev.snakebridge.OutOfMemoryException;
import dev.snakebridge.PythonException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Rules that turn allocation failures into {@link OutOfMemoryException}; byte counts are -1 when unknown. */
final class MemoryRules {
  private static final Pattern GPU_INDEX = Pattern.compile("\\bGPU (\\d+)");
  /** torch before 2.1: "(GPU 0; 15.78 GiB total capacity; 12.50 GiB already allocated; 1.20 GiB free; ...)". */
  private static final Pattern CUDA_FREE_OLD = Pattern.compile(";\\s*" + SIZE + " free");
  /** torch 2.1 and later: "GPU 0 has a total capacity of 79.15 GiB of which 3.75 MiB is free." */
  private static final Pattern CUDA_FREE_NEW = Pattern.compile("of which " + SIZE + " is free");
  /** numpy's itemsize-carrying dtype names: float64, int8, uint16, complex128. */
  private static final Pattern SIZED_DTYPE = Pattern.compile("(?:float|int|uint|complex)(\\d+)");

  private MemoryRules() {}

  static final List<ErrorRule> RULES = List.of(
      // numpy, numpy.core._exceptions._ArrayMemoryError (a MemoryError; __name__ "MemoryError"):
      // "Unable to allocate 7.28 TiB for an array with shape (1000000, 1000000) and data type float64"
      // "Unable to allocate 745. GiB for an array with shape (100000, 1000000) and data type float64"
      ErrorRule.of("numpy-array-memory", isA("MemoryError"),
          "Unable to allocate " + SIZE + " for an array with shape \\(([0-9, ]*)\\) and data type (\\S+)",
          (raw, m) -> new OutOfMemoryException(raw, "cpu",
              numpyRequestedBytes(m.group(1), m.group(2), m.group(3), m.group(4)), -1)),

      // torch CPU, RuntimeError: "[enforce fail at alloc_cpu.cpp:75] err == 0. DefaultCPUAllocator: can't
      // allocate memory: you tried to allocate 8000000000000 bytes. Error code 12 (Cannot allocate memory)"
      // (Windows builds say "DefaultCPUAllocator: not enough memory: you tried to allocate ... bytes.")
      ErrorRule.of("torch-cpu-allocator", isA("RuntimeError"),
          "DefaultCPUAllocator: (?:can't allocate memory|not enough memory): you tried to allocate (\\d+) bytes",
          (raw, m) -> new OutOfMemoryException(raw, "cpu", Long.parseLong(m.group(1)), -1)),

      // torch CUDA (and ROCm "HIP"), torch.cuda.OutOfMemoryError (torch.OutOfMemoryError from 2.5; a
      // RuntimeError before 1.13):
      // "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 15.78 GiB total capacity; 12.50 GiB already
      //  allocated; 1.20 GiB free; 13.00 GiB reserved in total by PyTorch) If reserved memory is >> ..."
      // "CUDA out of memory. Tried to allocate 1.95 GiB. GPU 0 has a total capacity of 14.57 GiB of which
      //  1.58 GiB is free. Process 2493055 has 12.02 GiB memory in use. ..."  (torch 2.1 and later)
      ErrorRule.of("torch-cuda-caching-allocator", isA("OutOfMemoryError", "RuntimeError"),
          "(?:CUDA|HIP) out of memory\\. Tried to allocate " + SIZE,
          MemoryRules::cuda),

      // torch CUDA outside the caching allocator, RuntimeError: "CUDA error: out of memory" (kernels,
      // cuBLAS workspaces), "CUBLAS_STATUS_ALLOC_FAILED when calling `cublasCreate(handle)`"
      ErrorRule.of("torch-cuda-runtime", isA("RuntimeError"),
          "CUDA error: out of memory|CUBLAS_STATUS_ALLOC_FAILED",
          (raw, m) -> new OutOfMemoryException(raw, cudaDevice(ErrorRule.message(raw)), -1, -1)),

      // torch MPS (Apple), RuntimeError: "MPS backend out of memory (MPS allocated: 1.50 GiB, other
      // allocations: 2.00 MiB, max allowed: 18.13 GiB). Tried to allocate 256.00 MiB on private pool. Use
      // PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.0 to disable upper limit for memory allocations (may cause system
      // failure)."  (older torch printed "GB"/"MB"; without a high watermark there is no "max allowed")
      ErrorRule.of("torch-mps", isA("RuntimeError"),
          "MPS backend out of memory \\(MPS allocated: " + SIZE + ", other allocations: " + SIZE
              + "(?:, max allowed: " + SIZE + ")?\\)\\. Tried to allocate " + SIZE,
          MemoryRules::mps),

      // torch, torch.cuda.OutOfMemoryError / torch.OutOfMemoryError with a message none of the above knows.
      ErrorRule.of("torch-out-of-memory-error", isA("torch.cuda.OutOfMemoryError", "torch.OutOfMemoryError"),
          "(?s).*",
          (raw, m) -> new OutOfMemoryException(raw, guessDevice(raw), -1, -1)),

      // Python, MemoryError (any message, usually empty: bytearray(10**15), list growth, C extensions).
      ErrorRule.of("python-memory-error", isA("MemoryError"),
          "(?s).*",
          (raw, m) -> new OutOfMemoryException(raw, "cpu", -1, -1)));

  /**
   * numpy prints the size rounded to three digits ("7.28 TiB"); the shape and dtype in the same message
   * give the exact byte count (shape product times itemsize), used when it agrees with the printed size.
   */
  private static long numpyRequestedBytes(String number, String unit, String shape, String dtype) {
    long printed = ByteSizes.toBytes(number, unit);
    Matcher sized = SIZED_DTYPE.matcher(dtype);
    long itemsize = dtype.equals("bool") ? 1 : sized.matches() ? Long.parseLong(sized.group(1)) / 8 : -1;
    if (itemsize <= 0) {
      return printed;
    }
    try {
      long exact = itemsize;
      for (long dim : Shapes.parse(shape)) {
        exact = Math.multiplyExact(exact, dim);
      }
      // numpy rounds to 3 significant digits, so a correct exact count is within 1% of the printed one.
      boolean agrees = printed < 0 || Math.abs(exact - printed) <= printed / 100 + 1024;
      return agrees ? exact : printed;
    } catch (ArithmeticException overflow) {
      return printed;
    }
  }

  private static PythonException cuda(PythonException raw, Matcher m) {
    String message = ErrorRule.message(raw);
    long requested = ByteSizes.toBytes(m.group(1), m.group(2));
    long available = -1;
    Matcher free = CUDA_FREE_NEW.matcher(message);
    if (!free.find()) {
      free = CUDA_FREE_OLD.matcher(message);
      if (!free.find()) {
        free = null;
      }
    }
    if (free != null) {
      available = ByteSizes.toBytes(free.group(1), free.group(2));
    }
    return new OutOfMemoryException(raw, cudaDevice(message), requested, available);
  }

  /** {@code cuda:N} from "GPU N" in the message, else {@code cuda}. */
  private static String cudaDevice(String message) {
    Matcher gpu = GPU_INDEX.matcher(message);
    return gpu.find() ? "cuda:" + gpu.group(1) : "cuda";
  }

  /**
   * MPS: available is what the high watermark still allows, "max allowed" less "MPS allocated" and
   * "other allocations" (together the device's current allocation); unknown without a watermark.
   */
  private static PythonException mps(PythonException raw, Matcher m) {
    long allocated = ByteSizes.toBytes(m.group(1), m.group(2));
    long other = ByteSizes.toBytes(m.group(3), m.group(4));
    long requested = ByteSizes.toBytes(m.group(7), m.group(8));
    long available = -1;
    if (m.group(5) != null && allocated >= 0 && other >= 0) {
      long maxAllowed = ByteSizes.toBytes(m.group(5), m.group(6));
      if (maxAllowed >= 0) {
        available = Math.max(0, maxAllowed - allocated - other);
      }
    }
    return new OutOfMemoryException(raw, "mps", requested, available);
  }

  private static String guessDevice(PythonException raw) {
    String message = ErrorRule.message(raw);
    if (message.contains("MPS")) {
      return "mps";
    }
    if (message.contains("XPU")) {
      return "xpu";
    }
    if (message.contains("CUDA") || message.contains("HIP") || message.contains("GPU")
        || raw.qualifiedName().startsWith("torch.cuda.")) {
      return cudaDevice(message);
    }
    return "unknown";
  }
}
