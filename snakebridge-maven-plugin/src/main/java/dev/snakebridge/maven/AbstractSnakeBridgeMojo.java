package dev.snakebridge.maven;

import dev.snakebridge.codegen.Codegen;
import dev.snakebridge.codegen.LibrarySpec;
import dev.snakebridge.codegen.PythonInterpreter;
import dev.snakebridge.codegen.SourceUsage;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/** The configuration the goals share: interpreter, root package, Python dependencies, directories. */
abstract class AbstractSnakeBridgeMojo extends AbstractMojo {
  /** The interpreter that introspects; else the environment of snakebridge:setup, SNAKEBRIDGE_PYTHON, VIRTUAL_ENV, python3 on PATH. */
  @Parameter(property = "snakebridge.python")
  String python;

  /** Extra directories where the introspector finds the libraries' modules (before PYTHONPATH). */
  @Parameter
  List<File> pythonPath = new ArrayList<>();

  /** The root package of the generated classes. */
  @Parameter(property = "snakebridge.javaPackage", defaultValue = "dev.snakebridge.py")
  String javaPackage;

  /** The Python libraries to generate wrappers for. */
  @Parameter
  List<PythonDep> pythonDeps = new ArrayList<>();

  /** Where the generated sources go (commit a directory under src/ for strict builds). */
  @Parameter(property = "snakebridge.outputDirectory",
      defaultValue = "${project.build.directory}/generated-sources/snakebridge")
  File outputDirectory;

  /** Caches (models), state for incremental runs, and coverage reports. */
  @Parameter(property = "snakebridge.workDirectory", defaultValue = "${project.build.directory}/snakebridge")
  File workDirectory;

  /** The manifest of generated symbols, beside the pom. */
  @Parameter(property = "snakebridge.manifest", defaultValue = "${project.basedir}/snakebridge.manifest.json")
  File manifestFile;

  /** The lock of versions, beside the pom. */
  @Parameter(property = "snakebridge.lock", defaultValue = "${project.basedir}/snakebridge.lock.json")
  File lockFile;

  /** Skips the goal. */
  @Parameter(property = "snakebridge.skip", defaultValue = "false")
  boolean skip;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  List<LibrarySpec> specs() throws MojoExecutionException {
    List<LibrarySpec> specs = new ArrayList<>();
    for (PythonDep dep : pythonDeps) {
      if (!dep.generatesWrappers()) {
        continue; // installed by setup only
      }
      try {
        specs.add(dep.toSpec(project.getBasedir()));
      } catch (IllegalArgumentException e) {
        throw new MojoExecutionException("snakebridge: bad <pythonDep> " + dep.getName() + ": " + e.getMessage(), e);
      }
    }
    return specs;
  }

  Codegen codegen() throws MojoExecutionException {
    return new Codegen(interpreter(), workDirectory.toPath(), pythonPath.stream().map(File::toPath).toList(),
        javaPackage, this::log);
  }

  PythonInterpreter interpreter() throws MojoExecutionException {
    try {
      // After snakebridge:setup in this build, wrappers describe the project environment's libraries.
      Object environment = project == null ? null : project.getProperties().get(SetupMojo.ENVIRONMENT_PYTHON);
      PythonInterpreter p = (python == null || python.isBlank()) && environment != null
          ? new PythonInterpreter(environment.toString(), "project environment")
          : PythonInterpreter.resolve(python);
      getLog().info("snakebridge: Python " + p);
      return p;
    } catch (RuntimeException e) {
      throw new MojoExecutionException(e.getMessage(), e);
    }
  }

  /** Logs a line of the generator: warnings as warnings. */
  void log(String line) {
    if (line.startsWith("WARNING: ")) {
      getLog().warn("snakebridge: " + line.substring(9));
    } else {
      getLog().info("snakebridge: " + line);
    }
  }

  /** The project's main and test sources, less the generated ones. */
  SourceUsage usage() {
    List<Path> roots = new ArrayList<>();
    Path generated = outputDirectory.toPath().toAbsolutePath().normalize();
    for (String root : project.getCompileSourceRoots()) {
      roots.add(Path.of(root));
    }
    for (String root : project.getTestCompileSourceRoots()) {
      roots.add(Path.of(root));
    }
    // Kotlin: kotlin-maven-plugin adds its source roots only when it compiles, after generate-sources.
    for (String kotlin : List.of("src/main/kotlin", "src/test/kotlin")) {
      Path dir = project.getBasedir().toPath().resolve(kotlin);
      if (java.nio.file.Files.isDirectory(dir) && !roots.contains(dir)) {
        roots.add(dir);
      }
    }
    roots.removeIf(r -> r.toAbsolutePath().normalize().equals(generated));
    return SourceUsage.scan(roots);
  }
}
