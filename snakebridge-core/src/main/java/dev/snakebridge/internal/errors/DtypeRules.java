package dev.snakebridge.internal.errors;

import static dev.snakebridge.internal.errors.ErrorRule.isA;

import dev.snakebridge.DtypeMismatchException;
import dev.snakebridge.PythonException;
import java.util.List;

/**
 * Rules that turn element-type errors into {@link DtypeMismatchException}, with both dtypes in numpy's
 * spelling ({@link Dtypes#normalize}). Where torch names two operands ("mat1 and mat2"), expected is the
 * first operand's dtype and actual the second's, as torch's own "expected scalar type X but found Y" does.
 */
final class DtypeRules {
  private DtypeRules() {}

  static final List<ErrorRule> RULES = List.of(
      // torch, RuntimeError (torch.mm / matmul / bmm / mv of float32 and float64, F.nll_loss and
      // F.cross_entropy with a wrong target type, conv1d of float64 input): "expected scalar type Float but
      // found Double", "expected scalar type Long but found Int"
      ErrorRule.of("torch-expected-scalar-type", isA("RuntimeError"),
          "expected scalar type (\\w+) but found (\\w+)",
          (raw, m) -> mismatch(raw, m.group(1), m.group(2))),

      // torch 2.x, RuntimeError (mm, linear): "mat1 and mat2 must have the same dtype, but got Float and
      // BFloat16", "self and mat2 must have the same dtype, but got BFloat16 and Float"
      ErrorRule.of("torch-same-dtype-named", isA("RuntimeError"),
          "\\w+ and \\w+ must have the same dtype, but got (\\w+) and (\\w+)",
          (raw, m) -> mismatch(raw, m.group(1), m.group(2))),

      // torch 2.x, RuntimeError: "expected mat1 and mat2 to have the same dtype, but got: float != double",
      // "expected m1 and m2 to have the same dtype, but got: float != c10::Half"
      ErrorRule.of("torch-same-dtype-compared", isA("RuntimeError"),
          "(?m)expected \\w+ and \\w+ to have the same dtype, but got: ([^\\n!]+?) != ([^\\n]+?)\\s*$",
          (raw, m) -> mismatch(raw, m.group(1), m.group(2))),

      // torch 1.13, RuntimeError (nn.Linear / F.linear, nn.LSTM, torch.addmm): "mat1 and mat2 must have the
      // same dtype", "self and mat2 must have the same dtype" -- no dtypes in the message: they come from
      // details.arg_dtypes (the first two different ones), else "unknown".
      ErrorRule.of("torch-same-dtype", isA("RuntimeError"),
          "\\w+ and \\w+ must have the same dtype",
          (raw, m) -> {
            String[] dtypes = Dtypes.firstTwoDistinct(raw);
            return new DtypeMismatchException(raw, dtypes[0], dtypes[1]);
          }),

      // torch, RuntimeError (torch.dot, torch.vdot):
      // "dot : expected both vectors to have same dtype, but found Float and Double"
      ErrorRule.of("torch-dot-dtype", isA("RuntimeError"),
          "expected both vectors to have same dtype, but found (\\w+) and (\\w+)",
          (raw, m) -> mismatch(raw, m.group(1), m.group(2))),

      // torch, RuntimeError (in-place ops and out=, such as int64.add_(float32)):
      // "result type Float can't be cast to the desired output type Long" -- expected is the output type.
      ErrorRule.of("torch-result-type-cast", isA("RuntimeError"),
          "result type (\\w+) can't be cast to the desired output type (\\w+)",
          (raw, m) -> mismatch(raw, m.group(2), m.group(1))),

      // torch, RuntimeError (nn.Conv1d/2d/3d): "Input type (double) and bias type (float) should be the
      // same" -- expected is the layer's type. The same sentence about devices ("Input type
      // (torch.cuda.FloatTensor) and weight type (torch.FloatTensor)") is not a dtype error and stays raw.
      ErrorRule.of("torch-input-weight-type", isA("RuntimeError"),
          "Input type \\(([^)]+)\\) and (?:weight|bias) type \\(([^)]+)\\) should be the same",
          (raw, m) -> {
            String input = Dtypes.normalize(m.group(1));
            String layer = Dtypes.normalize(m.group(2));
            return input.equals(layer) ? null : new DtypeMismatchException(raw, layer, input);
          }),

      // torch, RuntimeError (nn.Embedding with float indices): "Expected tensor for argument #1 'indices' to
      // have one of the following scalar types: Long, Int; but got torch.FloatTensor instead (while checking
      // arguments for embedding)" -- expected is the first type listed.
      ErrorRule.of("torch-argument-scalar-type", isA("RuntimeError"),
          "Expected tensor for argument #\\d+ '\\w+' to have (?:one of the following scalar types: |scalar type )"
              + "(\\w+)[\\w, ]*; but got (\\S+) instead",
          (raw, m) -> mismatch(raw, m.group(1), m.group(2))),

      // numpy, numpy.core._exceptions._UFuncOutputCastingError / _UFuncInputCastingError (UFuncTypeError, a
      // TypeError): "Cannot cast ufunc 'add' output from dtype('float64') to dtype('int64') with casting rule
      // 'same_kind'" (a = np.ones(3, dtype=np.int64); a += 1.5) -- expected is the target dtype.
      ErrorRule.of("numpy-ufunc-casting", isA("TypeError"),
          "Cannot cast ufunc '\\w+' (?:output|input \\d+) from dtype\\('([^']+)'\\) to dtype\\('([^']+)'\\)"
              + " with casting rule '\\w+'",
          (raw, m) -> mismatch(raw, m.group(2), m.group(1))),

      // numpy, TypeError (ndarray.astype with casting=..., np.copyto): "Cannot cast array data from
      // dtype('float64') to dtype('int64') according to the rule 'same_kind'"
      ErrorRule.of("numpy-array-casting", isA("TypeError"),
          "Cannot cast array data from dtype\\('([^']+)'\\) to dtype\\('([^']+)'\\) according to the rule '\\w+'",
          (raw, m) -> mismatch(raw, m.group(2), m.group(1))));

  private static PythonException mismatch(PythonException raw, String expected, String actual) {
    return new DtypeMismatchException(raw, Dtypes.normalize(expected), Dtypes.normalize(actual));
  }
}
