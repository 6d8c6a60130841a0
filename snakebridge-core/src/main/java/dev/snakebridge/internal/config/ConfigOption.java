package dev.snakebridge.internal.config;

import java.util.Objects;
import java.util.Properties;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One configuration option: its property, the type its text is read as, its default, one line of
 * documentation, and how to get it from a built configuration and set it on a builder. Properties,
 * {@code toString}, builder defaults and the documented table are all derived from these records, so
 * they cannot drift apart. Thread-safe (immutable).
 *
 * @param property the property name after the table's prefix ({@code poolSize} for {@code snakebridge.poolSize})
 * @param builderMethod the builder method the option stands for
 * @param type how the property's text is read and printed
 * @param defaultValue the default; may supply {@code null} for "unset"
 * @param defaultText the default as documented, and as printed when the value is unset
 * @param doc one line: what the option does
 * @param example a valid value that differs from the default (for a keyed option, {@code KEY=value})
 * @param getter reads the value from a built configuration
 * @param setter applies a value to a builder (whose validation applies)
 * @param <C> the configuration type
 * @param <B> its builder type
 * @param <T> the value type
 */
public record ConfigOption<C, B, T>(
    String property,
    String builderMethod,
    ValueType<T> type,
    Supplier<T> defaultValue,
    String defaultText,
    String doc,
    String example,
    Function<C, T> getter,
    BiConsumer<B, T> setter) {

  public ConfigOption {
    Objects.requireNonNull(property, "property");
    Objects.requireNonNull(builderMethod, "builderMethod");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(defaultText, "defaultText");
    Objects.requireNonNull(doc, "doc");
    Objects.requireNonNull(example, "example");
    Objects.requireNonNull(getter, "getter");
    Objects.requireNonNull(setter, "setter");
  }

  /** An option whose documented default is its default value in property syntax. */
  public static <C, B, T> ConfigOption<C, B, T> of(String property, String builderMethod, ValueType<T> type, T defaultValue,
      String doc, String example, Function<C, T> getter, BiConsumer<B, T> setter) {
    return new ConfigOption<>(property, builderMethod, type, () -> defaultValue,
        defaultValue == null || type.format(defaultValue).isEmpty() ? "none" : type.format(defaultValue), doc, example,
        getter, setter);
  }

  /** The default value. */
  public T defaultValueNow() {
    return defaultValue.get();
  }

  /**
   * Sets this option on {@code builder} from {@code properties}, if the property (with {@code prefix}) is
   * there.
   *
   * @throws IllegalArgumentException naming the property and its value when it cannot be read or the
   *     builder rejects it
   */
  public void apply(Properties properties, String prefix, B builder) {
    String name = prefix + property;
    type.read(properties, name).ifPresent(value -> {
      try {
        setter.accept(builder, value);
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException(
            type.documentedName(name) + "=" + type.format(value) + " is not accepted: " + e.getMessage(), e);
      }
    });
  }

  /** {@code property=value} for {@code toString}, in property syntax. */
  public String describe(C config) {
    T value = getter.apply(config);
    return property + "=" + (value == null ? defaultText : type.format(value));
  }
}
