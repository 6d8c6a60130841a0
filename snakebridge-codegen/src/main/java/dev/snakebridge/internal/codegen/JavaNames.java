package dev.snakebridge.internal.codegen;

import java.util.Locale;
import java.util.Set;

/**
 * The fixed rules that turn Python names into Java names (docs/CODEGEN.md, "Names"):
 *
 * <ul>
 *   <li>classes: PascalCase of each {@code _}-separated part, leading underscores kept
 *       ({@code ndarray} → {@code Ndarray}, {@code function_base} → {@code FunctionBase}, {@code _core} →
 *       {@code _Core});
 *   <li>members: camelCase ({@code shortest_path} → {@code shortestPath}); names in UPPER_CASE stay as they
 *       are ({@code NAN}, {@code MAX_INT});
 *   <li>packages: the module's parts as they are;
 *   <li>a Java keyword, literal or restricted identifier gets a trailing underscore ({@code class} →
 *       {@code class_}, {@code char} → {@code char_}); so does a name that clashes.
 * </ul>
 *
 * Stateless and thread-safe.
 */
public final class JavaNames {
  private static final Set<String> KEYWORDS = Set.of(
      "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue",
      "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if",
      "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
      "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
      "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false", "null", "_", "var",
      "yield", "record", "sealed", "permits", "non-sealed", "exports", "module", "requires", "when");

  private JavaNames() {}

  /** Whether {@code name} needs escaping to be a Java identifier of our choosing. */
  public static boolean isReserved(String name) {
    return KEYWORDS.contains(name);
  }

  /** {@code name}, with a trailing underscore when it is a Java keyword or restricted identifier. */
  public static String escape(String name) {
    String clean = identifier(name);
    return KEYWORDS.contains(clean) ? clean + "_" : clean;
  }

  /** A Java package part for a Python module part. */
  public static String packagePart(String part) {
    return escape(part);
  }

  /** PascalCase: {@code ndarray} → {@code Ndarray}, {@code function_base} → {@code FunctionBase}. */
  public static String pascal(String name) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < name.length() && name.charAt(i) == '_') {
      out.append('_');
      i++;
    }
    boolean upper = true;
    for (; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '_') {
        upper = true;
        continue;
      }
      out.append(upper ? Character.toUpperCase(c) : c);
      upper = false;
    }
    if (out.isEmpty() || out.chars().allMatch(c -> c == '_')) {
      out.append("Py");
    }
    return escape(out.toString());
  }

  /**
   * camelCase for members: {@code shortest_path} → {@code shortestPath}, {@code DataFrame} →
   * {@code dataFrame}; UPPER_CASE names are kept.
   */
  public static String camel(String name) {
    if (isUpperCase(name)) {
      return escape(name);
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < name.length() && name.charAt(i) == '_') {
      out.append('_');
      i++;
    }
    boolean first = true;
    boolean upper = false;
    for (; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '_') {
        upper = !first;
        continue;
      }
      if (first) {
        out.append(Character.toLowerCase(c));
        first = false;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
      }
      upper = false;
    }
    if (first) {
      out.append("py");
    }
    return escape(out.toString());
  }

  private static boolean isUpperCase(String name) {
    boolean letter = false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isLowerCase(c)) {
        return false;
      }
      letter |= Character.isUpperCase(c);
    }
    return letter && name.length() > 1 || name.length() == 1 && letter;
  }

  /** Replaces characters Java does not allow in identifiers (Python allows a few more). */
  private static String identifier(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = i == 0 ? Character.isJavaIdentifierStart(c) : Character.isJavaIdentifierPart(c);
      out.append(ok ? c : '_');
    }
    if (out.isEmpty()) {
      return "py";
    }
    return out.toString();
  }

  /** The lower-case key used to detect names that clash on case-insensitive file systems. */
  public static String fileKey(String simpleName) {
    return simpleName.toLowerCase(Locale.ROOT);
  }
}
