package dev.snakebridge.internal.callback;

import dev.snakebridge.PyCallable;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/** Calls a Java function of any supported shape with Python's positional and keyword arguments. */
public final class CallbackInvoker {
  private CallbackInvoker() {}

  static boolean isCallable(Object value) {
    return value instanceof PyCallable || isFunctional(value);
  }

  /**
   * Whether {@code value} is a lambda or method reference of a supported shape. Only those cross
   * implicitly: a {@code Thread} or {@code FutureTask} also implements {@link Runnable}, but passing one
   * means passing an object, not a function, and fails as any unmapped value does.
   */
  static boolean isLambda(Object value) {
    return value instanceof PyCallable
        || (isFunctional(value) && (value.getClass().isHidden() || value.getClass().isSynthetic()));
  }

  private static boolean isFunctional(Object value) {
    return value instanceof Function<?, ?> || value instanceof Function<?, ?> || value instanceof BiFunction<?, ?, ?>
        || value instanceof Supplier<?> || value instanceof Consumer<?> || value instanceof Runnable;
  }

  /**
   * Invokes {@code function}.
   *
   * @throws IllegalArgumentException when the arguments do not fit its shape
   */
  @SuppressWarnings("unchecked")
  public static Object invoke(Object function, List<Object> args, Map<String, Object> kwargs) throws Exception {
    if (function instanceof PyCallable c) {
      return c.call(args, kwargs);
    }
    if (!kwargs.isEmpty()) {
      throw new IllegalArgumentException(function.getClass().getName()
          + " takes no keyword arguments (got " + kwargs.keySet() + "); use a PyCallable for keywords");
    }
    return switch (function) {
      case Function<?, ?> f -> ((Function<Object, Object>) f).apply(only(args, 1, "Function")[0]);
      case BiFunction<?, ?, ?> f -> {
        Object[] a = only(args, 2, "BiFunction");
        yield ((BiFunction<Object, Object, Object>) f).apply(a[0], a[1]);
      }
      case Supplier<?> f -> {
        only(args, 0, "Supplier");
        yield f.get();
      }
      case Consumer<?> f -> {
        ((Consumer<Object>) f).accept(only(args, 1, "Consumer")[0]);
        yield null;
      }
      case Runnable r -> {
        only(args, 0, "Runnable");
        r.run();
        yield null;
      }
      default -> throw new IllegalArgumentException("not a callback: " + function.getClass().getName());
    };
  }

  private static Object[] only(List<Object> args, int n, String shape) {
    if (args.size() != n) {
      throw new IllegalArgumentException("a Java " + shape + " callback takes " + n + " positional argument"
          + (n == 1 ? "" : "s") + ", got " + args.size());
    }
    return args.toArray();
  }
}
