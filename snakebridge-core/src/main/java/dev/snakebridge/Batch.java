package dev.snakebridge;

import dev.snakebridge.internal.protocol.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Several calls sent to one worker in a single round trip, run there one after the other, in order:
 *
 * <pre>{@code
 * List<Result> results = SnakeBridge.batch()
 *     .call("math", "sqrt", 16)
 *     .call("math", "log", -1)                  // fails alone: ValueError
 *     .method(counter, "most_common", 1)
 *     .execute();
 * results.get(0).getOrThrow();                  // 4.0
 * results.get(1) instanceof Result.Err          // true; the other calls ran
 * }</pre>
 *
 * <p>{@link #execute()} returns one {@link Result} per call, in the order they were added; a call that
 * fails (a Python exception, an argument that cannot be encoded, a ref that is gone) is a {@link
 * Result.Err} and does not stop the calls after it. When the round trip itself fails (the worker dies,
 * the batch times out), every call not answered is a {@code Result.Err} with that exception. A call
 * cannot use the result of an earlier call of the same batch (its refs do not exist yet when the batch
 * is encoded); use a helper function for that.
 *
 * <p>The batch runs in the session current in the thread that calls {@link #execute()} (or the batch's
 * session, for {@link Session#batch()}), on the worker that holds the refs its calls pass (all of them
 * must live in the same worker), else on the session's worker. {@link #options(CallOptions)} sets the
 * timeout and pool of the whole round trip; a trailing {@link CallOptions} of one call only counts for
 * {@link CallOptions#arraysAsNDArray()}. Trailing {@link Kwargs} work as in {@link SnakeBridge#call}.
 *
 * <p>Not thread-safe: build and execute a batch in one thread. It can be executed again (the calls run
 * again).
 */
public final class Batch {
  /** One call of a batch, as added. */
  record Call(Op op, String module, String name, CallOptions options, Object[] operands) {}

  private final SnakeBridgeRuntime runtime;
  private final String session;
  private final List<Call> calls = new ArrayList<>();
  private CallOptions options = CallOptions.defaults();

  Batch(SnakeBridgeRuntime runtime, String session) {
    this.runtime = runtime;
    this.session = session;
  }

  /** Adds {@code module.function(*args, **kwargs)}, as {@link SnakeBridge#call(String, String, Object...)}. */
  public Batch call(String module, String function, Object... args) {
    Invocation inv = Invocation.of(args);
    calls.add(new Call(Op.CALL, name(module, "module"), name(function, "function"), inv.options(),
        new Object[] {module, function, inv.positional(), inv.keywords()}));
    return this;
  }

  /** Adds a call of a helper module's function, {@code "module.function"}, as {@link SnakeBridge#callHelper}. */
  public Batch callHelper(String dottedName, Object... args) {
    int dot = Objects.requireNonNull(dottedName, "dottedName").lastIndexOf('.');
    if (dot <= 0 || dot == dottedName.length() - 1) {
      throw new IllegalArgumentException("helper name must be 'module.function', got '" + dottedName + "'");
    }
    return call(dottedName.substring(0, dot), dottedName.substring(dot + 1), args);
  }

  /** Adds {@code module.name}, as {@link SnakeBridge#get}. */
  public Batch get(String module, String name) {
    calls.add(new Call(Op.GET, name(module, "module"), name(name, "name"), CallOptions.defaults(),
        new Object[] {module, name}));
    return this;
  }

  /** Adds {@code ref.name(*args, **kwargs)}, as {@link PyRef#call}. */
  public Batch method(PyRef ref, String name, Object... args) {
    Objects.requireNonNull(ref, "ref");
    Invocation inv = Invocation.of(args);
    calls.add(new Call(Op.METHOD, null, name(name, "method"), inv.options(),
        new Object[] {ref, name, inv.positional(), inv.keywords()}));
    return this;
  }

  /** Adds {@code ref(*args, **kwargs)}, as {@link PyRef#invoke}. */
  public Batch invoke(PyRef ref, Object... args) {
    Objects.requireNonNull(ref, "ref");
    Invocation inv = Invocation.of(args);
    calls.add(new Call(Op.CALL_REF, null, "__call__", inv.options(), new Object[] {ref, inv.positional(), inv.keywords()}));
    return this;
  }

  /** Adds {@code ref.name}, as {@link PyRef#attr}. */
  public Batch attr(PyRef ref, String name) {
    Objects.requireNonNull(ref, "ref");
    calls.add(new Call(Op.ATTR, null, name(name, "attribute"), CallOptions.defaults(), new Object[] {ref, name}));
    return this;
  }

  /** The timeout and pool of the whole round trip (default: the configuration's). */
  public Batch options(CallOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    return this;
  }

  /** The number of calls added. */
  public int size() {
    return calls.size();
  }

  /**
   * Sends every call in one request and waits for all of them; an empty batch sends nothing.
   *
   * @return one result per call, in order; never throws for a failed call or round trip
   */
  public List<Result> execute() {
    List<Call> snapshot = List.copyOf(calls);
    return session == null
        ? runtime.executeBatch(snapshot, options)
        : runtime.withSession(session, () -> runtime.executeBatch(snapshot, options));
  }

  private static String name(String name, String what) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(what + " name must not be blank");
    }
    return name;
  }

  @Override
  public String toString() {
    return "Batch[" + calls.size() + " calls" + (session == null ? "" : ", session " + session) + "]";
  }
}
