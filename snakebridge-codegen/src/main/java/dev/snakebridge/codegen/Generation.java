package dev.snakebridge.codegen;

import dev.snakebridge.internal.codegen.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link WrapperGenerator} produced for one library: the files, a summary per Java type, the guardrail
 * decisions, the references the library could not satisfy (used mode), and signature coverage. Renders the
 * readable plan and the coverage reports. Immutable and thread-safe.
 *
 * @param model the model generated from
 * @param spec the options
 * @param rootPackage the root Java package
 * @param files the source files, support classes first
 * @param types one summary per generated Java type (parts of a split type count in its summary)
 * @param cuts classes whose methods the guardrails cut
 * @param missing used mode: references in the sources that the library lacks (empty when all is well)
 * @param coverage where signatures, types and docs came from
 */
public record Generation(
    ApiModel model,
    LibrarySpec spec,
    String rootPackage,
    List<GeneratedFile> files,
    List<TypeSummary> types,
    List<GuardrailCut> cuts,
    List<String> missing,
    Coverage coverage) {

  /**
   * One generated type.
   *
   * @param fqn the Java class
   * @param python the Python module or class key
   * @param module whether it is a module class
   * @param members Java member name to Python name
   * @param files how many files it took (more than one when split)
   * @param lines lines of Java source
   */
  public record TypeSummary(
      String fqn, String python, boolean module, Map<String, String> members, int files, int lines) {}

  /** A class whose methods were cut to the declared ones. */
  public record GuardrailCut(String classKey, int inheritedAndDeclared, int declared, String reason) {}

  /**
   * Signature coverage of the generated callables (functions, methods, constructors).
   *
   * @param symbols how many
   * @param realSignatures how many had a signature other than the variadic fallback
   * @param typed how many had type information (annotations or stubs)
   * @param documented how many had a docstring
   * @param bySource count per signature source: runtime, text_signature, stub, docstring, variadic
   */
  public record Coverage(int symbols, int realSignatures, int typed, int documented, Map<String, Integer> bySource) {}

  /** Generated module classes. */
  public long moduleCount() {
    return types.stream().filter(TypeSummary::module).count();
  }

  /** Generated wrapper classes. */
  public long classCount() {
    return types.stream().filter(t -> !t.module()).count();
  }

  /** Module functions and constants generated. */
  public long functionCount() {
    return types.stream().filter(TypeSummary::module).mapToLong(t -> t.members().size()).sum();
  }

  /** Class members (methods and properties) generated. */
  public long methodCount() {
    return types.stream().filter(t -> !t.module()).mapToLong(t -> t.members().size()).sum();
  }

  /** Lines of generated Java. */
  public long lineCount() {
    return types.stream().mapToLong(TypeSummary::lines).sum();
  }

  /** The readable plan: totals, a table per module, guardrail cuts, import failures and skipped symbols. */
  public String planText() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%s %s (Python %s): generate=%s moduleMode=%s classMethodScope=%s"
            + " maxClassMethods=%s%n", model.library(), orUnknown(model.libraryVersion()), model.pythonVersion(),
        spec.generate().id(), spec.moduleMode().id(), spec.classMethodScope().id(),
        spec.maxClassMethods() == 0 ? "off" : spec.maxClassMethods()));
    out.append(String.format(Locale.ROOT, "  %d modules, %d classes, %d functions/constants, %d methods/properties"
            + " -> %d files, %,d lines%n", moduleCount(), classCount(), functionCount(), methodCount(), files.size(),
        lineCount()));
    out.append(String.format(Locale.ROOT, "  signatures: %d of %d real (%s), %d typed, %d documented%n",
        coverage.realSignatures(), coverage.symbols(), coverage.bySource(), coverage.typed(), coverage.documented()));
    Map<String, int[]> perModule = new LinkedHashMap<>();
    for (TypeSummary t : types) {
      String module = t.module() ? t.python() : t.python().substring(0, Math.max(0, t.python().lastIndexOf('.')));
      int[] row = perModule.computeIfAbsent(module, k -> new int[4]);
      if (t.module()) {
        row[1] += t.members().size();
      } else {
        row[0]++;
        row[2] += t.members().size();
      }
      row[3] += t.lines();
    }
    int width = Math.max(6, perModule.keySet().stream().mapToInt(String::length).max().orElse(6));
    out.append(String.format(Locale.ROOT, "  %-" + width + "s %7s %9s %8s %8s%n", "module", "classes", "functions",
        "methods", "lines"));
    perModule.forEach((module, row) -> out.append(String.format(Locale.ROOT, "  %-" + width + "s %7d %9d %8d %8d%n",
        module, row[0], row[1], row[2], row[3])));
    if (cuts.isEmpty()) {
      out.append("  guardrails: nothing cut\n");
    } else {
      out.append("  guardrails: ").append(cuts.size()).append(" classes cut to declared methods\n");
      for (GuardrailCut c : cuts) {
        out.append("    ").append(c.classKey()).append(": ").append(c.reason()).append('\n');
      }
    }
    if (!model.failures().isEmpty()) {
      out.append("  modules that failed to import (skipped, or read from source): ").append(model.failures().size())
          .append('\n');
      for (ApiModel.Failure f : model.failures()) {
        out.append("    ").append(f.module()).append(": ").append(f.error())
            .append(f.readFromSource() ? " (read from its source: ast fallback)" : "").append('\n');
      }
    }
    if (!model.skipped().isEmpty()) {
      out.append("  symbols skipped: ").append(model.skipped().size()).append('\n');
      model.skipped().stream().limit(20).forEach(s -> out.append("    ").append(s.symbol()).append(": ")
          .append(s.reason()).append('\n'));
      if (model.skipped().size() > 20) {
        out.append("    … ").append(model.skipped().size() - 20).append(" more in the coverage report\n");
      }
    }
    if (!missing.isEmpty()) {
      out.append("  referenced but missing in ").append(model.library()).append(":\n");
      missing.forEach(m -> out.append("    ").append(m).append('\n'));
    }
    return out.toString();
  }

  /** The coverage report as JSON (per library). */
  public String coverageJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("library", model.library());
    m.put("version", model.libraryVersion());
    m.put("python", model.pythonVersion());
    m.put("moduleMode", spec.moduleMode().id());
    m.put("generate", spec.generate().id());
    m.put("modules", moduleCount());
    m.put("classes", classCount());
    m.put("functions", functionCount());
    m.put("methods", methodCount());
    m.put("files", (long) files.size());
    m.put("lines", lineCount());
    m.put("symbols", (long) coverage.symbols());
    m.put("realSignatures", (long) coverage.realSignatures());
    m.put("typed", (long) coverage.typed());
    m.put("documented", (long) coverage.documented());
    m.put("signatureSources", new LinkedHashMap<>(coverage.bySource()));
    List<Object> failures = new ArrayList<>();
    model.failures().forEach(f -> failures.add(Map.of("module", f.module(), "error", f.error(), "readFromSource",
        f.readFromSource())));
    m.put("failedModules", failures);
    List<Object> skipped = new ArrayList<>();
    model.skipped().forEach(s -> skipped.add(Map.of("symbol", s.symbol(), "reason", s.reason())));
    m.put("skipped", skipped);
    List<Object> cut = new ArrayList<>();
    cuts.forEach(c -> cut.add(Map.of("class", c.classKey(), "methods", (long) c.inheritedAndDeclared(),
        "declared", (long) c.declared())));
    m.put("guardrailCuts", cut);
    return Json.write(m);
  }

  /** The coverage report as Markdown (per library). */
  public String coverageMarkdown() {
    StringBuilder out = new StringBuilder();
    out.append("# ").append(model.library()).append(' ').append(orUnknown(model.libraryVersion()))
        .append(": generated wrappers\n\n");
    out.append("Python ").append(model.pythonVersion()).append(", moduleMode=").append(spec.moduleMode().id())
        .append(", generate=").append(spec.generate().id()).append(".\n\n");
    out.append("| modules | classes | functions | methods | files | lines |\n| --- | --- | --- | --- | --- | --- |\n");
    out.append(String.format(Locale.ROOT, "| %d | %d | %d | %d | %d | %d |%n%n", moduleCount(), classCount(),
        functionCount(), methodCount(), files.size(), lineCount()));
    out.append("| signatures | count | share |\n| --- | --- | --- |\n");
    int total = Math.max(1, coverage.symbols());
    coverage.bySource().forEach((source, n) -> out.append(String.format(Locale.ROOT, "| %s | %d | %.0f%% |%n", source,
        n, 100.0 * n / total)));
    out.append(String.format(Locale.ROOT, "| **real signature** | %d | %.0f%% |%n", coverage.realSignatures(),
        100.0 * coverage.realSignatures() / total));
    out.append(String.format(Locale.ROOT, "| **typed** | %d | %.0f%% |%n", coverage.typed(),
        100.0 * coverage.typed() / total));
    out.append(String.format(Locale.ROOT, "| **documented** | %d | %.0f%% |%n%n", coverage.documented(),
        100.0 * coverage.documented() / total));
    if (!model.failures().isEmpty()) {
      out.append("## Modules that failed to import\n\n");
      model.failures().forEach(f -> out.append("- `").append(f.module()).append("`: ")
          .append(f.error().replace("|", "\\|")).append(f.readFromSource() ? " (read from its source: ast fallback)" : "")
          .append('\n'));
      out.append('\n');
    }
    if (!cuts.isEmpty()) {
      out.append("## Guardrails\n\n");
      cuts.forEach(c -> out.append("- `").append(c.classKey()).append("`: ").append(c.reason()).append('\n'));
      out.append('\n');
    }
    if (!model.skipped().isEmpty()) {
      out.append("## Skipped symbols\n\n");
      model.skipped().forEach(s -> out.append("- `").append(s.symbol()).append("`: ").append(s.reason()).append('\n'));
    }
    return out.toString();
  }

  private static String orUnknown(String s) {
    return s == null ? "(version unknown)" : s;
  }
}
