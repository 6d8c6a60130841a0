package dev.snakebridge.internal.codegen;

import dev.snakebridge.codegen.ApiModel;
import dev.snakebridge.codegen.ApiModel.ClassInfo;
import dev.snakebridge.codegen.ApiModel.ClassRef;
import dev.snakebridge.codegen.ApiModel.ConstantInfo;
import dev.snakebridge.codegen.ApiModel.FunctionRef;
import dev.snakebridge.codegen.ApiModel.MethodRef;
import dev.snakebridge.codegen.ApiModel.ModuleInfo;
import dev.snakebridge.codegen.ApiModel.PropertyRef;
import dev.snakebridge.codegen.ClassMethodScope;
import dev.snakebridge.codegen.LibrarySpec;
import dev.snakebridge.internal.codegen.TypePlan.Kind;
import dev.snakebridge.internal.codegen.TypePlan.MemberPlan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides every Java type and member name for a model, applies the class method guardrails, and resolves
 * clashes predictably (sorted by Python name; the later name gets a trailing underscore). Module classes
 * are named before Python classes, so a class that clashes with a module class is the one renamed.
 *
 * <p>A class is placed where users import it from: the shallowest public module that exports it (ties
 * broken alphabetically; a module is public when no part of its name starts with {@code _}), else the
 * module that defines it. A module whose last part starts with a capital ({@code PIL.Image}) is named
 * {@code ImageModule}, so that it cannot clash with the package of its classes.
 */
public final class NamePlanner {
  /** Members of a module class that Python names must not take. */
  static final Set<String> MODULE_RESERVED = Set.of(
      "functions", "classes", "using", "equals", "hashCode", "toString", "getClass", "notify", "notifyAll", "wait", "clone",
      "finalize");
  /** Members of a wrapper that Python names must not take (base class, protocols, factories). */
  static final Set<String> CLASS_RESERVED = Set.of(
      "ref", "wrap", "create", "using", "size", "get", "set", "contains", "call", "iterator", "close", "forEach",
      "spliterator", "enter", "equals", "hashCode", "toString", "getClass", "notify", "notifyAll", "wait", "clone",
      "finalize");
  /**
   * Simple names no generated class may take: a class in the same package would hide {@code java.lang}'s
   * (which generated code uses unqualified) and the types generated code imports.
   */
  static final Set<String> TYPE_RESERVED = Set.of(
      "AutoCloseable", "Boolean", "Byte", "CharSequence", "Character", "Class", "ClassLoader", "Cloneable",
      "Comparable", "Deprecated", "Double", "Enum", "Error", "Exception", "Float", "FunctionalInterface", "Integer",
      "Iterable", "Long", "Math", "Module", "Number", "Object", "Override", "Package", "Process", "Record",
      "Runnable", "Runtime", "RuntimeException", "SafeVarargs", "Short", "String", "StringBuilder", "SuppressWarnings",
      "System", "Thread", "Throwable", "Void", "IllegalArgumentException", "IllegalStateException",
      "List", "Map", "LinkedHashMap", "Iterator", "Consumer", "Flow", "Kwargs", "PyRef", "PyTuple", "SnakeBridge",
      "PyObject", "PyInterop", "PyCaller", "PyContext", "Generated", "Session", "SnakeBridgeRuntime", "CallOptions",
      "View");
  private NamePlanner() {}

  /** A class whose methods the guardrail cut to the declared ones. */
  public record GuardrailCut(String classKey, int inheritedAndDeclared, int declared, String reason) {}

  /**
   * The plan.
   *
   * @param types module classes first, then wrappers
   * @param byClassKey wrapper plan per Python class key
   * @param cuts guardrail decisions
   */
  public record Result(List<TypePlan> types, Map<String, TypePlan> byClassKey, List<GuardrailCut> cuts) {}

  /** Plans the Java types for {@code model} under {@code rootPackage}. */
  public static Result plan(ApiModel model, LibrarySpec spec, String rootPackage) {
    Map<String, Set<String>> taken = new HashMap<>();
    List<TypePlan> types = new ArrayList<>();
    List<ModuleInfo> modules = new ArrayList<>(model.modules());
    modules.sort(Comparator.comparing(ModuleInfo::name));
    Set<String> classKeys = new java.util.TreeSet<>();
    Map<String, String> home = new HashMap<>();
    for (ModuleInfo m : modules) {
      if (m.functions().isEmpty() && m.constants().isEmpty() && m.classes().isEmpty()) {
        continue;
      }
      String[] parts = m.name().split("\\.");
      String pkg = packageOf(rootPackage, parts, parts.length - 1);
      String simple = unique(pkg, moduleClassName(parts[parts.length - 1]), taken);
      types.add(new TypePlan(pkg, simple, m, null, moduleMembers(m)));
      for (ClassRef c : m.classes()) {
        classKeys.add(c.key());
        home.merge(c.key(), m.name(), NamePlanner::shallower);
      }
    }
    Map<String, TypePlan> byKey = new LinkedHashMap<>();
    List<GuardrailCut> cuts = new ArrayList<>();
    for (String key : classKeys) {
      ClassInfo c = model.classes().get(key);
      if (c == null) {
        continue;
      }
      String publicModule = home.get(key);
      String[] parts = (publicModule != null && isPublic(publicModule) ? publicModule : c.module()).split("\\.");
      String pkg = packageOf(rootPackage, parts, parts.length);
      String simple = unique(pkg, JavaNames.pascal(c.name()), taken);
      TypePlan plan = new TypePlan(pkg, simple, null, c, classMembers(c, spec, cuts));
      types.add(plan);
      byKey.put(key, plan);
    }
    return new Result(List.copyOf(types), byKey, List.copyOf(cuts));
  }

  /**
   * The Java class of a module's last part: its PascalCase, with {@code Module} appended when the part
   * already starts with a capital, as its classes' package would then have the same name.
   */
  static String moduleClassName(String lastPart) {
    String pascal = JavaNames.pascal(lastPart);
    return !lastPart.isEmpty() && Character.isUpperCase(lastPart.charAt(0)) ? pascal + "Module" : pascal;
  }

  /** Of two modules that export a class, the one to generate it in: public first, then shallowest, then by name. */
  static String shallower(String a, String b) {
    Comparator<String> order = Comparator.comparing((String m) -> !isPublic(m))
        .thenComparingInt(m -> m.split("\\.").length).thenComparing(Comparator.naturalOrder());
    return order.compare(a, b) <= 0 ? a : b;
  }

  private static boolean isPublic(String module) {
    for (String part : module.split("\\.")) {
      if (part.startsWith("_")) {
        return false;
      }
    }
    return true;
  }

  private static String packageOf(String root, String[] parts, int count) {
    StringBuilder pkg = new StringBuilder(root);
    for (int i = 0; i < count; i++) {
      pkg.append('.').append(JavaNames.packagePart(parts[i]));
    }
    return pkg.toString();
  }

  private static String unique(String pkg, String name, Map<String, Set<String>> taken) {
    Set<String> names = taken.computeIfAbsent(pkg, k -> new HashSet<>());
    String candidate = TYPE_RESERVED.contains(name) ? name + "_" : name;
    while (names.contains(JavaNames.fileKey(candidate))) {
      candidate = candidate + "_";
    }
    names.add(JavaNames.fileKey(candidate));
    // Parts of a split class take these names; reserve them now so that no Python class does.
    for (int i = 1; i <= 9; i++) {
      names.add(JavaNames.fileKey(candidate + "_" + i));
    }
    return candidate;
  }

  private static List<MemberPlan> moduleMembers(ModuleInfo m) {
    TreeMap<String, Object> byPython = new TreeMap<>();
    for (FunctionRef f : m.functions()) {
      byPython.putIfAbsent(f.name(), f);
    }
    for (ConstantInfo c : m.constants()) {
      byPython.putIfAbsent(c.name(), c);
    }
    Set<String> used = new HashSet<>(MODULE_RESERVED);
    List<MemberPlan> out = new ArrayList<>();
    for (Object o : byPython.values()) {
      if (o instanceof FunctionRef f) {
        out.add(new MemberPlan(unique(JavaNames.camel(f.name()), used), f.name(), Kind.FUNCTION, f.ref(), false,
            null, null));
      } else if (o instanceof ConstantInfo c) {
        out.add(new MemberPlan(unique(JavaNames.camel(c.name()), used), c.name(), Kind.CONSTANT, null, false,
            c.type(), null));
      }
    }
    return List.copyOf(out);
  }

  private static List<MemberPlan> classMembers(ClassInfo c, LibrarySpec spec, List<GuardrailCut> cuts) {
    boolean declaredOnly = spec.classMethodScope() == ClassMethodScope.DEFINED;
    int all = c.methods().size();
    int declared = (int) c.methods().stream().filter(MethodRef::declared).count();
    if (!declaredOnly && spec.maxClassMethods() > 0 && all > spec.maxClassMethods()) {
      declaredOnly = true;
      cuts.add(new GuardrailCut(c.key(), all, declared,
          "maxClassMethods=" + spec.maxClassMethods() + ": " + all + " inherited+declared methods, kept the "
              + declared + " declared"));
    }
    TreeMap<String, Object> byPython = new TreeMap<>();
    for (MethodRef m : c.methods()) {
      if (!declaredOnly || m.declared()) {
        byPython.putIfAbsent(m.name(), m);
      }
    }
    for (PropertyRef p : c.properties()) {
      if (!declaredOnly || p.declared()) {
        byPython.putIfAbsent(p.name(), p);
      }
    }
    Set<String> used = new HashSet<>(CLASS_RESERVED);
    List<MemberPlan> out = new ArrayList<>();
    for (Object o : byPython.values()) {
      if (o instanceof MethodRef m) {
        Kind kind = switch (m.kind()) {
          case "static" -> Kind.STATIC_METHOD;
          case "class" -> Kind.CLASS_METHOD;
          default -> Kind.METHOD;
        };
        out.add(new MemberPlan(unique(JavaNames.camel(m.name()), used), m.name(), kind, m.ref(), false, null, null));
      } else if (o instanceof PropertyRef p) {
        out.add(new MemberPlan(unique(JavaNames.camel(p.name()), used), p.name(), Kind.PROPERTY, p.ref(),
            p.writable(), null, p.returns()));
      }
    }
    return List.copyOf(out);
  }

  static String unique(String name, Set<String> used) {
    String candidate = name;
    while (used.contains(candidate)) {
      candidate = candidate + "_";
    }
    used.add(candidate);
    return candidate;
  }
}
