package dev.snakebridge.internal.errors;

import static dev.snakebridge.internal.errors.ErrorRule.isA;

import dev.snakebridge.PythonException;
import dev.snakebridge.ShapeMismatchException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rules that turn shape errors into {@link ShapeMismatchException}. Shapes come from the message when it
 * gives them, else from the call's {@code details.arg_shapes} (first and second array argument), else
 * they are empty.
 */
final class ShapeRules {
  private static final Pattern NUMPY_TUPLE = Pattern.compile("\\(([0-9, ]*)\\)");
  /** An original shape in numpy's remapped list: a tuple at the start or after a space, not after "->". */
  private static final Pattern REMAPPED_ENTRY = Pattern.compile("(?:^|\\s)\\(([0-9, ]*)\\)(?:->\\(([^)]*)\\))?");

  private ShapeRules() {}

  static final List<ErrorRule> RULES = List.of(
      // numpy, ValueError: "operands could not be broadcast together with shapes (2,3) (4,) "
      // (np.add, +, -, *, np.where with three shapes "(3,) (4,) () ")
      ErrorRule.of("numpy-broadcast", isA("ValueError"),
          "operands could not be broadcast together with shapes ((?:\\([0-9, ]*\\)\\s*)+)",
          ShapeRules::numpyBroadcast),

      // numpy, ValueError (np.broadcast_to, batched np.matmul):
      // "operands could not be broadcast together with remapped shapes [original->remapped]: (3,)  and
      //  requested shape (4,)"
      // "... [original->remapped]: (5,2,3)->(5,newaxis,newaxis) (6,3,2)->(6,newaxis,newaxis)  and requested
      //  shape (2,2)"
      ErrorRule.of("numpy-broadcast-remapped", isA("ValueError"),
          "operands could not be broadcast together with remapped shapes \\[original->remapped\\]:\\s*(.*?)"
              + "\\s+and requested shape \\(([0-9, ]*)\\)",
          ShapeRules::numpyRemapped),

      // numpy, ValueError (np.matmul, @, and other gufuncs):
      // "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature
      //  (n?,k),(k,m?)->(n?,m?) (size 4 is different from 3)"
      // The shapes are not in the message: they come from details.arg_shapes.
      ErrorRule.of("numpy-gufunc-core-dimension", isA("ValueError"),
          "(\\w+): Input operand (\\d+) has a mismatch in its core dimension (\\d+), with gufunc signature (\\S+)"
              + " \\(size (\\d+) is different from (\\d+)\\)",
          ShapeRules::numpyCoreDimension),

      // numpy, ValueError (np.dot): "shapes (2,3) and (4,5) not aligned: 3 (dim 1) != 4 (dim 0)"
      ErrorRule.of("numpy-dot", isA("ValueError"),
          "shapes \\(([0-9, ]*)\\) and \\(([0-9, ]*)\\) not aligned: (\\d+) \\(dim \\d+\\) != (\\d+) \\(dim \\d+\\)",
          (raw, m) -> {
            List<Long> left = Shapes.parse(m.group(1));
            List<Long> right = Shapes.parse(m.group(2));
            long a = Long.parseLong(m.group(3));
            long b = Long.parseLong(m.group(4));
            return new ShapeMismatchException(raw, "dot", left, right, Shapes.innerSuggestion(a, b, right));
          }),

      // numpy, ValueError (reshape): "cannot reshape array of size 6 into shape (4,)"
      // (with a -1 dimension numpy leaves it out: size 7 into (-1,2) reads "into shape (2)")
      ErrorRule.of("numpy-reshape", isA("ValueError"),
          "cannot reshape array of size (\\d+) into shape \\(([0-9, -]*)\\)",
          (raw, m) -> reshape(raw, Long.parseLong(m.group(1)), Shapes.parse(m.group(2)))),

      // numpy, ValueError (np.concatenate): "all the input array dimensions except for the concatenation
      // axis must match exactly, but along dimension 1, the array at index 0 has size 3 and the array at
      // index 1 has size 5"
      ErrorRule.of("numpy-concatenate", isA("ValueError"),
          "all the input array dimensions except for the concatenation axis must match exactly, but along"
              + " dimension (\\d+), the array at index (\\d+) has size (\\d+) and the array at index (\\d+)"
              + " has size (\\d+)",
          (raw, m) -> new ShapeMismatchException(raw, "concatenate", List.of(), List.of(),
              "arrays " + m.group(2) + " and " + m.group(4) + " differ along dimension " + m.group(1) + " ("
                  + m.group(3) + " vs " + m.group(5) + "); every dimension except the concatenation axis must"
                  + " match: slice, pad or reshape them, or concatenate along another axis")),

      // torch, RuntimeError (torch.mm, torch.matmul, @, nn.Linear / F.linear):
      // "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"
      ErrorRule.of("torch-mm", isA("RuntimeError"),
          "mat1 and mat2 shapes cannot be multiplied \\((\\d+)x(\\d+) and (\\d+)x(\\d+)\\)",
          (raw, m) -> {
            List<Long> left = List.of(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
            List<Long> right = List.of(Long.parseLong(m.group(3)), Long.parseLong(m.group(4)));
            return new ShapeMismatchException(raw, "matmul", left, right,
                Shapes.innerSuggestion(left.get(1), right.get(0), right)
                    + " (for nn.Linear the input's last dimension must equal in_features)");
          }),

      // torch, RuntimeError (+, -, *, torch.add and other elementwise ops):
      // "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0"
      ErrorRule.of("torch-elementwise", isA("RuntimeError"),
          "The size of tensor a \\((\\d+)\\) must match the size of tensor b \\((\\d+)\\) at non-singleton"
              + " dimension (\\d+)",
          (raw, m) -> {
            List<List<Long>> args = Shapes.argShapes(raw);
            int dim = Integer.parseInt(m.group(3));
            boolean known = args.size() >= 2
                && sizeAtBroadcastDim(args.get(0), args.get(1), dim, true) == Long.parseLong(m.group(1))
                && sizeAtBroadcastDim(args.get(0), args.get(1), dim, false) == Long.parseLong(m.group(2));
            return new ShapeMismatchException(raw, "elementwise",
                known ? args.get(0) : List.of(), known ? args.get(1) : List.of(),
                "sizes " + m.group(1) + " and " + m.group(2) + " clash at dimension " + m.group(3)
                    + " (counted in the broadcast result); they must be equal or 1: reshape, slice or unsqueeze"
                    + " one tensor so they match");
          }),

      // torch, RuntimeError (Tensor.view, Tensor.reshape): "shape '[4]' is invalid for input of size 6"
      ErrorRule.of("torch-reshape", isA("RuntimeError"),
          "shape '\\[([0-9, -]*)\\]' is invalid for input of size (\\d+)",
          (raw, m) -> reshape(raw, Long.parseLong(m.group(2)), Shapes.parse(m.group(1)))),

      // torch, RuntimeError (torch.bmm):
      // "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4]."
      ErrorRule.of("torch-bmm", isA("RuntimeError"),
          "Expected size for first two dimensions of batch2 tensor to be: \\[(\\d+), (\\d+)\\] but got:"
              + " \\[(\\d+), (\\d+)\\]",
          ShapeRules::torchBmm),

      // torch, RuntimeError (Tensor.expand): "The expanded size of the tensor (4) must match the existing
      // size (3) at non-singleton dimension 0.  Target sizes: [4].  Tensor sizes: [3]"
      ErrorRule.of("torch-expand", isA("RuntimeError"),
          "The expanded size of the tensor \\((-?\\d+)\\) must match the existing size \\((\\d+)\\) at"
              + " non-singleton dimension (\\d+)\\.\\s+Target sizes: \\[([0-9, -]*)\\]\\.\\s+Tensor sizes:"
              + " \\[([0-9, ]*)\\]",
          (raw, m) -> new ShapeMismatchException(raw, "expand",
              Shapes.parse(m.group(5)), Shapes.parse(m.group(4)),
              "only dimensions of size 1 can be expanded: dimension " + m.group(3) + " has size " + m.group(2)
                  + ", not " + m.group(1) + "; reshape or unsqueeze the tensor first, or use repeat")),

      // torch, RuntimeError (torch.dot, torch.matmul of two vectors): "inconsistent tensor size, expected
      // tensor [3] and src [4] to have the same number of elements, but got 3 and 4 elements respectively"
      ErrorRule.of("torch-dot", isA("RuntimeError"),
          "inconsistent tensor size, expected tensor \\[([0-9, ]*)\\] and src \\[([0-9, ]*)\\] to have the same"
              + " number of elements, but got (\\d+) and (\\d+) elements",
          (raw, m) -> new ShapeMismatchException(raw, "dot",
              Shapes.parse(m.group(1)), Shapes.parse(m.group(2)),
              "both vectors need the same length (" + m.group(3) + " vs " + m.group(4) + "): slice or pad one,"
                  + " or check that the right tensors are multiplied")),

      // torch, RuntimeError (torch.mv): "size mismatch, got 2, 2x3,4"
      ErrorRule.of("torch-mv", isA("RuntimeError"),
          "^size mismatch, got (\\d+), (\\d+)x(\\d+),(\\d+)",
          (raw, m) -> {
            List<Long> right = List.of(Long.parseLong(m.group(4)));
            return new ShapeMismatchException(raw, "mv",
                List.of(Long.parseLong(m.group(2)), Long.parseLong(m.group(3))), right,
                "the vector's length must equal the matrix's column count (" + m.group(3) + " vs "
                    + m.group(4) + "): transpose the matrix or use a vector of matching length");
          }),

      // torch, RuntimeError (torch.cat): "Sizes of tensors must match except in dimension 0. Expected size 3
      // but got size 5 for tensor number 1 in the list."
      ErrorRule.of("torch-cat", isA("RuntimeError"),
          "Sizes of tensors must match except in dimension (\\d+)\\. Expected size (\\d+) but got size (\\d+)"
              + " for tensor number (\\d+) in the list",
          (raw, m) -> new ShapeMismatchException(raw, "concatenate", List.of(), List.of(),
              "tensor " + m.group(4) + " has size " + m.group(3) + " where " + m.group(2) + " was expected;"
                  + " every dimension except " + m.group(1) + " must match: slice, pad or reshape it, or"
                  + " concatenate along another dimension")));

  private static PythonException numpyBroadcast(PythonException raw, Matcher m) {
    List<List<Long>> shapes = new ArrayList<>();
    Matcher t = NUMPY_TUPLE.matcher(m.group(1));
    while (t.find()) {
      shapes.add(Shapes.parse(t.group(1)));
    }
    if (shapes.size() < 2) {
      return null;
    }
    // With three or more operands (np.where), report the first pair that cannot broadcast.
    int left = 0;
    int right = 1;
    search:
    for (int i = 0; i < shapes.size(); i++) {
      for (int j = i + 1; j < shapes.size(); j++) {
        if (Shapes.broadcastClash(shapes.get(i), shapes.get(j)) != null) {
          left = i;
          right = j;
          break search;
        }
      }
    }
    return new ShapeMismatchException(raw, "broadcast", shapes.get(left), shapes.get(right),
        Shapes.broadcastSuggestion(shapes.get(left), shapes.get(right)));
  }

  private static PythonException numpyRemapped(PythonException raw, Matcher m) {
    List<List<Long>> originals = new ArrayList<>();
    List<List<Long>> remapped = new ArrayList<>();
    Matcher t = REMAPPED_ENTRY.matcher(m.group(1));
    while (t.find()) {
      originals.add(Shapes.parse(t.group(1)));
      remapped.add(t.group(2) == null ? Shapes.parse(t.group(1)) : Shapes.parse(t.group(2)));
    }
    List<Long> requested = Shapes.parse(m.group(2));
    if (originals.size() == 1) {
      // np.broadcast_to(x, shape): the array against the shape asked for.
      return new ShapeMismatchException(raw, "broadcast", originals.get(0), requested,
          "shape " + Shapes.format(originals.get(0)) + " cannot be broadcast to " + Shapes.format(requested)
              + ": aligned from the right, each dimension must equal the requested one or be 1");
    }
    if (originals.size() < 2) {
      return null;
    }
    // Batched gufuncs (matmul): the remapped shapes keep only the loop (batch) dimensions.
    String suggestion = "the batch (leading) dimensions " + Shapes.format(remapped.get(0)) + " and "
        + Shapes.format(remapped.get(1)) + " do not broadcast; make them equal or 1 (reshape, or add an"
        + " axis with x[None])";
    return new ShapeMismatchException(raw, "broadcast", originals.get(0), originals.get(1), suggestion);
  }

  private static PythonException numpyCoreDimension(PythonException raw, Matcher m) {
    String operation = m.group(1);
    long got = Long.parseLong(m.group(5));
    long wanted = Long.parseLong(m.group(6));
    List<List<Long>> args = Shapes.argShapes(raw);
    boolean known = args.size() >= 2;
    if (known && operation.equals("matmul") && m.group(2).equals("1")) {
      // Check that the first two array arguments are the operands (not an out= array, say).
      List<Long> a = args.get(0);
      List<Long> b = args.get(1);
      known = !a.isEmpty() && !b.isEmpty() && a.get(a.size() - 1) == wanted
          && b.get(b.size() == 1 ? 0 : b.size() - 2) == got;
    }
    List<Long> left = known ? args.get(0) : List.of();
    List<Long> right = known ? args.get(1) : List.of();
    String suggestion;
    if (operation.equals("matmul")) {
      suggestion = Shapes.innerSuggestion(wanted, got, right);
    } else {
      suggestion = "input operand " + m.group(2) + " has size " + got + " in core dimension " + m.group(3)
          + " where " + wanted + " is needed by the signature " + m.group(4) + "; reshape it to match";
    }
    return new ShapeMismatchException(raw, operation, left, right, suggestion);
  }

  private static PythonException torchBmm(PythonException raw, Matcher m) {
    long batch = Long.parseLong(m.group(1));
    long inner = Long.parseLong(m.group(2));
    long gotBatch = Long.parseLong(m.group(3));
    long gotInner = Long.parseLong(m.group(4));
    List<List<Long>> args = Shapes.argShapes(raw);
    boolean known = args.size() >= 2;
    String suggestion = batch != gotBatch
        ? "both batches need the same batch size (" + batch + " vs " + gotBatch + ")"
        : "batch2 must have shape (" + batch + ", " + inner + ", m) to multiply batch1: transpose the last"
            + " two dimensions of batch2 or reshape so inner dimensions match (" + inner + " vs " + gotInner + ")";
    return new ShapeMismatchException(raw, "bmm",
        known ? args.get(0) : List.of(), known ? args.get(1) : List.of(), suggestion);
  }

  /**
   * The size of {@code a} (or {@code b}) at dimension {@code dim} of their broadcast result, where
   * shapes align from the right; -1 when the tensor has no such dimension.
   */
  private static long sizeAtBroadcastDim(List<Long> a, List<Long> b, int dim, boolean first) {
    List<Long> shape = first ? a : b;
    int index = dim - (Math.max(a.size(), b.size()) - shape.size());
    return index >= 0 && index < shape.size() ? shape.get(index) : -1;
  }

  /** numpy and torch reshape: the array's shape (from arg_shapes, when it fits the size) and the target. */
  private static PythonException reshape(PythonException raw, long size, List<Long> target) {
    List<Long> source = Shapes.argShape(raw, 0);
    if (source.isEmpty() || Shapes.product(source) != size) {
      source = List.of();
    }
    String suggestion;
    if (target.contains(-1L)) {
      long known = -Shapes.product(target);
      suggestion = "the dimensions other than -1 multiply to " + known + ", which does not divide the size "
          + size + ": choose dimensions whose product divides " + size;
    } else {
      suggestion = "an array of " + size + " elements cannot take shape " + Shapes.format(target) + " ("
          + Shapes.product(target) + " elements): choose a shape whose product is " + size
          + ", or use -1 for one dimension to infer it";
    }
    return new ShapeMismatchException(raw, "reshape", source, target, suggestion);
  }
}
