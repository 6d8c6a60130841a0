package dev.snakebridge.codegen;

import dev.snakebridge.internal.codegen.JavaNames;
import dev.snakebridge.internal.codegen.Json;
import dev.snakebridge.internal.codegen.TypePlan;
import dev.snakebridge.internal.codegen.UsageFilter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files that make builds reproducible, written beside the pom and committed:
 *
 * <ul>
 *   <li>the <b>manifest</b> ({@code snakebridge.manifest.json}): every generated Java type with its members
 *       and the Python names behind them;
 *   <li>the <b>lock</b> ({@code snakebridge.lock.json}): the Python version, each library's version and
 *       options, and the generator's version.
 * </ul>
 *
 * With both committed together with the generated sources, a {@code strict} build needs no Python: it
 * checks that every generated member the sources use is in the manifest. Stateless and thread-safe.
 */
public final class BuildFiles {
  /** The {@code format} of a manifest file. */
  public static final String MANIFEST_FORMAT = "snakebridge-manifest";
  /** The {@code format} of a lock file. */
  public static final String LOCK_FORMAT = "snakebridge-lock";

  private BuildFiles() {}

  /** One library's part of the manifest, kept in the work directory between runs. */
  static String fragment(Generation g) {
    Map<String, Object> lib = new LinkedHashMap<>();
    lib.put("version", g.model().libraryVersion());
    lib.put("python", g.model().pythonVersion());
    lib.put("generate", g.spec().generate().id());
    lib.put("moduleMode", g.spec().moduleMode().id());
    lib.put("options", g.spec().optionsKey());
    Map<String, Object> types = new LinkedHashMap<>();
    for (Generation.TypeSummary t : g.types()) {
      Map<String, Object> type = new LinkedHashMap<>();
      type.put("python", t.python());
      type.put("kind", t.module() ? "module" : "class");
      type.put("members", new LinkedHashMap<>(t.members()));
      types.put(t.fqn(), type);
    }
    lib.put("types", types);
    return Json.write(lib);
  }

  /**
   * Writes the manifest and the lock for {@code libraries} from the fragments the last generation of each
   * left in {@code workDir}.
   *
   * @throws CodegenException when a library has not been generated yet or a file cannot be written
   */
  @SuppressWarnings("unchecked")
  public static void write(Path workDir, List<LibrarySpec> libraries, String rootPackage, Path manifest, Path lock) {
    Map<String, Object> manifestLibs = new LinkedHashMap<>();
    Map<String, Object> lockLibs = new LinkedHashMap<>();
    String python = null;
    for (LibrarySpec spec : libraries) {
      Path fragment = workDir.resolve("state").resolve(spec.name() + ".manifest.json");
      Map<String, Object> lib;
      try {
        lib = (Map<String, Object>) Json.parse(Files.readString(fragment, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new CodegenException("no generation state for " + spec.name() + " in " + workDir
            + "; run the generate goal first", e);
      }
      python = String.valueOf(lib.get("python"));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("version", lib.get("version"));
      m.put("types", lib.get("types"));
      manifestLibs.put(spec.name(), m);
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("version", lib.get("version"));
      l.put("declaredVersion", spec.declaredVersion());
      l.put("generate", lib.get("generate"));
      l.put("moduleMode", lib.get("moduleMode"));
      l.put("options", lib.get("options"));
      lockLibs.put(spec.name(), l);
    }
    Map<String, Object> man = new LinkedHashMap<>();
    man.put("format", MANIFEST_FORMAT);
    man.put("formatVersion", 1L);
    man.put("javaPackage", rootPackage);
    man.put("libraries", manifestLibs);
    Map<String, Object> lk = new LinkedHashMap<>();
    lk.put("format", LOCK_FORMAT);
    lk.put("formatVersion", 1L);
    lk.put("generator", Codegen.VERSION);
    lk.put("python", python);
    lk.put("javaPackage", rootPackage);
    lk.put("libraries", lockLibs);
    keepEnvironment(lock, lk);
    try {
      writeIfChanged(manifest, Json.write(man));
      writeIfChanged(lock, Json.write(lk));
    } catch (IOException e) {
      throw new CodegenException("cannot write " + manifest + " / " + lock + ": " + e.getMessage(), e);
    }
  }

  /** The lock's {@code environment} section belongs to setup ({@code snakebridge:setup}); carry it over. */
  private static void keepEnvironment(Path lock, Map<String, Object> into) {
    try {
      if (Files.isRegularFile(lock) && Json.parse(Files.readString(lock, StandardCharsets.UTF_8)) instanceof Map<?, ?> old
          && old.get("environment") != null) {
        into.put("environment", old.get("environment"));
      }
    } catch (IOException | IllegalArgumentException e) {
      // An unreadable old lock is simply replaced, as before.
    }
  }

  private static void writeIfChanged(Path file, String text) throws IOException {
    if (!Files.isRegularFile(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, text, StandardCharsets.UTF_8);
    }
  }

  /**
   * Strict mode, without Python: the problems with using {@code usage} against the committed manifest and
   * lock (empty when all is well): missing files, libraries the lock lacks, and members or types the
   * sources use that the manifest lacks.
   */
  @SuppressWarnings("unchecked")
  public static List<String> strictCheck(Path manifest, Path lock, List<String> libraries, SourceUsage usage) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> man;
    Map<String, Object> lk;
    try {
      man = (Map<String, Object>) Json.parse(Files.readString(manifest, StandardCharsets.UTF_8));
      lk = (Map<String, Object>) Json.parse(Files.readString(lock, StandardCharsets.UTF_8));
    } catch (IOException e) {
      problems.add("strict mode needs the committed manifest and lock (" + manifest.getFileName() + ", "
          + lock.getFileName() + "); generate them once without strict and commit them: " + e.getMessage());
      return problems;
    }
    String root = String.valueOf(man.get("javaPackage"));
    Map<String, Object> libs = (Map<String, Object>) man.getOrDefault("libraries", Map.of());
    Map<String, Object> locked = (Map<String, Object>) lk.getOrDefault("libraries", Map.of());
    for (String name : libraries) {
      if (!libs.containsKey(name) || !locked.containsKey(name)) {
        problems.add(name + " is declared in the pom but not in " + manifest.getFileName() + "/"
            + lock.getFileName() + "; regenerate without strict");
        continue;
      }
      Map<String, Object> types = (Map<String, Object>) ((Map<String, Object>) libs.get(name)).get("types");
      List<TypePlan> plans = new ArrayList<>();
      types.forEach((fqn, t) -> {
        Map<String, Object> type = (Map<String, Object>) t;
        boolean module = "module".equals(type.get("kind"));
        List<TypePlan.MemberPlan> members = new ArrayList<>();
        ((Map<String, Object>) type.get("members")).forEach((java, py) -> members.add(new TypePlan.MemberPlan(java,
            String.valueOf(py), module ? TypePlan.Kind.FUNCTION : TypePlan.Kind.METHOD, null, false, null, null)));
        plans.add(TypePlan.stub(fqn, String.valueOf(type.get("python")), module, members));
      });
      List<String> prefixes = List.of(root + "." + JavaNames.packagePart(name) + ".", root + "."
          + JavaNames.pascal(name));
      for (String missing : UsageFilter.filter(plans, usage, prefixes).missing()) {
        problems.add(name + " " + ((Map<String, Object>) locked.get(name)).get("version") + ": " + missing);
      }
    }
    return problems;
  }
}
