package dev.snakebridge.codegen;

import com.palantir.javapoet.JavaFile;
import dev.snakebridge.internal.codegen.JavaNames;
import dev.snakebridge.internal.codegen.NamePlanner;
import dev.snakebridge.internal.codegen.TypeEmitter;
import dev.snakebridge.internal.codegen.TypePlan;
import dev.snakebridge.internal.codegen.UsageFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns an {@link ApiModel} into Java source files: one final class per Python module and one wrapper per
 * Python class, under a root package ({@code dev.snakebridge.py} by default). What the wrappers share
 * ({@code PyObject}, {@code PyInterop}, {@code PyCaller}) comes from the core's {@code dev.snakebridge.wrappers},
 * so that independently generated wrapper jars sit on one classpath. Pure: it reads nothing and writes
 * nothing.
 *
 * <pre>{@code
 * Generation g = WrapperGenerator.generate(model, spec, "dev.snakebridge.py", null);
 * g.files().forEach(f -> write(f.path(), f.content()));
 * }</pre>
 *
 * Stateless and thread-safe.
 */
public final class WrapperGenerator {
  /** The default root package of generated code. */
  public static final String DEFAULT_PACKAGE = "dev.snakebridge.py";

  private WrapperGenerator() {}

  /**
   * Generates the files for one library.
   *
   * @param usage the project's sources for {@link GenerateMode#USED}; ignored (may be null) for ALL
   * @throws IllegalArgumentException when the root package is not a Java package name
   */
  public static Generation generate(ApiModel model, LibrarySpec spec, String rootPackage, SourceUsage usage) {
    Objects.requireNonNull(model, "model");
    if (!rootPackage.matches("[a-z_][\\w]*(\\.[a-z_][\\w]*)*")) {
      throw new IllegalArgumentException("javaPackage must be a Java package name, got '" + rootPackage + "'");
    }
    NamePlanner.Result plan = NamePlanner.plan(model, spec, rootPackage);
    List<TypePlan> types = plan.types();
    List<String> missing = List.of();
    Map<String, TypePlan> byClassKey = plan.byClassKey();
    if (spec.generate() == GenerateMode.USED) {
      List<String> prefixes = List.of(rootPackage + "." + JavaNames.packagePart(model.library()) + ".",
          rootPackage + "." + JavaNames.pascal(model.library()));
      UsageFilter.Result used = UsageFilter.filter(types, usage == null ? new SourceUsage(List.of()) : usage, prefixes);
      types = used.types();
      missing = used.missing();
      Map<String, TypePlan> kept = new LinkedHashMap<>();
      for (TypePlan t : types) {
        if (!t.isModule()) {
          kept.put(t.pythonClass().key(), t);
        }
      }
      byClassKey = kept;
    }
    TypeEmitter emitter = new TypeEmitter(model, spec, byClassKey);
    List<GeneratedFile> files = new ArrayList<>();
    List<Generation.TypeSummary> summaries = new ArrayList<>();
    for (TypePlan t : types) {
      List<JavaFile> javaFiles = emitter.emit(t);
      int lines = 0;
      for (JavaFile jf : javaFiles) {
        String content = jf.toString();
        lines += countLines(content);
        files.add(new GeneratedFile(jf.packageName().replace('.', '/') + "/" + jf.typeSpec().name() + ".java",
            content));
      }
      Map<String, String> members = new LinkedHashMap<>();
      for (TypePlan.MemberPlan mp : t.members()) {
        members.put(mp.javaName(), mp.pythonName());
      }
      summaries.add(new Generation.TypeSummary(t.fqn(), t.pythonName(), t.isModule(), members, javaFiles.size(),
          lines));
    }
    List<Generation.GuardrailCut> cuts = plan.cuts().stream()
        .map(c -> new Generation.GuardrailCut(c.classKey(), c.inheritedAndDeclared(), c.declared(), c.reason()))
        .toList();
    return new Generation(model, spec, rootPackage, List.copyOf(files), List.copyOf(summaries), cuts, missing,
        coverage(model, types));
  }

  private static Generation.Coverage coverage(ApiModel model, List<TypePlan> types) {
    Map<String, Integer> sources = new java.util.TreeMap<>();
    int symbols = 0;
    int typed = 0;
    int documented = 0;
    List<String> refs = new ArrayList<>();
    for (TypePlan t : types) {
      if (!t.isModule() && t.pythonClass().constructorRef() != null) {
        refs.add(t.pythonClass().constructorRef());
      }
      for (TypePlan.MemberPlan mp : t.members()) {
        if (mp.kind() != TypePlan.Kind.CONSTANT && mp.kind() != TypePlan.Kind.PROPERTY) {
          refs.add(mp.ref());
        }
      }
    }
    for (String ref : refs) {
      ApiModel.CallableInfo c = model.callable(ref);
      symbols++;
      String source = c.signature() == null ? "variadic" : c.signature().source();
      sources.merge(source, 1, Integer::sum);
      if (c.signature() != null && c.signature().typeSource() != null) {
        typed++;
      }
      if (c.doc() != null) {
        documented++;
      }
    }
    return new Generation.Coverage(symbols, symbols - sources.getOrDefault("variadic", 0), typed, documented,
        sources);
  }

  private static int countLines(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }
}
