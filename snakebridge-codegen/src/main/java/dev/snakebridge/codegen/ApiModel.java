package dev.snakebridge.codegen;

import dev.snakebridge.internal.codegen.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The API of one Python library as the introspector describes it (format {@value #FORMAT}, version
 * {@value #FORMAT_VERSION}; docs/CODEGEN.md documents every field). Module functions and class methods
 * refer by key to {@link #callables()}, which hold the signature and parsed docstring once per Python object.
 *
 * <p>Immutable and thread-safe.
 *
 * @param pythonVersion the interpreter's version, such as {@code "3.11.2"}
 * @param library the library's top-level module, such as {@code "numpy"}
 * @param libraryVersion its installed version, or null when unknown
 * @param moduleMode the discovery mode the model was made with
 * @param modules the modules, in discovery order
 * @param classes the classes by key ({@code module.qualname})
 * @param callables signatures and docs by key
 * @param failures modules that failed to import, with the error
 * @param skipped symbols left out, with the reason
 * @param seconds how long the introspection took
 */
public record ApiModel(
    String pythonVersion,
    String library,
    String libraryVersion,
    String moduleMode,
    List<ModuleInfo> modules,
    Map<String, ClassInfo> classes,
    Map<String, CallableInfo> callables,
    List<Failure> failures,
    List<Skipped> skipped,
    double seconds) {

  /** The {@code format} field of a model file. */
  public static final String FORMAT = "snakebridge-api-model";

  /** The model format version this generator reads. */
  public static final int FORMAT_VERSION = 1;

  /** A module: its functions and constants, and the classes it exports (by key). */
  public record ModuleInfo(
      String name, DocInfo doc, boolean hasAll, List<FunctionRef> functions, List<ClassRef> classes,
      List<ConstantInfo> constants) {}

  /** A module function: its name in the module and the key of its signature and docs. */
  public record FunctionRef(String name, String ref, String kind) {}

  /** A class a module exports under {@code name}. */
  public record ClassRef(String name, String key) {}

  /** A module attribute that is not callable; {@code type} is bool, int, float, str, none or object. */
  public record ConstantInfo(String name, String type, String pythonType, String value) {}

  /**
   * A class defined in the library.
   *
   * @param importModule module to call the constructor through
   * @param importName attribute path of the class in {@code importModule}
   * @param byValue whether instances cross by value (subclasses of int, dict, numpy scalars, …)
   * @param constructorRef key of the constructor's signature, null for abstract classes
   * @param protocols Python protocols: iter, len, getitem, setitem, contains, enter, exit, call
   */
  public record ClassInfo(
      String key, String module, String name, String importModule, String importName, List<String> bases,
      boolean isAbstract, boolean byValue, boolean exception, String constructorRef, List<MethodRef> methods,
      List<PropertyRef> properties, Set<String> protocols, DocInfo doc) {}

  /** A method; {@code kind} is instance, static or class; {@code declared} is false when inherited. */
  public record MethodRef(String name, String ref, String kind, boolean declared) {}

  /** A property or data descriptor. */
  public record PropertyRef(String name, String ref, boolean declared, boolean writable, String returns) {}

  /** A signature and its parsed docstring. */
  public record CallableInfo(SignatureInfo signature, DocInfo doc) {}

  /**
   * Parameters and return annotation, with where they came from.
   *
   * @param source runtime, text_signature, stub, docstring or variadic
   * @param typeSource annotations, stub or null when nothing was typed
   */
  public record SignatureInfo(List<ParamInfo> params, String returns, String source, String typeSource) {}

  /**
   * One parameter.
   *
   * @param kind positional_only, positional_or_keyword, var_positional, keyword_only or var_keyword
   * @param defaultValue the default's repr, null when required
   */
  public record ParamInfo(String name, String kind, String defaultValue, String annotation) {
    /** Whether the caller may leave it out. */
    public boolean optional() {
      return defaultValue != null;
    }
  }

  /** A parsed docstring; {@code style} is numpy, google, rest or plain. */
  public record DocInfo(
      String style, String summary, String description, List<DocItem> params, List<DocItem> returns,
      List<DocItem> raises) {}

  /** One documented parameter, return value or exception. */
  public record DocItem(String name, String type, String description) {}

  /**
   * A module that failed to import.
   *
   * @param fallback {@code "ast"} when the module was read from its source instead (its functions and
   *     classes are in the model), else null
   */
  public record Failure(String module, String error, String fallback) {
    /** Whether the module's source stood in for it (the {@code ast} fallback). */
    public boolean readFromSource() {
      return "ast".equals(fallback);
    }
  }

  /** A symbol left out of the model. */
  public record Skipped(String symbol, String reason) {}

  /** The callable behind {@code key}, or an empty one when the key is unknown. */
  public CallableInfo callable(String key) {
    CallableInfo info = key == null ? null : callables.get(key);
    return info != null ? info : new CallableInfo(new SignatureInfo(List.of(), null, "variadic", null), null);
  }

  /**
   * Reads a model file.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when it is not a model of a supported format version
   */
  public static ApiModel read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  /**
   * Parses a model.
   *
   * @throws IllegalArgumentException when the text is not a model of a supported format version
   */
  public static ApiModel parse(String json) {
    Map<String, Object> root = map(Json.parse(json));
    if (!FORMAT.equals(root.get("format"))) {
      throw new IllegalArgumentException("not a SnakeBridge API model (format=" + root.get("format") + ")");
    }
    long version = ((Number) root.get("formatVersion")).longValue();
    if (version != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "API model format version " + version + " is not supported; this generator reads " + FORMAT_VERSION);
    }
    Map<String, Object> library = map(root.get("library"));
    Map<String, ClassInfo> classes = new LinkedHashMap<>();
    for (Object c : list(root.get("classes"))) {
      ClassInfo info = classInfo(map(c));
      classes.put(info.key(), info);
    }
    Map<String, CallableInfo> callables = new LinkedHashMap<>();
    map(root.get("callables")).forEach((k, v) -> callables.put(k, callableInfo(map(v))));
    return new ApiModel(
        str(map(root.get("python")), "version"),
        str(library, "name"),
        str(library, "version"),
        str(map(root.get("options")), "moduleMode"),
        each(root.get("modules"), ApiModel::moduleInfo),
        classes,
        callables,
        each(root.get("failures"), m -> new Failure(str(m, "module"), str(m, "error"), str(m, "fallback"))),
        each(root.get("skipped"), m -> new Skipped(str(m, "symbol"), str(m, "reason"))),
        root.get("seconds") instanceof Number n ? n.doubleValue() : 0);
  }

  private static ModuleInfo moduleInfo(Map<String, Object> m) {
    return new ModuleInfo(
        str(m, "name"),
        docInfo(m.get("doc")),
        Boolean.TRUE.equals(m.get("hasAll")),
        each(m.get("functions"), f -> new FunctionRef(str(f, "name"), str(f, "ref"), str(f, "kind"))),
        each(m.get("classes"), c -> new ClassRef(str(c, "name"), str(c, "key"))),
        each(m.get("constants"), c -> new ConstantInfo(str(c, "name"), str(c, "type"), str(c, "pythonType"),
            str(c, "value"))));
  }

  private static ClassInfo classInfo(Map<String, Object> m) {
    Map<String, Object> imp = map(m.get("import"));
    List<String> bases = new ArrayList<>();
    for (Object b : list(m.get("bases"))) {
      bases.add(String.valueOf(b));
    }
    Set<String> protocols = new LinkedHashSet<>();
    for (Object p : list(m.get("protocols"))) {
      protocols.add(String.valueOf(p));
    }
    return new ClassInfo(
        str(m, "key"), str(m, "module"), str(m, "name"), str(imp, "module"), str(imp, "name"), List.copyOf(bases),
        Boolean.TRUE.equals(m.get("abstract")), Boolean.TRUE.equals(m.get("byValue")),
        Boolean.TRUE.equals(m.get("exception")), str(m, "constructor"),
        each(m.get("methods"), x -> new MethodRef(str(x, "name"), str(x, "ref"), str(x, "kind"),
            Boolean.TRUE.equals(x.get("declared")))),
        each(m.get("properties"), x -> new PropertyRef(str(x, "name"), str(x, "ref"),
            Boolean.TRUE.equals(x.get("declared")), Boolean.TRUE.equals(x.get("writable")), str(x, "returns"))),
        Set.copyOf(protocols), docInfo(m.get("doc")));
  }

  private static CallableInfo callableInfo(Map<String, Object> m) {
    SignatureInfo signature = null;
    if (m.get("signature") instanceof Map<?, ?>) {
      Map<String, Object> s = map(m.get("signature"));
      signature = new SignatureInfo(
          each(s.get("params"), p -> new ParamInfo(str(p, "name"), str(p, "kind"), str(p, "default"),
              str(p, "annotation"))),
          str(s, "returns"), str(s, "source"), str(s, "typeSource"));
    }
    return new CallableInfo(signature, docInfo(m.get("doc")));
  }

  private static DocInfo docInfo(Object value) {
    if (!(value instanceof Map<?, ?>)) {
      return null;
    }
    Map<String, Object> d = map(value);
    Function<Map<String, Object>, DocItem> item =
        i -> new DocItem(str(i, "name"), str(i, "type"), str(i, "description"));
    return new DocInfo(str(d, "style"), str(d, "summary"), str(d, "description"), each(d.get("params"), item),
        each(d.get("returns"), item), each(d.get("raises"), item));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static List<?> list(Object value) {
    return value instanceof List<?> l ? l : List.of();
  }

  private static String str(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? null : String.valueOf(v);
  }

  private static <T> List<T> each(Object value, Function<Map<String, Object>, T> f) {
    List<T> out = new ArrayList<>();
    for (Object o : list(value)) {
      out.add(f.apply(map(o)));
    }
    return List.copyOf(out);
  }
}
