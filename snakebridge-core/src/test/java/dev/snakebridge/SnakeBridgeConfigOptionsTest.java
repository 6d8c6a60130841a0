package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snakebridge.internal.config.ConfigOption;
import dev.snakebridge.internal.config.OptionTable;
import dev.snakebridge.internal.config.PoolOptions;
import dev.snakebridge.internal.config.RuntimeOptions;
import dev.snakebridge.internal.config.ValueType;
import java.io.IOException;
import java.io.Writer;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every option of the option tables: its property, its default, its toString entry, its error message. */
class SnakeBridgeConfigOptionsTest {
  /** Builder methods without an option of their own, and why. */
  private static final Map<String, String> NOT_IN_TABLE = Map.of(
      "build", "not an option",
      "addHelperPath", "appends to helperPaths, whose property lists every directory");

  /** Options whose property accepts any text, so no value is malformed. */
  private static final Set<String> ANY_TEXT = Set.of(
      "python", "helperPaths", "workerCacheDir", "environment", "largeBufferDirectory",
      // the profile named is checked by build(), after the table, once every profile is defined
      "libraryTimeoutProfile",
      "pool.python", "pool.environment");

  @TempDir Path dir;

  static Stream<ConfigOption<SnakeBridgeConfig, SnakeBridgeConfig.Builder, ?>> runtimeOptions() {
    return RuntimeOptions.TABLE.options().stream();
  }

  static Stream<ConfigOption<PoolConfig, PoolConfig.Builder, ?>> poolOptions() {
    return PoolOptions.TABLE.options().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimeOptions")
  void runtimeOptionRoundTripsThroughThePropertiesFile(ConfigOption<SnakeBridgeConfig, SnakeBridgeConfig.Builder, ?> option)
      throws IOException {
    SnakeBridgeConfig config = loadWithFile(example(RuntimeOptions.PREFIX, option, option.example()));
    assertTakesExample(option, config, SnakeBridgeConfig.defaults());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimeOptions")
  void runtimeOptionRoundTripsThroughASystemProperty(ConfigOption<SnakeBridgeConfig, SnakeBridgeConfig.Builder, ?> option) {
    SnakeBridgeConfig config = loadWithSystemProperties(example(RuntimeOptions.PREFIX, option, option.example()));
    assertTakesExample(option, config, SnakeBridgeConfig.defaults());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("poolOptions")
  void poolOptionRoundTripsThroughThePropertiesFile(ConfigOption<PoolConfig, PoolConfig.Builder, ?> option)
      throws IOException {
    SnakeBridgeConfig config = loadWithFile(example(PoolOptions.PREFIX + "gpu.workers.", option, option.example()));
    assertTakesExample(option, config.pools().get("gpu.workers"), PoolConfig.builder("gpu.workers").build());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("poolOptions")
  void poolOptionRoundTripsThroughASystemProperty(ConfigOption<PoolConfig, PoolConfig.Builder, ?> option) {
    SnakeBridgeConfig config = loadWithSystemProperties(example(PoolOptions.PREFIX + "io.", option, option.example()));
    assertTakesExample(option, config.pools().get("io"), PoolConfig.builder("io").build());
  }

  @Test
  void systemPropertiesOverrideTheFile() throws IOException {
    Properties file = new Properties();
    file.setProperty("snakebridge.poolSize", "3");
    file.setProperty("snakebridge.errorMode", "TRANSLATED");
    writeFile(file);
    Properties system = new Properties();
    system.setProperty("snakebridge.poolSize", "5");
    SnakeBridgeConfig config = withSystemProperties(system, () -> withFileLoader(SnakeBridgeConfig::load));
    assertThat(config.poolSize()).isEqualTo(5);
    assertThat(config.errorMode()).isEqualTo(ErrorMode.TRANSLATED);
  }

  @Test
  void theDefaultPoolSetByPropertiesStartsFromPoolSizeAndEnvironment() {
    Properties p = new Properties();
    p.setProperty("snakebridge.poolSize", "3");
    p.setProperty("snakebridge.environment.A", "1");
    p.setProperty("snakebridge.pool.default.profile", "THREAD");
    PoolConfig pool = SnakeBridgeConfig.fromProperties(p).pools().get("default");
    assertThat(pool.profile()).isEqualTo(WorkerProfile.THREAD);
    assertThat(pool.size()).isEqualTo(3);
    assertThat(pool.environment()).containsEntry("A", "1");
  }

  @Test
  void aPoolPropertyWithoutAKnownOptionIsRejected() {
    Properties p = new Properties();
    p.setProperty("snakebridge.pool.io.sise", "3");
    assertThatThrownBy(() -> SnakeBridgeConfig.fromProperties(p)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("snakebridge.pool.io.sise").hasMessageContaining("size");
  }

  @Test
  void builderDefaultsAreTheTablesDefaults() {
    SnakeBridgeConfig defaults = SnakeBridgeConfig.defaults();
    for (ConfigOption<SnakeBridgeConfig, SnakeBridgeConfig.Builder, ?> option : RuntimeOptions.TABLE.options()) {
      Object expected = option.defaultValueNow();
      // An unset option (null) is resolved by its getter, e.g. largeBufferDirectory to /dev/shm; the pool
      // map's default is empty in the builder and resolved to the default pool.
      if (expected != null && option != RuntimeOptions.POOLS) {
        assertThat((Object) option.getter().apply(defaults)).as(option.property()).isEqualTo(expected);
      }
    }
    PoolConfig pool = PoolConfig.builder("p").build();
    for (ConfigOption<PoolConfig, PoolConfig.Builder, ?> option : PoolOptions.TABLE.options()) {
      assertThat((Object) option.getter().apply(pool)).as(option.property()).isEqualTo(option.defaultValueNow());
    }
  }

  @Test
  void everyBuilderMethodHasAnOption() {
    assertCovered(SnakeBridgeConfig.Builder.class, RuntimeOptions.TABLE);
    assertCovered(PoolConfig.Builder.class, PoolOptions.TABLE);
  }

  @Test
  void toStringListsEveryOption() {
    Properties all = new Properties();
    RuntimeOptions.TABLE.options().forEach(o -> all.putAll(example(RuntimeOptions.PREFIX, o, o.example())));
    PoolOptions.TABLE.options().forEach(o -> all.putAll(example(PoolOptions.PREFIX + "io.", o, o.example())));
    String text = SnakeBridgeConfig.fromProperties(all).toString();
    for (ConfigOption<SnakeBridgeConfig, SnakeBridgeConfig.Builder, ?> option : RuntimeOptions.TABLE.options()) {
      assertThat(text).containsPattern("(\\[|, )" + option.property() + "=");
    }
    String pool = text.substring(text.indexOf("io["));
    for (ConfigOption<PoolConfig, PoolConfig.Builder, ?> option : PoolOptions.TABLE.options()) {
      assertThat(pool).containsPattern("(\\[|, )" + option.property() + "=");
    }
    assertThat(text).contains("poolSize=3", "callTimeout=PT7S", "spinMicros=0", "environment={OMP_NUM_THREADS=1}",
        "size=5", "profile=THREAD", "queueTimeout=PT1S");
  }

  @Test
  void toBuilderKeepsEveryOption() {
    Properties all = new Properties();
    RuntimeOptions.TABLE.options().forEach(o -> all.putAll(example(RuntimeOptions.PREFIX, o, o.example())));
    SnakeBridgeConfig config = SnakeBridgeConfig.fromProperties(all);
    assertThat(config.toBuilder().build().toString()).isEqualTo(config.toString())
        .isNotEqualTo(SnakeBridgeConfig.defaults().toString());
  }

  @Test
  void toStringOfTheDefaultsNamesUnsetOptions() {
    assertThat(SnakeBridgeConfig.defaults().toString()).contains("python=auto", "refTtl=never", "transport=SHARED_MEMORY");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runtimeOptions")
  void aMalformedRuntimePropertyIsNamedWithItsValue(ConfigOption<SnakeBridgeConfig, SnakeBridgeConfig.Builder, ?> option) {
    if (ANY_TEXT.contains(option.property())) {
      return;
    }
    Properties p = example(RuntimeOptions.PREFIX, option, malformed(option));
    String property = p.stringPropertyNames().iterator().next();
    assertThatThrownBy(() -> SnakeBridgeConfig.fromProperties(p)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(option == RuntimeOptions.POOLS ? "snakebridge.pool.io.size" : property)
        .hasMessageContaining("not-a-value!");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("poolOptions")
  void aMalformedPoolPropertyIsNamedWithItsValue(ConfigOption<PoolConfig, PoolConfig.Builder, ?> option) {
    if (ANY_TEXT.contains("pool." + option.property())) {
      return;
    }
    Properties p = example(PoolOptions.PREFIX + "io.", option, malformed(option));
    assertThatThrownBy(() -> SnakeBridgeConfig.fromProperties(p)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("snakebridge.pool.io." + option.property()).hasMessageContaining("not-a-value!");
  }

  @Test
  void aValueTheBuilderRejectsIsNamedWithItsProperty() {
    Properties p = new Properties();
    p.setProperty("snakebridge.ringBytes", "5000");
    assertThatThrownBy(() -> SnakeBridgeConfig.fromProperties(p)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("snakebridge.ringBytes=5000").hasMessageContaining("power of two");
  }

  private static String malformed(ConfigOption<?, ?, ?> option) {
    String example = option.example();
    return isKeyed(option) ? example.substring(0, example.indexOf('=') + 1) + "not-a-value!" : "not-a-value!";
  }

  private static boolean isKeyed(ConfigOption<?, ?, ?> option) {
    return option.type() instanceof ValueType.Keyed<?> || option == RuntimeOptions.POOLS;
  }

  /** The properties that set {@code option} to {@code value}; a keyed option's value is {@code KEY=text}. */
  private static Properties example(String prefix, ConfigOption<?, ?, ?> option, String value) {
    Properties p = new Properties();
    if (isKeyed(option)) {
      int eq = value.indexOf('=');
      p.setProperty(prefix + option.property() + "." + value.substring(0, eq), value.substring(eq + 1));
    } else {
      p.setProperty(prefix + option.property(), value);
    }
    return p;
  }

  /** The option's value in {@code config} is its example, read as the type reads it, and not the default. */
  private static <C, T> void assertTakesExample(ConfigOption<C, ?, T> option, C config, C defaults) {
    T actual = option.getter().apply(config);
    T unchanged = option.getter().apply(defaults);
    String example = option.example();
    if (option == (Object) RuntimeOptions.POOLS) {
      assertThat(((PoolConfig) ((Map<?, ?>) actual).get("io")).size()).isEqualTo(20);
    } else if (option.type() instanceof ValueType.Keyed<?> keyed) {
      int eq = example.indexOf('=');
      Object value = ((ValueType.Scalar<?>) keyed.values()).parser().apply(example.substring(eq + 1));
      String key = example.substring(0, eq);
      assertThat(((Map<?, ?>) actual).get(key)).as(option.property()).isEqualTo(value)
          .isNotEqualTo(((Map<?, ?>) unchanged).get(key));
    } else {
      Object expected = ((ValueType.Scalar<?>) option.type()).parser().apply(example);
      assertThat((Object) actual).as(option.property()).isEqualTo(expected).isNotEqualTo(unchanged);
    }
  }

  private static void assertCovered(Class<?> builder, OptionTable<?, ?> table) {
    Set<String> methods = Arrays.stream(builder.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.isSynthetic())
        .map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
    Set<String> inTable = table.options().stream().map(ConfigOption::builderMethod).collect(Collectors.toSet());
    Set<String> missing = new TreeSet<>(methods);
    missing.removeAll(inTable);
    missing.removeAll(NOT_IN_TABLE.keySet());
    assertThat(missing).as("public methods of " + builder.getName()
        + " with no option in the table (add one, or list them in NOT_IN_TABLE with the reason)").isEmpty();
    assertThat(methods).as("builder methods named by the table").containsAll(inTable);
  }

  private SnakeBridgeConfig loadWithFile(Properties properties) throws IOException {
    writeFile(properties);
    return withFileLoader(SnakeBridgeConfig::load);
  }

  private void writeFile(Properties properties) throws IOException {
    try (Writer out = Files.newBufferedWriter(dir.resolve("snakebridge.properties"))) {
      properties.store(out, null);
    }
  }

  /** Runs {@code body} with a context class loader that sees {@code dir}'s snakebridge.properties. */
  private <T> T withFileLoader(java.util.function.Supplier<T> body) {
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      thread.setContextClassLoader(loader);
      return body.get();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      thread.setContextClassLoader(before);
    }
  }

  /** load() with these system properties and no properties file. */
  private SnakeBridgeConfig loadWithSystemProperties(Properties properties) {
    return withSystemProperties(properties, () -> withFileLoader(SnakeBridgeConfig::load));
  }

  private static <T> T withSystemProperties(Properties properties, java.util.function.Supplier<T> body) {
    for (String name : properties.stringPropertyNames()) {
      assertThat(System.getProperty(name)).as("system property left over: " + name).isNull();
    }
    try {
      properties.stringPropertyNames().forEach(n -> System.setProperty(n, properties.getProperty(n)));
      return body.get();
    } finally {
      properties.stringPropertyNames().forEach(System::clearProperty);
    }
  }
}
