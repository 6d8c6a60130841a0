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
    lib.put("options", g.spec().options());
    // What each generated file should contain, so that a strict build can tell committed sources were edited.
    Map<String, Object> files = new java.util.TreeMap<>();
    for (GeneratedFile f : g.files()) {
      files.put(f.path(), sha256(f.content()));
    }
    lib.put("files", files);
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
      m.put("files", lib.get("files"));
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

  private static String sha256(String content) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(content.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /**
   * Strict mode, without Python: the problems (empty when all is well) with building {@code libraries}
   * from the committed sources in {@code sourcesDir} against the committed manifest and lock: missing
   * files; libraries the lock lacks; options in the pom that differ from the lock's; generated sources
   * that were edited, are missing or are not in the manifest; and members or types the sources use that
   * the manifest lacks.
   *
   * @param sourcesDir the committed generated sources (the plugin's {@code outputDirectory}); null skips
   *     the source comparison
   */
  @SuppressWarnings("unchecked")
  public static List<String> strictCheck(Path manifest, Path lock, List<LibrarySpec> libraries, SourceUsage usage,
      Path sourcesDir) {
    List<String> problems = new ArrayList<>();
    Map<String, Object> man;
    Map<String, Object> lk;
    try {
      man = (Map<String, Object>) Json.parse(Files.readString(manifest, StandardCharsets.UTF_8));
      lk = (Map<String, Object>) Json.parse(Files.readString(lock, StandardCharsets.UTF_8));
    } catch (IOException | IllegalArgumentException e) {
      problems.add("strict mode needs the committed manifest and lock (" + manifest.getFileName() + ", "
          + lock.getFileName() + "); generate them once without strict and commit them: " + e.getMessage());
      return problems;
    }
    String root = String.valueOf(man.get("javaPackage"));
    Map<String, Object> libs = (Map<String, Object>) man.getOrDefault("libraries", Map.of());
    Map<String, Object> locked = (Map<String, Object>) lk.getOrDefault("libraries", Map.of());
    for (LibrarySpec spec : libraries) {
      String name = spec.name();
      if (!libs.containsKey(name) || !locked.containsKey(name)) {
        problems.add(name + " is declared in the pom but not in " + manifest.getFileName() + "/"
            + lock.getFileName() + "; regenerate without strict");
        continue;
      }
      Map<String, Object> lockedLib = (Map<String, Object>) locked.get(name);
      problems.addAll(optionProblems(spec, lockedLib, lock.getFileName().toString()));
      Map<String, Object> lib = (Map<String, Object>) libs.get(name);
      if (sourcesDir != null) {
        problems.addAll(sourceProblems(name, root, (Map<String, Object>) lib.get("files"), sourcesDir,
            manifest.getFileName().toString()));
      }
      Map<String, Object> types = (Map<String, Object>) lib.get("types");
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
        problems.add(name + " " + lockedLib.get("version") + ": " + missing);
      }
    }
    return problems;
  }

  /** Where the pom's options (and declared version) for a library differ from what the lock recorded. */
  private static List<String> optionProblems(LibrarySpec spec, Map<String, Object> lockedLib, String lockName) {
    List<String> problems = new ArrayList<>();
    Object recorded = lockedLib.get("options");
    // Through JSON and back, so that numbers and lists compare as the lock holds them.
    Object wanted = Json.parse(Json.write(spec.options()));
    if (!(recorded instanceof Map<?, ?> recordedMap)) {
      problems.add(spec.name() + ": " + lockName + " has no options object (written by an older generator);"
          + " regenerate without strict");
      return problems;
    }
    for (Map.Entry<?, ?> e : ((Map<?, ?>) wanted).entrySet()) {
      Object was = recordedMap.get(e.getKey());
      if (!java.util.Objects.equals(was, e.getValue())) {
        problems.add(spec.name() + ": option " + e.getKey() + " is " + e.getValue() + " in the build but " + was
            + " in " + lockName + "; regenerate without strict");
      }
    }
    Object declared = lockedLib.get("declaredVersion");
    if (!java.util.Objects.equals(declared, spec.declaredVersion())) {
      problems.add(spec.name() + ": declared version " + spec.declaredVersion() + " in the build but " + declared
          + " in " + lockName + "; regenerate without strict");
    }
    return problems;
  }

  /** Generated files that are missing, edited, or present without being in the manifest. */
  private static List<String> sourceProblems(String library, String root, Map<String, Object> files, Path sourcesDir,
      String manifestName) {
    List<String> problems = new ArrayList<>();
    if (files == null) {
      problems.add(library + ": " + manifestName + " lists no files (written by an older generator); regenerate"
          + " without strict");
      return problems;
    }
    files.forEach((path, hash) -> {
      Path p = sourcesDir.resolve(path);
      try {
        if (!Files.isRegularFile(p)) {
          problems.add(library + ": " + path + " is in " + manifestName + " but missing from " + sourcesDir);
        } else if (!sha256(Files.readString(p, StandardCharsets.UTF_8)).equals(hash)) {
          problems.add(library + ": " + path + " differs from what was generated (edited by hand?); regenerate"
              + " without strict");
        }
      } catch (IOException e) {
        problems.add(library + ": cannot read " + p + ": " + e.getMessage());
      }
    });
    String rootDir = root.replace('.', '/') + "/";
    String packageDir = rootDir + JavaNames.packagePart(library) + "/";
    String moduleClass = rootDir + JavaNames.pascal(library);
    if (Files.isDirectory(sourcesDir)) {
      try (var walk = Files.walk(sourcesDir)) {
        walk.filter(Files::isRegularFile).map(p -> sourcesDir.relativize(p).toString().replace('\\', '/'))
            .filter(p -> p.endsWith(".java") && (p.startsWith(packageDir) || p.startsWith(moduleClass)
                && p.indexOf('/', rootDir.length()) < 0))
            .filter(p -> !files.containsKey(p)).sorted()
            .forEach(p -> problems.add(library + ": " + p + " is not in " + manifestName + "; regenerate without"
                + " strict, or delete it"));
      } catch (IOException e) {
        problems.add(library + ": cannot list " + sourcesDir + ": " + e.getMessage());
      }
    }
    return problems;
  }
}
