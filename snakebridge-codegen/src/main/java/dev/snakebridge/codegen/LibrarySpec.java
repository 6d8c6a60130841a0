package dev.snakebridge.codegen;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What to generate for one Python library: the plugin's {@code <pythonDep>} and the command line's
 * options. Built by {@link #builder(String)}; immutable and thread-safe.
 *
 * <pre>{@code
 * LibrarySpec torch = LibrarySpec.builder("torch")
 *     .generate(GenerateMode.ALL).moduleMode(ModuleMode.DOCS).docsManifest(Path.of("torch.docs.json"))
 *     .maxClassMethods(500).classMethodScope(ClassMethodScope.DEFINED).build();
 * }</pre>
 *
 * @param name the top-level module, such as {@code numpy}
 * @param declaredVersion the version the build declares, or null; a different installed version is a warning
 * @param generate {@link GenerateMode#USED} by default
 * @param moduleMode {@link ModuleMode#PUBLIC} by default
 * @param docsManifest the docs manifest for {@link ModuleMode#DOCS}, else null
 * @param include globs over qualified Python names; when not empty only matching modules and members are kept
 * @param exclude globs over qualified Python names that are left out ({@code numpy.testing},
 *     {@code pandas.io.*})
 * @param maxClassMethods when a class has more inherited plus declared methods, only declared ones are
 *     generated (1000 by default; 0 turns the cap off)
 * @param classMethodScope {@link ClassMethodScope#ALL} by default
 * @param streaming function names ({@code gen} or {@code module.gen}) that get streaming variants
 * @param maxMembersPerFile members per generated file before a class is split into parts (150 by default)
 * @param positionalOverloads how many optional positional parameters get their own overloads (2 by default)
 * @param importTimeoutSeconds how long one import may take before it counts as failed (60 by default)
 */
public record LibrarySpec(
    String name,
    String declaredVersion,
    GenerateMode generate,
    ModuleMode moduleMode,
    Path docsManifest,
    List<String> include,
    List<String> exclude,
    int maxClassMethods,
    ClassMethodScope classMethodScope,
    List<String> streaming,
    int maxMembersPerFile,
    int positionalOverloads,
    int importTimeoutSeconds) {

  /** Default of {@link #maxClassMethods()}. */
  public static final int DEFAULT_MAX_CLASS_METHODS = 1000;

  /** Validates the values; use {@link #builder(String)}. */
  public LibrarySpec {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("library name must be a top-level Python module name, got '" + name + "'");
    }
    if (moduleMode == ModuleMode.DOCS && docsManifest == null) {
      throw new IllegalArgumentException(name + ": moduleMode=docs needs a docsManifest");
    }
    if (maxClassMethods < 0) {
      throw new IllegalArgumentException(name + ": maxClassMethods must be >= 0 (0 = no cap), got " + maxClassMethods);
    }
    if (maxMembersPerFile < 2) {
      throw new IllegalArgumentException(name + ": maxMembersPerFile must be >= 2, got " + maxMembersPerFile);
    }
    if (positionalOverloads < 0 || positionalOverloads > 8) {
      throw new IllegalArgumentException(name + ": positionalOverloads must be 0..8, got " + positionalOverloads);
    }
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
    streaming = List.copyOf(streaming);
  }

  /** A builder with the defaults for library {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * The options that change the model or the generated code, sorted by name (written to lock files as a
   * JSON object); the declared version is not among them.
   */
  public java.util.SortedMap<String, Object> options() {
    TreeMap<String, Object> m = new TreeMap<>();
    m.put("generate", generate.id());
    m.put("moduleMode", moduleMode.id());
    m.put("include", include);
    m.put("exclude", exclude);
    m.put("maxClassMethods", (long) maxClassMethods);
    m.put("classMethodScope", classMethodScope.id());
    m.put("streaming", streaming);
    m.put("maxMembersPerFile", (long) maxMembersPerFile);
    m.put("positionalOverloads", (long) positionalOverloads);
    return java.util.Collections.unmodifiableSortedMap(m);
  }

  /** {@link #options()} as a stable text, for fingerprints. */
  public String optionsKey() {
    return options().toString();
  }

  /** Builds a {@link LibrarySpec}. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private String declaredVersion;
    private GenerateMode generate = GenerateMode.USED;
    private ModuleMode moduleMode = ModuleMode.PUBLIC;
    private Path docsManifest;
    private final List<String> include = new ArrayList<>();
    private final List<String> exclude = new ArrayList<>();
    private int maxClassMethods = DEFAULT_MAX_CLASS_METHODS;
    private ClassMethodScope classMethodScope = ClassMethodScope.ALL;
    private final List<String> streaming = new ArrayList<>();
    private int maxMembersPerFile = 150;
    private int positionalOverloads = 2;
    private int importTimeoutSeconds = 60;

    private Builder(String name) {
      this.name = name;
    }

    /** The version the build declares; a different installed one is reported as a warning. */
    public Builder declaredVersion(String version) {
      this.declaredVersion = version;
      return this;
    }

    /** {@link GenerateMode#ALL} or {@link GenerateMode#USED} (default). */
    public Builder generate(GenerateMode mode) {
      this.generate = Objects.requireNonNull(mode);
      return this;
    }

    /** The module discovery mode (default {@link ModuleMode#PUBLIC}). */
    public Builder moduleMode(ModuleMode mode) {
      this.moduleMode = Objects.requireNonNull(mode);
      return this;
    }

    /** The docs manifest that {@link ModuleMode#DOCS} reads. */
    public Builder docsManifest(Path manifest) {
      this.docsManifest = manifest;
      return this;
    }

    /** Adds include globs over qualified Python names. */
    public Builder include(List<String> patterns) {
      include.addAll(patterns);
      return this;
    }

    /** Adds exclude globs over qualified Python names. */
    public Builder exclude(List<String> patterns) {
      exclude.addAll(patterns);
      return this;
    }

    /** The class method cap (default 1000, 0 = none). */
    public Builder maxClassMethods(int max) {
      this.maxClassMethods = max;
      return this;
    }

    /** {@link ClassMethodScope#ALL} (default) or {@link ClassMethodScope#DEFINED}. */
    public Builder classMethodScope(ClassMethodScope scope) {
      this.classMethodScope = Objects.requireNonNull(scope);
      return this;
    }

    /** Adds function names that get streaming variants. */
    public Builder streaming(List<String> functions) {
      streaming.addAll(functions);
      return this;
    }

    /** Members per generated file before splitting (default 150). */
    public Builder maxMembersPerFile(int max) {
      this.maxMembersPerFile = max;
      return this;
    }

    /** Optional positional parameters that get overloads of their own (default 2). */
    public Builder positionalOverloads(int count) {
      this.positionalOverloads = count;
      return this;
    }

    /** Seconds one import may take (default 60). */
    public Builder importTimeoutSeconds(int seconds) {
      this.importTimeoutSeconds = seconds;
      return this;
    }

    /**
     * The spec.
     *
     * @throws IllegalArgumentException when a value is out of range or docs mode has no manifest
     */
    public LibrarySpec build() {
      return new LibrarySpec(name, declaredVersion, generate, moduleMode, docsManifest, include, exclude,
          maxClassMethods, classMethodScope, streaming, maxMembersPerFile, positionalOverloads, importTimeoutSeconds);
    }
  }
}
