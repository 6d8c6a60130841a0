package dev.snakebridge.internal.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.WildcardTypeName;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Maps Python annotations and numpydoc types to Java types where the mapping is certain, else
 * {@code Object}: {@code int} → {@code long}, {@code float} → {@code double}, {@code str} → {@code String},
 * {@code bool} → {@code boolean}, {@code bytes} → {@code byte[]}, {@code list} → {@code List}, {@code dict}
 * → {@code Map}; {@code X | None} and {@code Optional[X]} of these stay as {@code Object}. Parameters take
 * primitives (so that {@code 5} and {@code true} work as arguments); results are boxed (so that Python's
 * {@code None} is {@code null}). A result annotated with a class the model generates becomes its wrapper.
 * Stateless and thread-safe.
 */
final class TypeMapper {
  static final ClassName OBJECT = ClassName.get(Object.class);
  static final ClassName STRING = ClassName.get(String.class);
  private static final ClassName LIST = ClassName.get(List.class);
  private static final ClassName MAP = ClassName.get(Map.class);
  private static final Pattern DOC_TYPE = Pattern.compile("^(int|float|str|bool)(\\s*,\\s*optional)?(\\s*,?\\s*default.*)?$");

  private TypeMapper() {}

  /** What a Python type maps to; {@code null} means {@code Object}. */
  enum Simple {
    LONG, DOUBLE, STRING, BOOLEAN, BYTES, LIST, MAP, NONE
  }

  static Simple simple(String annotation) {
    if (annotation == null) {
      return null;
    }
    String a = annotation.replace(" ", "").replace("'", "").replace("\"", "");
    if (a.startsWith("builtins.")) {
      a = a.substring("builtins.".length());
    }
    return switch (a) {
      case "int" -> Simple.LONG;
      case "float" -> Simple.DOUBLE;
      case "str" -> Simple.STRING;
      case "bool" -> Simple.BOOLEAN;
      case "bytes" -> Simple.BYTES;
      case "None", "NoneType" -> Simple.NONE;
      default -> {
        if (a.equals("list") || a.startsWith("list[") || a.equals("List") || a.startsWith("List[")
            || a.startsWith("typing.List")) {
          yield Simple.LIST;
        }
        if (a.equals("dict") || a.startsWith("dict[") || a.equals("Dict") || a.startsWith("Dict[")
            || a.startsWith("typing.Dict")) {
          yield Simple.MAP;
        }
        yield null;
      }
    };
  }

  /** The simple type of a numpydoc type such as {@code "int"} or {@code "bool, optional"}; else null. */
  static Simple fromDoc(String docType) {
    if (docType == null) {
      return null;
    }
    var m = DOC_TYPE.matcher(docType.trim());
    return m.matches() ? simple(m.group(1)) : null;
  }

  /** The Java type of a parameter (primitives for scalars). */
  static TypeName parameter(Simple s) {
    if (s == null) {
      return OBJECT;
    }
    return switch (s) {
      case LONG -> TypeName.LONG;
      case DOUBLE -> TypeName.DOUBLE;
      case BOOLEAN -> TypeName.BOOLEAN;
      case STRING -> STRING;
      case BYTES -> com.palantir.javapoet.ArrayTypeName.of(TypeName.BYTE);
      case LIST -> ParameterizedTypeName.get(LIST, WildcardTypeName.subtypeOf(OBJECT));
      case MAP -> ParameterizedTypeName.get(MAP, WildcardTypeName.subtypeOf(OBJECT),
          WildcardTypeName.subtypeOf(OBJECT));
      case NONE -> OBJECT;
    };
  }

  /** The Java type of a result (boxed; {@code void} for {@code None}). */
  static TypeName result(Simple s) {
    if (s == null) {
      return OBJECT;
    }
    return switch (s) {
      case LONG -> ClassName.get(Long.class);
      case DOUBLE -> ClassName.get(Double.class);
      case BOOLEAN -> ClassName.get(Boolean.class);
      case STRING -> STRING;
      case BYTES -> com.palantir.javapoet.ArrayTypeName.of(TypeName.BYTE);
      case LIST -> ParameterizedTypeName.get(LIST, OBJECT);
      case MAP -> ParameterizedTypeName.get(MAP, OBJECT, OBJECT);
      case NONE -> TypeName.VOID;
    };
  }

  /** The {@code PyInterop} method that converts a result to {@link #result(Simple)}, or null for none. */
  static String converter(Simple s) {
    if (s == null) {
      return null;
    }
    return switch (s) {
      case LONG -> "asLong";
      case DOUBLE -> "asDouble";
      case BOOLEAN -> "asBoolean";
      case STRING -> "asString";
      case BYTES -> "asBytes";
      case LIST -> "asList";
      case MAP -> "asMap";
      case NONE -> null;
    };
  }

  private static final Pattern ROLE = Pattern.compile(":[\\w:.-]+:`~?([^`]+)`");
  private static final Pattern SAME_TYPE = Pattern.compile(
      "(?i)^(same type as (the )?(caller|input|self|object|calling object)|self)\\.?$");

  /** Whether a return annotation says the method returns its own class ({@code Self}). */
  static boolean isSelf(String annotation) {
    return annotation != null && annotation.replace("'", "").replace("\"", "").trim()
        .matches("(typing\\.|typing_extensions\\.)?Self");
  }

  /** Whether a documented return type says "same type as caller" (pandas). */
  static boolean isSameTypeAsCaller(String docType) {
    return docType != null && SAME_TYPE.matcher(docType.trim()).matches();
  }

  /**
   * The wrapper of a numpydoc return type that names exactly one generated class ({@code ndarray},
   * {@code :class:`DataFrame`}, {@code numpy.ndarray}), else null; also null when the description warns
   * that a scalar may come back instead, as numpy's reductions do.
   */
  static ClassName wrapperFromDoc(String docType, String description, Function<String, ClassName> wrapperOf) {
    if (docType == null) {
      return null;
    }
    if (description != null && description.toLowerCase(java.util.Locale.ROOT).contains("scalar")) {
      return null;
    }
    String t = docType.trim().replaceFirst("(?i),\\s*optional$", "").trim();
    var m = ROLE.matcher(t);
    if (m.matches()) {
      t = m.group(1);
    }
    t = t.replace("`", "").replaceFirst("^~", "");
    return wrapperResult(t, wrapperOf);
  }

  /**
   * The wrapper class of a result annotation that names exactly one generated class, else null.
   *
   * @param wrapperOf resolves a class key or simple name to its wrapper (null when not generated)
   */
  static ClassName wrapperResult(String annotation, Function<String, ClassName> wrapperOf) {
    if (annotation == null) {
      return null;
    }
    String a = annotation.trim().replace("'", "").replace("\"", "");
    if (!a.matches("[A-Za-z_][\\w.]*")) {
      return null;
    }
    return wrapperOf.apply(a);
  }
}
