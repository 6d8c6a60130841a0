package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins the public API: every public or protected type, field, constructor and method of the exported
 * package {@code dev.snakebridge}, nested types included, must be listed in {@code api/snakebridge-core.api}.
 * A change to the API is then a change to that file, visible in review. After an intended change, rewrite
 * it with {@code ./mvnw -pl snakebridge-core test -Dtest=PublicApiTest -Dsnakebridge.api.update=true}.
 *
 * <p>The listing is built from reflection with its own type printer (not {@code Type.getTypeName()},
 * whose output for nested generic types has changed between JDKs), so it is the same on every JDK.
 */
class PublicApiTest {
  private static final Path API_FILE = Path.of("api", "snakebridge-core.api");
  private static final String PACKAGE = "dev.snakebridge";
  private static final int MEMBER_MODIFIERS =
      Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC | Modifier.FINAL | Modifier.ABSTRACT;

  @Test
  void publicApiMatchesTheSignatureFile() throws Exception {
    List<String> actual = listing();
    if (Boolean.getBoolean("snakebridge.api.update")) {
      Files.createDirectories(API_FILE.getParent());
      Files.write(API_FILE, actual);
      return;
    }
    if (!Files.exists(API_FILE)) {
      fail(API_FILE.toAbsolutePath() + " is missing; create it with " + updateCommand());
    }
    List<String> expected = Files.readAllLines(API_FILE);
    if (!actual.equals(expected)) {
      Set<String> added = new TreeSet<>(actual);
      expected.forEach(added::remove);
      Set<String> removed = new TreeSet<>(expected);
      actual.forEach(removed::remove);
      fail("The public API of " + PACKAGE + " differs from " + API_FILE + ":\n"
          + Stream.concat(removed.stream().map(l -> "- " + l), added.stream().map(l -> "+ " + l))
              .collect(Collectors.joining("\n"))
          + "\nIf the change is intended, rewrite the file with " + updateCommand() + " and commit it.");
    }
  }

  @Test
  void listingCoversNestedTypesAndSkipsInternals() throws Exception {
    List<String> lines = listing();
    assertThat(lines).anyMatch(l -> l.startsWith("dev.snakebridge.SnakeBridgeConfig$Builder#poolSize(int) : "));
    assertThat(lines).anyMatch(l -> l.startsWith("dev.snakebridge.Transport#values() : "));
    assertThat(lines).noneMatch(l -> l.contains(".internal.") && l.startsWith("dev.snakebridge.internal"));
    assertThat(lines).noneMatch(l -> l.contains("lambda$"));
    assertThat(lines).isSorted().doesNotHaveDuplicates();
  }

  private static String updateCommand() {
    return "./mvnw -pl snakebridge-core test -Dtest=PublicApiTest -Dsnakebridge.api.update=true";
  }

  /** One sorted line per public type and member of the package. */
  static List<String> listing() throws IOException, URISyntaxException, ClassNotFoundException {
    Path classes = Path.of(SnakeBridge.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .resolve(PACKAGE.replace('.', '/'));
    List<String> names;
    try (Stream<Path> files = Files.list(classes)) {
      names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class"))
          .map(n -> PACKAGE + "." + n.substring(0, n.length() - ".class".length())).toList();
    }
    TreeSet<String> lines = new TreeSet<>();
    for (String name : names) {
      Class<?> type = Class.forName(name, false, PublicApiTest.class.getClassLoader());
      if (exposed(type)) {
        describe(type, lines);
      }
    }
    return new ArrayList<>(lines);
  }

  /** Visible outside the package: public, and if nested, public or protected inside an exposed type. */
  private static boolean exposed(Class<?> type) {
    if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()) {
      return false;
    }
    int m = type.getModifiers();
    Class<?> outer = type.getDeclaringClass();
    return outer == null ? Modifier.isPublic(m) : (Modifier.isPublic(m) || Modifier.isProtected(m)) && exposed(outer);
  }

  private static void describe(Class<?> type, Set<String> lines) {
    String owner = type.getName();
    lines.add(owner + " : " + typeHeader(type));
    for (Field f : type.getDeclaredFields()) {
      if (visible(f.getModifiers()) && !f.isSynthetic()) {
        lines.add(owner + "#" + f.getName() + " : " + modifiers(f.getModifiers()) + type(f.getGenericType()));
      }
    }
    for (Constructor<?> c : type.getDeclaredConstructors()) {
      if (visible(c.getModifiers()) && !c.isSynthetic()) {
        lines.add(owner + "#<init>" + parameters(c) + " : " + modifiers(c.getModifiers()).strip() + throwsClause(c));
      }
    }
    for (Method m : type.getDeclaredMethods()) {
      if (visible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
        lines.add(owner + "#" + m.getName() + parameters(m) + " : " + (m.isDefault() ? "default " : "")
            + modifiers(m.getModifiers()) + typeParameters(m.getTypeParameters()) + type(m.getGenericReturnType())
            + throwsClause(m));
      }
    }
  }

  private static String typeHeader(Class<?> type) {
    int m = type.getModifiers();
    String kind;
    if (type.isAnnotation()) {
      kind = "@interface";
      m &= ~(Modifier.ABSTRACT | Modifier.INTERFACE);
    } else if (type.isInterface()) {
      kind = "interface";
      m &= ~(Modifier.ABSTRACT | Modifier.INTERFACE);
    } else if (type.isEnum()) {
      kind = "enum";
    } else if (type.isRecord()) {
      kind = "record";
    } else {
      kind = "class";
    }
    StringBuilder s = new StringBuilder(modifiers(m)).append(type.isSealed() ? "sealed " : "").append(kind)
        .append(typeParameters(type.getTypeParameters()).stripTrailing());
    Type superclass = type.getGenericSuperclass();
    if (superclass != null && !List.of(Object.class, Enum.class, Record.class).contains(raw(superclass))) {
      s.append(" extends ").append(type(superclass));
    }
    Type[] interfaces = type.getGenericInterfaces();
    if (interfaces.length > 0) {
      s.append(type.isInterface() ? " extends " : " implements ")
          .append(Arrays.stream(interfaces).map(PublicApiTest::type).sorted().collect(Collectors.joining(", ")));
    }
    if (type.isSealed()) {
      s.append(" permits ").append(Arrays.stream(type.getPermittedSubclasses()).map(Class::getName).sorted()
          .collect(Collectors.joining(", ")));
    }
    return s.toString();
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static String modifiers(int modifiers) {
    String text = Modifier.toString(modifiers & MEMBER_MODIFIERS);
    return text.isEmpty() ? "" : text + " ";
  }

  private static String parameters(Executable e) {
    Type[] types = e.getGenericParameterTypes();
    // Inner-class constructors and enum constructors may report fewer generic than raw parameters.
    if (types.length != e.getParameterCount()) {
      types = e.getParameterTypes();
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < types.length; i++) {
      String t = type(types[i]);
      names.add(e.isVarArgs() && i == types.length - 1 ? t.substring(0, t.length() - 2) + "..." : t);
    }
    return "(" + String.join(", ", names) + ")";
  }

  private static String throwsClause(Executable e) {
    Type[] thrown = e.getGenericExceptionTypes();
    return thrown.length == 0 ? ""
        : " throws " + Arrays.stream(thrown).map(PublicApiTest::type).sorted().collect(Collectors.joining(", "));
  }

  private static String typeParameters(TypeVariable<?>[] variables) {
    if (variables.length == 0) {
      return "";
    }
    return Arrays.stream(variables).map(v -> {
      List<Type> bounds = Arrays.stream(v.getBounds()).filter(b -> b != Object.class).toList();
      return bounds.isEmpty() ? v.getName()
          : v.getName() + " extends " + bounds.stream().map(PublicApiTest::type).collect(Collectors.joining(" & "));
    }).collect(Collectors.joining(", ", "<", "> "));
  }

  private static Class<?> raw(Type t) {
    return t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : t instanceof Class<?> c ? c : null;
  }

  /** A type as written in source, with binary names for nested classes ({@code Outer$Inner}). */
  private static String type(Type t) {
    if (t instanceof Class<?> c) {
      return c.isArray() ? type(c.getComponentType()) + "[]" : c.getName();
    }
    if (t instanceof ParameterizedType p) {
      return type(p.getRawType()) + Arrays.stream(p.getActualTypeArguments()).map(PublicApiTest::type)
          .collect(Collectors.joining(", ", "<", ">"));
    }
    if (t instanceof GenericArrayType a) {
      return type(a.getGenericComponentType()) + "[]";
    }
    if (t instanceof WildcardType w) {
      if (w.getLowerBounds().length > 0) {
        return "? super " + type(w.getLowerBounds()[0]);
      }
      Type upper = w.getUpperBounds()[0];
      return upper == Object.class ? "?" : "? extends " + type(upper);
    }
    if (t instanceof TypeVariable<?> v) {
      return v.getName();
    }
    throw new IllegalArgumentException("unknown kind of type: " + t);
  }
}
