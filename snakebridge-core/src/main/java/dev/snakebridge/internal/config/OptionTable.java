package dev.snakebridge.internal.config;

import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The options of one configuration type, in the order they are applied, printed and documented, under a
 * common property prefix. Thread-safe (immutable).
 *
 * @param prefix put in front of each option's property ({@code snakebridge.})
 * @param options every option
 * @param <C> the configuration type
 * @param <B> its builder type
 */
public record OptionTable<C, B>(String prefix, List<ConfigOption<C, B, ?>> options) {

  public OptionTable {
    options = List.copyOf(options);
  }

  /**
   * Applies every option found in {@code properties} to {@code builder}; absent ones keep the builder's value.
   *
   * @throws IllegalArgumentException naming the first property whose value is malformed or rejected
   */
  public B apply(Properties properties, B builder) {
    for (ConfigOption<C, B, ?> option : options) {
      option.apply(properties, prefix, builder);
    }
    return builder;
  }

  /** {@code name[a=1, b=2, ...]} with every option, in property syntax. */
  public String describe(String name, C config) {
    return options.stream().map(o -> o.describe(config)).collect(Collectors.joining(", ", name + "[", "]"));
  }

  /** Rows of the Markdown table in docs/GUIDE.md: property, type, default, meaning. */
  public List<String> markdownRows() {
    return options.stream()
        .map(o -> "| `" + o.type().documentedName(prefix + o.property()) + "` | " + o.type().description() + " | "
            + o.defaultText() + " | " + o.doc() + " |")
        .toList();
  }
}
