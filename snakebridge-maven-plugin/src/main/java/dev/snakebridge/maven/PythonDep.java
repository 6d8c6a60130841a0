package dev.snakebridge.maven;

import dev.snakebridge.codegen.ClassMethodScope;
import dev.snakebridge.codegen.GenerateMode;
import dev.snakebridge.codegen.LibrarySpec;
import dev.snakebridge.codegen.ModuleMode;
import dev.snakebridge.internal.environment.Requirement;
import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code <pythonDep>} of the plugin configuration:
 *
 * <pre>{@code
 * <pythonDep>
 *   <name>torch</name><version>2.0.0</version><generate>all</generate>
 *   <moduleMode>docs</moduleMode><docsManifest>src/main/snakebridge/torch.docs.json</docsManifest>
 *   <maxClassMethods>500</maxClassMethods><classMethodScope>defined</classMethodScope>
 * </pythonDep>
 * }</pre>
 *
 * For installation by {@code snakebridge:setup}, {@code <package>} names the distribution when it differs
 * from the import name ({@code <name>sklearn</name><package>scikit-learn</package>}), {@code <version>}
 * is an exact version or a PEP 440 specifier ({@code >=1.24,<2}), {@code <extras>} lists optional
 * features, and {@code <generate>none</generate>} installs a package without generating wrappers.
 *
 * <p>Defaults: {@code generate=used}, {@code moduleMode=public}, {@code maxClassMethods=1000} (0 = no cap),
 * {@code classMethodScope=all}. Maven fills the fields; not thread-safe.
 */
public class PythonDep {
  /** The top-level module, such as {@code numpy}. Required. */
  String name;
  /** The distribution to install when it differs from {@link #name} ({@code scikit-learn} for {@code sklearn}). */
  String packageName;
  /** An exact version or a PEP 440 specifier; setup installs it, generation warns when it differs. */
  String version;
  /** Optional features to install ({@code <extras><extra>socks</extra></extras>}). */
  List<String> extras = new ArrayList<>();
  /** {@code all}, {@code used} (default), or {@code none}: installed by setup, no wrappers. */
  String generate;
  /** root, exports, public (default), explicit, docs or all. */
  String moduleMode;
  /** The docs manifest for {@code moduleMode=docs}. */
  File docsManifest;
  /** Globs over qualified Python names to keep. */
  List<String> include = new ArrayList<>();
  /** Globs over qualified Python names to leave out. */
  List<String> exclude = new ArrayList<>();
  /** Class method cap (default 1000, 0 = none). */
  Integer maxClassMethods;
  /** {@code all} (default) or {@code defined}. */
  String classMethodScope;
  /** Generator functions that get streaming variants. */
  List<String> streaming = new ArrayList<>();
  /** Members per file before a class is split (default 150). */
  Integer maxMembersPerFile;
  /** Seconds one import may take (default 60). */
  Integer importTimeout;

  /** Maven sets {@code <package>} through this ({@code package} is a Java keyword). */
  public void setPackage(String packageName) {
    this.packageName = packageName;
  }

  /** Whether wrappers are generated for this dependency ({@code <generate>none</generate>} says no). */
  public boolean generatesWrappers() {
    return generate == null || !generate.trim().equalsIgnoreCase("none");
  }

  /**
   * What setup installs for this dependency.
   *
   * @throws IllegalArgumentException naming the bad name, version or extra
   */
  public Requirement toRequirement() {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("every <pythonDep> needs a <name>");
    }
    String distribution = packageName != null && !packageName.isBlank() ? packageName.trim() : name.trim();
    return new Requirement(name.trim(), distribution, version, extras);
  }

  /** The name, for messages. */
  public String getName() {
    return name;
  }

  /**
   * The generator's spec for this dependency.
   *
   * @param basedir resolves a relative docs manifest
   * @throws IllegalArgumentException naming the bad value
   */
  public LibrarySpec toSpec(File basedir) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("every <pythonDep> needs a <name>");
    }
    LibrarySpec.Builder b = LibrarySpec.builder(name.trim()).declaredVersion(version);
    if (generate != null) {
      b.generate(GenerateMode.parse(generate));
    }
    if (moduleMode != null) {
      b.moduleMode(ModuleMode.parse(moduleMode));
    }
    if (docsManifest != null) {
      b.docsManifest((docsManifest.isAbsolute() ? docsManifest : new File(basedir, docsManifest.getPath())).toPath());
    }
    b.include(include == null ? List.of() : include).exclude(exclude == null ? List.of() : exclude);
    if (maxClassMethods != null) {
      b.maxClassMethods(maxClassMethods);
    }
    if (classMethodScope != null) {
      b.classMethodScope(ClassMethodScope.parse(classMethodScope));
    }
    b.streaming(streaming == null ? List.of() : streaming);
    if (maxMembersPerFile != null) {
      b.maxMembersPerFile(maxMembersPerFile);
    }
    if (importTimeout != null) {
      b.importTimeoutSeconds(importTimeout);
    }
    return b.build();
  }
}
