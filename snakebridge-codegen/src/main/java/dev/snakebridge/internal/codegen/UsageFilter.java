package dev.snakebridge.internal.codegen;

import dev.snakebridge.codegen.SourceUsage;
import dev.snakebridge.codegen.SourceUsage.FileUsage;
import dev.snakebridge.internal.codegen.TypePlan.MemberPlan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps, of a planned library, what the Java sources reference ({@code generate=used}) and finds the
 * references that the library cannot satisfy. Static members count when written {@code Type.member};
 * instance members when a method of that name is called anywhere in a file that uses the library's
 * wrappers. Stateless; thread-safe.
 */
public final class UsageFilter {
  private static final Set<String> ALWAYS = Set.of("class", "this", "super", "new", "PYTHON_MODULE", "PYTHON_TYPE",
      "functions", "classes", "wrap", "create", "ref", "using", "View");

  private UsageFilter() {}

  /**
   * The result.
   *
   * @param types the kept types, with the kept members
   * @param missing references that no planned type or member satisfies, as "File.java:12: Numpy.foo"
   */
  public record Result(List<TypePlan> types, List<String> missing) {}

  /** A type reference seen in the sources: its static members and whether any file references it. */
  private record Seen(Set<String> statics, Set<String> called, Set<String> where) {}

  /**
   * Filters {@code types} (all types of one library) by {@code usage}.
   *
   * @param typePrefixes prefixes of the FQNs of this library's types ({@code dev.snakebridge.py.numpy.}, {@code
   *     dev.snakebridge.py.Numpy}): an import of a missing type with such a name is reported
   */
  public static Result filter(List<TypePlan> types, SourceUsage usage, List<String> typePrefixes) {
    Map<String, TypePlan> byFqn = new LinkedHashMap<>();
    for (TypePlan t : types) {
      byFqn.put(t.fqn(), t);
    }
    Map<String, Seen> seen = new LinkedHashMap<>();
    Set<String> missing = new TreeSet<>();
    for (FileUsage f : usage.files()) {
      Set<String> calledHere = new HashSet<>(f.calledNames());
      boolean usesLibrary = false;
      for (TypePlan t : types) {
        String simple = t.simpleName();
        boolean referenced = f.imports().contains(t.fqn())
            || f.sees(t.fqn()) && f.identifiers().contains(simple)
            || f.qualifiedRefs().stream().anyMatch(r -> r.startsWith(t.fqn() + "."));
        if (!referenced) {
          continue;
        }
        usesLibrary = true;
        Seen s = seen.computeIfAbsent(t.fqn(), k -> new Seen(new TreeSet<>(), new TreeSet<>(), new TreeSet<>()));
        for (String ref : f.qualifiedRefs()) {
          if (ref.startsWith(simple + ".") && ref.indexOf('.', simple.length() + 1) < 0) {
            String member = ref.substring(simple.length() + 1);
            s.statics().add(member);
            s.where().add(member + "@" + f.path().getFileName() + ":" + f.line().getOrDefault(ref, 0));
          }
        }
      }
      if (usesLibrary) {
        for (Seen s : seen.values()) {
          s.called().addAll(calledHere);
        }
      }
      for (String imp : f.imports()) {
        boolean ours = typePrefixes.stream().anyMatch(p -> imp.startsWith(p) || imp.equals(p));
        if (ours && !byFqn.containsKey(imp) && !isNested(imp, byFqn)) {
          missing.add(f.path().getFileName() + ": import " + imp + " (no such generated type)");
        }
      }
    }
    List<TypePlan> kept = new ArrayList<>();
    for (TypePlan t : types) {
      Seen s = seen.get(t.fqn());
      if (s == null) {
        continue;
      }
      Set<String> known = new HashSet<>(ALWAYS);
      List<MemberPlan> members = new ArrayList<>();
      for (MemberPlan mp : t.members()) {
        String options = JavaNames.pascal(mp.javaName()) + "Options";
        known.add(mp.javaName());
        known.add(options);
        known.add(mp.javaName() + "Stream");
        known.add(mp.javaName() + "Publisher");
        boolean isStatic = t.isModule() || mp.kind() == TypePlan.Kind.STATIC_METHOD
            || mp.kind() == TypePlan.Kind.CLASS_METHOD;
        boolean used = s.statics().contains(mp.javaName()) || s.statics().contains(options)
            || s.statics().contains(mp.javaName() + "Stream") || s.statics().contains(mp.javaName() + "Publisher")
            || !isStatic && s.called().contains(mp.javaName())
            // Through a view (Numpy.using(runtime).array(...)) a static member is called like a method.
            || isStatic && s.statics().contains("using") && s.called().contains(mp.javaName());
        if (used) {
          members.add(mp);
        }
      }
      known.add("CreateOptions");
      for (String w : s.where()) {
        String member = w.substring(0, w.indexOf('@'));
        if (!known.contains(member) && !member.endsWith("Options")) {
          missing.add(w.substring(w.indexOf('@') + 1) + ": " + t.simpleName() + "." + member + " (Python "
              + t.pythonName() + " has no such " + (t.isModule() ? "function or constant" : "member") + ")");
        }
      }
      kept.add(t.withMembers(members));
    }
    return new Result(List.copyOf(kept), List.copyOf(missing));
  }

  private static boolean isNested(String imp, Map<String, TypePlan> byFqn) {
    int dot = imp.lastIndexOf('.');
    return dot > 0 && byFqn.containsKey(imp.substring(0, dot));
  }
}
