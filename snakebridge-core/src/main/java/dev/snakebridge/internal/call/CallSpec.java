package dev.snakebridge.internal.call;

import dev.snakebridge.CallOptions;
import dev.snakebridge.PyRef;
import dev.snakebridge.internal.protocol.Op;
import java.util.Objects;

/**
 * One Python operation, named and ready to encode: the only place where each verb of the API (call,
 * get, method, attr, …) is turned into its wire operands. The runtime, sessions, refs and batches all
 * build their calls here and hand them to the {@link CallEngine}.
 *
 * @param module the module the call is about, for timeouts by library and for messages (null for
 *     operations on refs of unknown module)
 * @param name the function, attribute or method, for messages and telemetry
 */
public record CallSpec(Op op, String module, String name, CallOptions options, Object[] operands) {

  /** Python: {@code module.function(*args, **kwargs)}; trailing {@code Kwargs}/{@code CallOptions} allowed. */
  public static CallSpec call(String module, String function, Object... args) {
    Invocation inv = Invocation.of(args);
    requireName(module, "module");
    requireName(function, "function");
    return new CallSpec(Op.CALL, module, function, inv.options(),
        new Object[] {module, function, inv.positional(), inv.keywords()});
  }

  /** A function of a helper module named {@code "module.function"}. */
  public static CallSpec helper(String dottedName, Object... args) {
    int dot = Objects.requireNonNull(dottedName, "dottedName").lastIndexOf('.');
    if (dot <= 0 || dot == dottedName.length() - 1) {
      throw new IllegalArgumentException("helper name must be 'module.function', got '" + dottedName + "'");
    }
    return call(dottedName.substring(0, dot), dottedName.substring(dot + 1), args);
  }

  /** Python: {@code module.name}. */
  public static CallSpec get(String module, String name) {
    return new CallSpec(Op.GET, requireName(module, "module"), requireName(name, "name"), CallOptions.defaults(),
        new Object[] {module, name});
  }

  /** Python: {@code ref.name(*args, **kwargs)}. */
  public static CallSpec method(PyRef ref, String name, Object... args) {
    Invocation inv = Invocation.of(args);
    return new CallSpec(Op.METHOD, moduleOf(ref), requireName(name, "method"), inv.options(),
        new Object[] {ref, name, inv.positional(), inv.keywords()});
  }

  /** Python: {@code ref(*args, **kwargs)}. */
  public static CallSpec invoke(PyRef ref, Object... args) {
    Invocation inv = Invocation.of(args);
    return new CallSpec(Op.CALL_REF, moduleOf(ref), "__call__", inv.options(),
        new Object[] {ref, inv.positional(), inv.keywords()});
  }

  /** Python: {@code ref.name}. */
  public static CallSpec attr(PyRef ref, String name) {
    return new CallSpec(Op.ATTR, moduleOf(ref), requireName(name, "attribute"), CallOptions.defaults(),
        new Object[] {ref, name});
  }

  /** Python: {@code ref.name = value}. */
  public static CallSpec setAttr(PyRef ref, String name, Object value) {
    return new CallSpec(Op.SET_ATTR, moduleOf(ref), requireName(name, "attribute"), CallOptions.defaults(),
        new Object[] {ref, name, value});
  }

  /** Python: the builtin {@code repr}, {@code str} or {@code len} of {@code ref}. */
  public static CallSpec builtin(String builtin, PyRef ref) {
    return new CallSpec(Op.BUILTIN, moduleOf(ref), builtin, CallOptions.defaults(), new Object[] {builtin, ref});
  }

  /** Python: {@code iter(ref)}. */
  public static CallSpec iterOpen(PyRef iterable) {
    return new CallSpec(Op.ITER_OPEN, moduleOf(iterable), "__iter__", CallOptions.defaults(), new Object[] {iterable});
  }

  /** Up to {@code max} items of a Python iterator: {@code [items, exhausted]}. */
  public static CallSpec iterNext(PyRef iterator, int max) {
    return new CallSpec(Op.ITER_NEXT, moduleOf(iterator), "__next__", CallOptions.defaults(),
        new Object[] {iterator, (long) max});
  }

  /** Python: {@code manager.__enter__()}. */
  public static CallSpec enter(PyRef manager) {
    return new CallSpec(Op.ENTER, moduleOf(manager), "__enter__", CallOptions.defaults(), new Object[] {manager});
  }

  /** Python: {@code manager.__exit__(*errorInfo)}; {@code errorInfo} null for a block that completed. */
  public static CallSpec exit(PyRef manager, Object errorInfo) {
    return new CallSpec(Op.EXIT, moduleOf(manager), "__exit__", CallOptions.defaults(), new Object[] {manager, errorInfo});
  }

  /** A generator function whose items are pushed: {@code module.generatorFunction(*args)}. */
  public static CallSpec stream(String module, String generatorFunction, Object... args) {
    Invocation inv = Invocation.of(args);
    requireName(module, "module");
    requireName(generatorFunction, "generatorFunction");
    return new CallSpec(Op.STREAM, module, generatorFunction, inv.options(),
        new Object[] {module, generatorFunction, inv.positional(), inv.keywords()});
  }

  /** The same call with other options (a batch's calls take the batch's timeout and pool). */
  public CallSpec withOptions(CallOptions other) {
    return new CallSpec(op, module, name, other, operands);
  }

  /** {@code module.name}, or the name alone: how messages and telemetry name the call. */
  public String context() {
    return module == null ? name : module + "." + name;
  }

  /** The wire code of the operation with its modifiers. */
  long opCode() {
    // Push streams encode their items themselves: the arrays option does not reach them.
    return options.isArraysAsNDArray() && op != Op.STREAM ? op.code() | Op.MODIFIER_ARRAYS : op.code();
  }

  private static String moduleOf(PyRef ref) {
    String type = Objects.requireNonNull(ref, "ref").typeName();
    int dot = type.lastIndexOf('.');
    return dot < 0 ? type : type.substring(0, dot);
  }

  private static String requireName(String name, String what) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(what + " name must not be blank");
    }
    if (!isDottedName(name)) {
      // Refused here, not by Python: nothing that is no name is sent to a worker.
      throw new IllegalArgumentException(what + " name must be a Python name or dotted path (letters, digits"
          + " and _, parts separated by dots, e.g. 'os.path'), got '" + name + "'");
    }
    return name;
  }

  /** {@code a.b_c.d1}: identifiers (as Python's, to a close approximation) separated by single dots. */
  private static boolean isDottedName(String name) {
    boolean partStart = true;
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      i += Character.charCount(c);
      if (c == '.') {
        if (partStart) {
          return false;
        }
        partStart = true;
      } else if (partStart ? c == '_' || Character.isLetter(c) : c == '_' || Character.isLetterOrDigit(c)) {
        partStart = false;
      } else {
        return false;
      }
    }
    return !partStart;
  }

  @Override
  public String toString() {
    return "CallSpec[" + op + " " + context() + "]";
  }
}
