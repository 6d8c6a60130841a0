package dev.snakebridge.internal.config;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How one option's value is written in a properties file: how it is read, how it is printed back (so
 * that {@code toString} and the documented defaults use the property syntax), and how it is described
 * in the property table of docs/GUIDE.md. Thread-safe (immutable).
 *
 * @param <T> the value's Java type
 */
public sealed interface ValueType<T> permits ValueType.Scalar, ValueType.Keyed, PoolOptions.PoolsType {

  /** What the property accepts, for the documentation table and for error messages. */
  String description();

  /** The value in property syntax. */
  String format(T value);

  /**
   * The value of {@code property} in {@code properties}, or empty when it is absent or blank.
   *
   * @throws IllegalArgumentException naming the property and the text it could not read
   */
  Optional<T> read(Properties properties, String property);

  /** The property name as documented: {@code property} itself, or a pattern such as {@code x.<NAME>}. */
  default String documentedName(String property) {
    return property;
  }

  ValueType<String> TEXT = scalar("text", s -> s, s -> s);
  ValueType<Integer> INT = scalar("whole number", Integer::parseInt, String::valueOf);
  ValueType<Integer> INT_BYTES = scalar("whole number of bytes", Integer::parseInt, String::valueOf);
  ValueType<Long> LONG = scalar("whole number", Long::parseLong, String::valueOf);
  ValueType<Long> LONG_BYTES = scalar("whole number of bytes", Long::parseLong, String::valueOf);
  ValueType<Boolean> BOOLEAN = scalar("`true` or `false`", ValueType::parseBoolean, String::valueOf);
  ValueType<Duration> DURATION =
      scalar("duration: seconds, or ISO-8601 such as `PT30S`", ValueType::parseDuration, Duration::toString);
  // A Duration held as whole microseconds, because the property (snakebridge.spinMicros) predates the table.
  ValueType<Duration> MICROS = scalar("whole number of microseconds",
      s -> Duration.ofNanos(Math.multiplyExact(Long.parseLong(s), 1000L)), d -> String.valueOf(d.toNanos() / 1000));
  ValueType<Path> PATH = scalar("path", Path::of, Path::toString);
  ValueType<List<Path>> PATH_LIST = scalar(
      "paths separated by the platform's path separator (`:`, on Windows `;`)",
      s -> Arrays.stream(s.split(File.pathSeparator)).filter(p -> !p.isBlank()).map(p -> Path.of(p.strip())).toList(),
      l -> l.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
  ValueType<List<String>> NAME_LIST = scalar("names separated by `,`",
      s -> Arrays.stream(s.split(",")).map(String::strip).filter(p -> !p.isEmpty()).toList(),
      l -> String.join(",", l));
  ValueType<Optional<Duration>> DURATION_OR_NONE = scalar(
      "duration: seconds, or ISO-8601 such as `PT30S`; `none` for no timeout",
      s -> s.equalsIgnoreCase("none") ? Optional.empty() : Optional.of(parseDuration(s)),
      d -> d.map(Duration::toString).orElse("none"));

  /** An enum by constant name, case-insensitive. */
  static <E extends Enum<E>> ValueType<E> enumOf(Class<E> type) {
    String names = Arrays.stream(type.getEnumConstants()).map(e -> "`" + e.name() + "`")
        .collect(Collectors.joining(" or "));
    return scalar(names, s -> Enum.valueOf(type, s.toUpperCase(Locale.ROOT)), Enum::name);
  }

  /** One value per property {@code property.<KEY>}, collected into a map by key. */
  static <V> ValueType<Map<String, V>> keyed(String keyName, ValueType<V> values) {
    return new Keyed<>(keyName, (Scalar<V>) values);
  }

  private static <T> ValueType<T> scalar(String description, Function<String, T> parser, Function<T, String> formatter) {
    return new Scalar<>(description, parser, formatter);
  }

  private static boolean parseBoolean(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(s);
    };
  }

  private static Duration parseDuration(String s) {
    return s.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(s)) : Duration.parse(s);
  }

  /** A value written in one property; surrounding blanks are ignored, and a blank value counts as unset. */
  record Scalar<T>(String description, Function<String, T> parser, Function<T, String> formatter)
      implements ValueType<T> {
    @Override
    public String format(T value) {
      return formatter.apply(value);
    }

    @Override
    public Optional<T> read(Properties properties, String property) {
      String text = properties.getProperty(property);
      return text == null || text.isBlank() ? Optional.empty() : Optional.of(parse(property, text));
    }

    T parse(String property, String text) {
      try {
        return parser.apply(text.strip());
      } catch (RuntimeException e) {
        // The parsers' own messages (NumberFormatException: For input string...) do not say what is accepted.
        throw new IllegalArgumentException(
            property + ": expected " + description.replace("`", "") + ", got '" + text + "'", e);
      }
    }
  }

  /** Values written one per property under a common prefix: {@code snakebridge.environment.PATH=...}. */
  record Keyed<V>(String keyName, Scalar<V> values) implements ValueType<Map<String, V>> {
    @Override
    public String description() {
      return values.description() + ", one property per " + keyName;
    }

    @Override
    public String format(Map<String, V> value) {
      return value.entrySet().stream().map(e -> e.getKey() + "=" + values.format(e.getValue()))
          .collect(Collectors.joining(", ", "{", "}"));
    }

    @Override
    public Optional<Map<String, V>> read(Properties properties, String property) {
      String prefix = property + ".";
      // Sorted, so that the order entries are applied in does not depend on Properties' hashing.
      Map<String, V> found = new TreeMap<>();
      for (String name : properties.stringPropertyNames()) {
        if (name.startsWith(prefix) && name.length() > prefix.length()) {
          found.put(name.substring(prefix.length()), values.parse(name, properties.getProperty(name)));
        }
      }
      return found.isEmpty() ? Optional.empty() : Optional.of(found);
    }

    @Override
    public String documentedName(String property) {
      return property + ".<" + keyName + ">";
    }
  }
}
