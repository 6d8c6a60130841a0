package dev.snakebridge;

import dev.snakebridge.internal.call.CallEngine;
import dev.snakebridge.internal.call.CallSpec;

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
  private final CallEngine engine;
  private final String session;
  private final List<CallSpec> calls = new ArrayList<>();
  private CallOptions options = CallOptions.defaults();

  Batch(CallEngine engine, String session) {
    this.engine = engine;
    this.session = session;
  }

  /** Adds {@code module.function(*args, **kwargs)}, as {@link SnakeBridge#call(String, String, Object...)}. */
  public Batch call(String module, String function, Object... args) {
    return add(CallSpec.call(module, function, args));
  }

  /** Adds a call of a helper module's function, {@code "module.function"}, as {@link SnakeBridge#callHelper}. */
  public Batch callHelper(String dottedName, Object... args) {
    return add(CallSpec.helper(dottedName, args));
  }

  /** Adds {@code module.name}, as {@link SnakeBridge#get}. */
  public Batch get(String module, String name) {
    return add(CallSpec.get(module, name));
  }

  /** Adds {@code ref.name(*args, **kwargs)}, as {@link PyRef#call}. */
  public Batch method(PyRef ref, String name, Object... args) {
    return add(CallSpec.method(ref, name, args));
  }

  /** Adds {@code ref(*args, **kwargs)}, as {@link PyRef#invoke}. */
  public Batch invoke(PyRef ref, Object... args) {
    return add(CallSpec.invoke(ref, args));
  }

  /** Adds {@code ref.name}, as {@link PyRef#attr}. */
  public Batch attr(PyRef ref, String name) {
    return add(CallSpec.attr(ref, name));
  }

  private Batch add(CallSpec call) {
    calls.add(call);
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
    var in = session == null ? engine.sessions().current() : engine.sessions().named(session);
    return engine.batch(in, List.copyOf(calls), options);
  }

  @Override
  public String toString() {
    return "Batch[" + calls.size() + " calls" + (session == null ? "" : ", session " + session) + "]";
  }
}
