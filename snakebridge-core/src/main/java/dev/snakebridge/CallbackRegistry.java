package dev.snakebridge;

/**
 * Java functions Python reaches by name, in the default runtime (a {@link SnakeBridgeRuntime} has the
 * same as {@code registerCallback}, {@code unregisterCallback} and {@code invokeCallback}):
 *
 * <pre>{@code
 * CallbackRegistry.register("progress", (Consumer<Object>) pct -> bar.set((Double) pct));
 * // Python: import snakebridge; snakebridge.invoke("progress", 0.5)
 * }</pre>
 *
 * <p>One callback may invoke another (Python calls Java calls Python calls Java …). A callback runs on a
 * library thread in the session of the Python call that invoked it. Thread-safe.
 */
public final class CallbackRegistry {
  private CallbackRegistry() {}

  /**
   * Registers {@code function} — a {@link PyCallable}, {@link java.util.function.Function}, {@link
   * java.util.function.BiFunction}, {@link java.util.function.Supplier}, {@link
   * java.util.function.Consumer} or {@link Runnable} — under {@code name}, replacing any earlier one.
   */
  public static void register(String name, Object function) {
    SnakeBridge.runtime().registerCallback(name, function);
  }

  /** Removes the callback; Python calls to it then raise {@code JavaException} saying it is not registered. */
  public static boolean unregister(String name) {
    return SnakeBridge.runtime().unregisterCallback(name);
  }

  /** Invokes the registered callback from Java, as Python would. */
  public static Object invoke(String name, Object... args) {
    return SnakeBridge.runtime().invokeCallback(name, args);
  }
}
