package dev.snakebridge;

import java.util.List;
import java.util.Map;

/**
 * A Java function Python can call with positional and keyword arguments. Pass one (or any {@link
 * java.util.function.Function}, {@link java.util.function.BiFunction}, {@link
 * java.util.function.Supplier}, {@link java.util.function.Consumer} or {@link Runnable}) as an argument
 * and it arrives in Python as a callable:
 *
 * <pre>{@code
 * PyCallable scale = (args, kwargs) -> ((Number) args.get(0)).doubleValue() * (Double) kwargs.getOrDefault("by", 2.0);
 * SnakeBridge.call("builtins", "list", SnakeBridge.call("builtins", "map", scale, List.of(1, 2, 3)));
 * }</pre>
 *
 * <p>It runs on a library thread, in the session of the Python call that invoked it; its own SnakeBridge
 * calls go to the same worker. An exception it throws reaches Python as {@code snakebridge.JavaException}.
 */
@FunctionalInterface
public interface PyCallable {
  /**
   * Runs the callback.
   *
   * @param args the positional arguments, converted as results are (docs/TYPES.md)
   * @param kwargs the keyword arguments, in the order Python passed them
   * @return the value to return to Python (converted as arguments are)
   * @throws Exception anything; it becomes {@code snakebridge.JavaException} in Python
   */
  Object call(List<Object> args, Map<String, Object> kwargs) throws Exception;
}
