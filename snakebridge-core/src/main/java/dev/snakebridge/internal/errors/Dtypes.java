package dev.snakebridge.internal.errors;

import dev.snakebridge.PythonException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Element type names, brought to numpy's spelling ({@code float32}, {@code int64}, {@code bool}). */
final class Dtypes {
  /** What the translated exceptions say when neither the message nor the details name a dtype. */
  static final String UNKNOWN = "unknown";

  /**
   * torch's scalar type names ({@code expected scalar type Float}, {@code torch.FloatTensor}) and the C++
   * names its checks print ({@code Input type (double)}, {@code float != c10::Half}).
   */
  private static final Map<String, String> NAMES = Map.ofEntries(
      Map.entry("Float", "float32"),
      Map.entry("Double", "float64"),
      Map.entry("Half", "float16"),
      Map.entry("BFloat16", "bfloat16"),
      Map.entry("Long", "int64"),
      Map.entry("Int", "int32"),
      Map.entry("Short", "int16"),
      Map.entry("Char", "int8"),
      Map.entry("Byte", "uint8"),
      Map.entry("Bool", "bool"),
      Map.entry("ComplexHalf", "complex32"),
      Map.entry("ComplexFloat", "complex64"),
      Map.entry("ComplexDouble", "complex128"),
      Map.entry("float", "float32"),
      Map.entry("double", "float64"),
      Map.entry("half", "float16"),
      Map.entry("long", "int64"),
      Map.entry("long int", "int64"),
      Map.entry("long long", "int64"),
      Map.entry("__int64", "int64"),
      Map.entry("int64_t", "int64"),
      Map.entry("int", "int32"),
      Map.entry("int32_t", "int32"),
      Map.entry("short", "int16"),
      Map.entry("short int", "int16"),
      Map.entry("signed char", "int8"),
      Map.entry("int8_t", "int8"),
      Map.entry("unsigned char", "uint8"),
      Map.entry("uint8_t", "uint8"));

  private Dtypes() {}

  /**
   * The numpy-style name of a dtype as numpy or torch wrote it: {@code Float} → {@code float32},
   * {@code Double} → {@code float64}, {@code Long} → {@code int64}, {@code Int} → {@code int32},
   * {@code Half} → {@code float16}, {@code BFloat16} → {@code bfloat16}, {@code Bool} → {@code bool};
   * {@code torch.float32}, {@code torch.cuda.FloatTensor}, {@code c10::Half} and {@code dtype('int64')}
   * likewise. Names that are already numpy's ({@code float64}, {@code <U1}) come back unchanged.
   */
  static String normalize(String name) {
    if (name == null || name.isBlank()) {
      return UNKNOWN;
    }
    String n = name.strip();
    if (n.startsWith("dtype('") && n.endsWith("')")) {
      n = n.substring(7, n.length() - 2);
    }
    for (String prefix : new String[] {"struct ", "class ", "c10::", "torch.cuda.", "torch.mps.", "torch."}) {
      if (n.startsWith(prefix)) {
        n = n.substring(prefix.length());
      }
    }
    if (n.endsWith("Tensor") && n.length() > "Tensor".length()) {
      n = n.substring(0, n.length() - "Tensor".length());
    }
    return NAMES.getOrDefault(n, n);
  }

  /** The dtypes the worker reported in {@code details.arg_dtypes}, normalised, in argument order. */
  static List<String> argDtypes(PythonException raw) {
    Object value = raw.details().get("arg_dtypes");
    if (!(value instanceof List<?> dtypes)) {
      return List.of();
    }
    List<String> result = new ArrayList<>();
    for (Object dtype : dtypes) {
      result.add(normalize(String.valueOf(dtype)));
    }
    return List.copyOf(result);
  }

  /**
   * The first two different dtypes among the call's arguments, as {@code {first, second}}, for messages
   * that do not name them ({@code mat1 and mat2 must have the same dtype}); {@link #UNKNOWN} where the
   * details do not tell.
   */
  static String[] firstTwoDistinct(PythonException raw) {
    List<String> dtypes = argDtypes(raw);
    if (dtypes.isEmpty()) {
      return new String[] {UNKNOWN, UNKNOWN};
    }
    String first = dtypes.get(0);
    for (String other : dtypes) {
      if (!other.equals(first)) {
        return new String[] {first, other};
      }
    }
    return new String[] {first, UNKNOWN};
  }
}
