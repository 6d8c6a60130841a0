package dev.snakebridge.wrappers;

import dev.snakebridge.CallOptions;
import dev.snakebridge.Session;
import dev.snakebridge.SnakeBridge;
import dev.snakebridge.SnakeBridgeRuntime;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * Where the calls of a generated view go: a runtime (else the default runtime behind {@link SnakeBridge}),
 * a session (else the calling thread's current session) and call options (else none). A handle plus bound
 * parameters: every call is an ordinary {@code call}/{@code get} of the runtime or session, with the
 * options appended as the trailing {@link CallOptions}.
 *
 * <pre>{@code
 * Numpy.using(runtime).using(CallOptions.defaults().timeout(Duration.ofSeconds(2))).array(List.of(1, 2));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class PyCaller {
  private static final PyCaller DEFAULTS = new PyCaller(null, null, null);
  private final SnakeBridgeRuntime runtime;
  private final Session session;
  private final CallOptions options;

  private PyCaller(SnakeBridgeRuntime runtime, Session session, CallOptions options) {
    this.runtime = runtime;
    this.session = session;
    this.options = options;
  }

  /**
   * The default route: the static facade's runtime and the current session, no options.
   *
   * @return the default caller
   */
  public static PyCaller defaults() {
    return DEFAULTS;
  }

  /**
   * This route on {@code runtime}, in that runtime's current session (a session bound earlier is dropped:
   * it belongs to another runtime's sessions).
   *
   * @param runtime a runtime the program created
   * @return the new caller
   */
  public PyCaller using(SnakeBridgeRuntime runtime) {
    return new PyCaller(Objects.requireNonNull(runtime, "runtime"), null, options);
  }

  /**
   * This route in {@code session} (of whichever runtime made it).
   *
   * @param session an explicit session
   * @return the new caller
   */
  public PyCaller using(Session session) {
    return new PyCaller(runtime, Objects.requireNonNull(session, "session"), options);
  }

  /**
   * This route with {@code options} on every call (timeout, pool, affinity, {@code arraysAsNDArray});
   * replaces options bound before.
   *
   * @param options the call options
   * @return the new caller
   */
  public PyCaller using(CallOptions options) {
    return new PyCaller(runtime, session, Objects.requireNonNull(options, "options"));
  }

  /**
   * Calls {@code module.attribute(*args)}; {@code attribute} may be dotted ({@code Class.method}).
   *
   * @param module the Python module
   * @param attribute the callable's name in it
   * @param args the arguments; a trailing {@link dev.snakebridge.Kwargs} gives keyword arguments
   * @return the result
   */
  public Object call(String module, String attribute, Object... args) {
    Object[] all = withOptions(args);
    if (session != null) {
      return session.call(module, attribute, all);
    }
    return runtime != null ? runtime.call(module, attribute, all) : SnakeBridge.call(module, attribute, all);
  }

  /**
   * Reads the module attribute {@code module.name}.
   *
   * @param module the Python module
   * @param name the attribute
   * @return its value
   */
  public Object get(String module, String name) {
    if (session != null) {
      return session.get(module, name);
    }
    return runtime != null ? runtime.get(module, name) : SnakeBridge.get(module, name);
  }

  /**
   * Runs the generator {@code module.function(*args)} and pushes each item to {@code consumer}.
   *
   * @return how many items the generator yielded
   * @throws UnsupportedOperationException on a caller bound to a {@link Session}: streams run in the
   *     runtime's current session ({@code runtime.withSession(id, ...)})
   */
  public long pushEach(Consumer<Object> consumer, String module, String function, Object... args) {
    Object[] all = withOptions(args);
    requireNoSession();
    return runtime != null ? runtime.pushEach(consumer, module, function, all)
        : SnakeBridge.pushEach(consumer, module, function, all);
  }

  /**
   * The generator {@code module.function(*args)} as a publisher of its items.
   *
   * @return the publisher
   * @throws UnsupportedOperationException on a caller bound to a {@link Session} (see {@link #pushEach})
   */
  public Flow.Publisher<Object> push(String module, String function, Object... args) {
    Object[] all = withOptions(args);
    requireNoSession();
    return runtime != null ? runtime.push(module, function, all) : SnakeBridge.push(module, function, all);
  }

  private void requireNoSession() {
    if (session != null) {
      throw new UnsupportedOperationException("streaming calls run in a runtime's current session, not through a"
          + " Session view: use runtime.withSession(\"" + session.id() + "\", ...) with using(runtime)");
    }
  }

  private Object[] withOptions(Object[] args) {
    if (options == null) {
      return args;
    }
    Object[] all = Arrays.copyOf(args, args.length + 1);
    all[args.length] = options;
    return all;
  }

  @Override
  public String toString() {
    return "PyCaller[runtime=" + (runtime == null ? "default" : runtime) + ", session="
        + (session == null ? "current" : session.id()) + ", options=" + (options == null ? "none" : options) + "]";
  }
}
