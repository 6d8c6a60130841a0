package dev.snakebridge.codegen;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * One generation run for one library, as the Maven plugin and the command line do it: check versions,
 * introspect (the model is cached by library version and options), generate, and write the files and the
 * coverage reports. {@link #generate} is incremental: when the Python and library versions, the options
 * and (in used mode) the references in the sources are unchanged, nothing is rewritten.
 *
 * <p>Not thread-safe: one run at a time per work directory.
 */
public final class Codegen {
  /** This generator's version (the Maven project version). */
  public static final String VERSION = readProperty("version");
  /** When this generator was built: part of the fingerprints, so that a rebuilt SNAPSHOT regenerates. */
  private static final String BUILD = readProperty("build");

  private final Introspector introspector;
  private final Path workDir;
  private final String rootPackage;
  private final Consumer<String> log;

  /**
   * A code generator.
   *
   * @param python the interpreter that introspects
   * @param workDir for caches, state and reports (e.g. {@code target/snakebridge})
   * @param rootPackage the root Java package of the wrappers
   * @param log receives progress and warnings, one line at a time
   */
  public Codegen(PythonInterpreter python, Path workDir, String rootPackage, Consumer<String> log) {
    this(python, workDir, List.of(), rootPackage, log);
  }

  /**
   * A code generator whose introspector also finds modules in {@code pythonPath}.
   *
   * @param python the interpreter that introspects
   * @param workDir for caches, state and reports
   * @param pythonPath extra directories on the introspector's {@code PYTHONPATH}
   * @param rootPackage the root Java package of the wrappers
   * @param log receives progress and warnings, one line at a time
   */
  public Codegen(PythonInterpreter python, Path workDir, List<Path> pythonPath, String rootPackage,
      Consumer<String> log) {
    this.introspector = new Introspector(python, workDir, pythonPath);
    this.workDir = workDir;
    this.rootPackage = rootPackage;
    this.log = Objects.requireNonNull(log);
  }

  /**
   * The outcome for one library.
   *
   * @param generation what was generated, null when up to date
   * @param upToDate true when nothing needed regenerating
   * @param libraryVersion the installed version
   * @param pythonVersion the interpreter's version
   * @param introspectSeconds time spent introspecting (0 when the model came from the cache)
   * @param generateSeconds time spent generating and writing
   * @param fileCount files for this library in the output directory
   */
  public record Outcome(Generation generation, boolean upToDate, String libraryVersion, String pythonVersion,
      double introspectSeconds, double generateSeconds, int fileCount) {}

  /** The installed Python and library versions: {@code {"python": "3.11.2", "numpy": "1.24.2", ...}}. */
  @SuppressWarnings("unchecked")
  public Map<String, String> versions(List<String> libraries) {
    Map<String, Object> info = introspector.info(libraries);
    Map<String, String> out = new java.util.LinkedHashMap<>();
    out.put("python", String.valueOf(((Map<String, Object>) info.get("python")).get("version")));
    Map<String, Object> libs = (Map<String, Object>) info.get("libraries");
    for (String lib : libraries) {
      Object v = ((Map<String, Object>) libs.getOrDefault(lib, Map.of())).get("version");
      out.put(lib, v == null ? null : String.valueOf(v));
    }
    return out;
  }

  /** The plan for one library: introspects (or reuses the cached model) and generates in memory only. */
  public Generation plan(LibrarySpec spec, SourceUsage usage) {
    Map<String, String> versions = checkedVersions(spec);
    return WrapperGenerator.generate(model(spec, versions, new double[1]), spec, rootPackage, usage);
  }

  /**
   * Generates one library's wrappers into {@code outputDir}, unless they are up to date.
   *
   * @throws CodegenException when the library is missing, introspection fails, or (used mode) the sources
   *     reference symbols the library lacks
   */
  public Outcome generate(LibrarySpec spec, Path outputDir, SourceUsage usage) {
    Map<String, String> versions = checkedVersions(spec);
    String fingerprint = hash(modelKey(spec, versions) + "|" + spec.optionsKey() + "|" + rootPackage + "|"
        + outputDir.toAbsolutePath() + "|" + (spec.generate() == GenerateMode.USED ? usageKey(usage) : ""));
    Path state = workDir.resolve("state").resolve(spec.name() + ".fingerprint");
    Path fileList = workDir.resolve("state").resolve(spec.name() + ".files");
    List<String> previous = readLines(fileList);
    if (fingerprint.equals(readString(state)) && !previous.isEmpty()
        && previous.stream().allMatch(p -> Files.isRegularFile(outputDir.resolve(p)))) {
      log.accept(spec.name() + " " + versions.get(spec.name()) + ": wrappers up to date (" + previous.size()
          + " files)");
      return new Outcome(null, true, versions.get(spec.name()), versions.get("python"), 0, 0, previous.size());
    }
    double[] introspectSeconds = new double[1];
    ApiModel model = model(spec, versions, introspectSeconds);
    long start = System.nanoTime();
    Generation g = WrapperGenerator.generate(model, spec, rootPackage, usage);
    if (!g.missing().isEmpty()) {
      throw new CodegenException(spec.name() + " " + model.libraryVersion() + " lacks symbols the sources use"
          + " (generate=used, moduleMode=" + spec.moduleMode().id() + "):\n  " + String.join("\n  ", g.missing()));
    }
    try {
      for (String old : previous) {
        Files.deleteIfExists(outputDir.resolve(old));
      }
      List<String> written = new ArrayList<>();
      for (GeneratedFile f : g.files()) {
        Path target = outputDir.resolve(f.path());
        Files.createDirectories(target.getParent());
        if (!Files.isRegularFile(target) || !Files.readString(target, StandardCharsets.UTF_8).equals(f.content())) {
          Files.writeString(target, f.content(), StandardCharsets.UTF_8);
        }
        written.add(f.path());
      }
      Path reports = workDir.resolve("reports");
      Files.createDirectories(reports);
      Files.writeString(reports.resolve(spec.name() + "-coverage.json"), g.coverageJson(), StandardCharsets.UTF_8);
      Files.writeString(reports.resolve(spec.name() + "-coverage.md"), g.coverageMarkdown(), StandardCharsets.UTF_8);
      Files.createDirectories(state.getParent());
      Files.writeString(workDir.resolve("state").resolve(spec.name() + ".manifest.json"),
          BuildFiles.fragment(g), StandardCharsets.UTF_8);
      Files.write(fileList, written, StandardCharsets.UTF_8);
      Files.writeString(state, fingerprint, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CodegenException("cannot write the generated sources to " + outputDir + ": " + e.getMessage(), e);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    log.accept(String.format(java.util.Locale.ROOT, "%s %s: %d modules, %d classes, %d functions, %d methods -> %d"
            + " files, %,d lines (introspect %.1f s, generate %.1f s)", spec.name(), model.libraryVersion(),
        g.moduleCount(), g.classCount(), g.functionCount(), g.methodCount(), g.files().size(), g.lineCount(),
        introspectSeconds[0], seconds));
    return new Outcome(g, false, model.libraryVersion(), model.pythonVersion(), introspectSeconds[0], seconds,
        g.files().size());
  }

  private Map<String, String> checkedVersions(LibrarySpec spec) {
    Map<String, String> versions = versions(List.of(spec.name()));
    String installed = versions.get(spec.name());
    if (installed == null) {
      throw new CodegenException(spec.name() + " is not installed for " + introspector.python()
          + " (Python " + versions.get("python") + "): install it there, or point <python> at an interpreter that"
          + " has it");
    }
    if (spec.declaredVersion() != null && !spec.declaredVersion().equals(installed)) {
      log.accept("WARNING: " + spec.name() + " is declared as version " + spec.declaredVersion() + " but "
          + introspector.python().executable() + " has " + spec.name() + " " + installed
          + "; generating from " + installed);
    }
    return versions;
  }

  private ApiModel model(LibrarySpec spec, Map<String, String> versions, double[] seconds) {
    String key = modelKey(spec, versions);
    Path cached = workDir.resolve("models").resolve(spec.name() + "-" + key.substring(0, 16) + ".json");
    if (Files.isRegularFile(cached)) {
      try {
        return ApiModel.read(cached);
      } catch (IOException | IllegalArgumentException e) {
        log.accept("cached model " + cached + " unreadable (" + e.getMessage() + "); introspecting again");
      }
    }
    try {
      Files.createDirectories(cached.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long start = System.nanoTime();
    log.accept("introspecting " + spec.name() + " " + versions.get(spec.name()) + " with " + introspector.python()
        + " (moduleMode=" + spec.moduleMode().id() + ")");
    int[] lastShown = {0};
    ApiModel model = introspector.model(spec, cached, line -> {
      // Every module line would flood the log for torch: show about every tenth, and the summaries.
      if (line.startsWith("module ")) {
        String[] counts = line.substring(7, line.indexOf(' ', 7)).split("/");
        int n = Integer.parseInt(counts[0]);
        int total = Integer.parseInt(counts[1]);
        if (n == total || n == 1 || n - lastShown[0] >= Math.max(1, total / 10)) {
          lastShown[0] = n;
          log.accept("  " + spec.name() + ": " + line);
        }
      } else if (!line.startsWith("import ") && !line.startsWith("class ")) {
        log.accept("  " + spec.name() + ": " + line);
      }
    });
    seconds[0] = (System.nanoTime() - start) / 1e9;
    return model;
  }

  private String modelKey(LibrarySpec spec, Map<String, String> versions) {
    String manifest = "";
    if (spec.docsManifest() != null) {
      try {
        manifest = hash(Files.readString(spec.docsManifest(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new CodegenException("cannot read docs manifest " + spec.docsManifest() + ": " + e.getMessage(), e);
      }
    }
    return hash(VERSION + "|" + BUILD + "|" + introspector.unpack().getFileName() + "|" + introspector.python().executable() + "|" + introspector.pythonPath() + "|" + versions.get("python") + "|"
        + versions.get(spec.name()) + "|" + spec.moduleMode().id() + "|" + spec.include() + "|" + spec.exclude()
        + "|" + manifest);
  }

  private static String usageKey(SourceUsage usage) {
    if (usage == null) {
      return "";
    }
    TreeSet<String> all = new TreeSet<>();
    for (SourceUsage.FileUsage f : usage.files()) {
      all.addAll(f.qualifiedRefs());
      all.addAll(f.calledNames());
      all.addAll(f.imports());
      all.add("pkg:" + f.packageName());
    }
    return hash(String.join("\n", all));
  }

  static String hash(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String readString(Path p) {
    try {
      return Files.isRegularFile(p) ? Files.readString(p, StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static List<String> readLines(Path p) {
    try {
      return Files.isRegularFile(p) ? Files.readAllLines(p, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static String readProperty(String name) {
    try (InputStream in = Codegen.class.getResourceAsStream("codegen.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty(name, "dev");
    } catch (IOException e) {
      return "dev";
    }
  }
}
