package dev.snakebridge.internal.errors;

import dev.snakebridge.PythonException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading and writing array shapes for the shape rules. */
final class Shapes {
  private static final Pattern INTEGER = Pattern.compile("-?\\d+");

  private Shapes() {}

  /**
   * The integers of a shape as any library writes it: numpy's {@code "2,3"} or {@code "(4,)"}, torch's
   * {@code "[4, 5]"} or {@code "2x3"}. Anything that is not a number ({@code newaxis}) is skipped.
   */
  static List<Long> parse(String text) {
    List<Long> dims = new ArrayList<>();
    Matcher m = INTEGER.matcher(text == null ? "" : text);
    while (m.find()) {
      dims.add(Long.parseLong(m.group()));
    }
    return List.copyOf(dims);
  }

  /** The shapes the worker reported in {@code details.arg_shapes}, in argument order; empty when none. */
  static List<List<Long>> argShapes(PythonException raw) {
    Object value = raw.details().get("arg_shapes");
    if (!(value instanceof List<?> shapes)) {
      return List.of();
    }
    List<List<Long>> result = new ArrayList<>();
    for (Object shape : shapes) {
      if (!(shape instanceof List<?> dims)) {
        return List.of();
      }
      List<Long> parsed = new ArrayList<>();
      for (Object dim : dims) {
        if (!(dim instanceof Number n)) {
          return List.of();
        }
        parsed.add(n.longValue());
      }
      result.add(List.copyOf(parsed));
    }
    return List.copyOf(result);
  }

  /** The {@code index}-th reported argument shape, or an empty list when there is none. */
  static List<Long> argShape(PythonException raw, int index) {
    List<List<Long>> shapes = argShapes(raw);
    return index < shapes.size() ? shapes.get(index) : List.of();
  }

  /** The number of elements of an array of this shape. */
  static long product(List<Long> shape) {
    long n = 1;
    for (long dim : shape) {
      n *= dim;
    }
    return n;
  }

  /** A shape as numpy writes a tuple: {@code (2, 3)}, {@code (4,)}, {@code ()}. */
  static String format(List<Long> shape) {
    if (shape.size() == 1) {
      return "(" + shape.get(0) + ",)";
    }
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(shape.get(i));
    }
    return sb.append(')').toString();
  }

  /**
   * Where two shapes fail to broadcast: aligned from the right, the first pair of sizes that differ with
   * neither being 1, as {@code {indexInA, indexInB}}; {@code null} when they do broadcast.
   */
  static int[] broadcastClash(List<Long> a, List<Long> b) {
    for (int i = a.size() - 1, j = b.size() - 1; i >= 0 && j >= 0; i--, j--) {
      long x = a.get(i);
      long y = b.get(j);
      if (x != y && x != 1 && y != 1) {
        return new int[] {i, j};
      }
    }
    return null;
  }

  /** The advice for two shapes that do not broadcast. */
  static String broadcastSuggestion(List<Long> left, List<Long> right) {
    int[] clash = broadcastClash(left, right);
    String fix = "reshape one operand or insert an axis of size 1 (x[:, None] or unsqueeze) so that, aligned"
        + " from the right, each pair of dimensions is equal or 1";
    if (clash == null) {
      return fix;
    }
    return "dimension " + clash[0] + " of the first operand (" + left.get(clash[0]) + ") and dimension "
        + clash[1] + " of the second (" + right.get(clash[1]) + ") clash; " + fix;
  }

  /**
   * The advice for a matrix product whose inner dimensions differ: {@code leftInner} is the first
   * operand's last dimension, {@code rightInner} the second operand's first (second-to-last) one.
   */
  static String innerSuggestion(long leftInner, long rightInner, List<Long> right) {
    String base = "transpose the second operand or reshape so inner dimensions match ("
        + leftInner + " vs " + rightInner + ")";
    if (right.size() >= 2 && right.get(right.size() - 1) == leftInner) {
      List<Long> transposed = new ArrayList<>(right);
      int n = right.size();
      transposed.set(n - 1, right.get(n - 2));
      transposed.set(n - 2, right.get(n - 1));
      return base + "; here transposing the second operand to " + format(transposed) + " would fit";
    }
    return base;
  }
}
