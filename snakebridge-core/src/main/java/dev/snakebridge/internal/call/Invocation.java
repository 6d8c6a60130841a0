package dev.snakebridge.internal.call;

import dev.snakebridge.CallOptions;
import dev.snakebridge.Kwargs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A call's arguments split into positional ones, keyword arguments and options. {@link Kwargs} and
 * {@link CallOptions} are recognised by type at the end of the argument list; a {@link Map} is always a
 * positional dict.
 */
public record Invocation(List<Object> positional, Map<String, Object> keywords, CallOptions options) {
  public static Invocation of(Object[] args) {
    if (args == null) {
      // call("m", "f", null) passes a null array: the caller meant one None argument.
      return new Invocation(java.util.Collections.singletonList(null), Map.of(), CallOptions.defaults());
    }
    int end = args.length;
    Kwargs kwargs = null;
    CallOptions options = null;
    while (end > 0) {
      Object last = args[end - 1];
      if (last instanceof Kwargs k && kwargs == null) {
        kwargs = k;
      } else if (last instanceof CallOptions o && options == null) {
        options = o;
      } else {
        break;
      }
      end--;
    }
    List<Object> positional = end == args.length ? Arrays.asList(args) : new ArrayList<>(Arrays.asList(args).subList(0, end));
    return new Invocation(
        positional,
        kwargs == null ? Map.of() : kwargs.asMap(),
        options == null ? CallOptions.defaults() : options);
  }
}
