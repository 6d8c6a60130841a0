package dev.snakebridge.maven;

import dev.snakebridge.codegen.BuildFiles;
import dev.snakebridge.codegen.Codegen;
import dev.snakebridge.codegen.CodegenException;
import dev.snakebridge.codegen.GenerateMode;
import dev.snakebridge.codegen.LibrarySpec;
import dev.snakebridge.codegen.SourceUsage;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Generates typed Java wrappers for the {@code <pythonDeps>} (bound to {@code generate-sources}) and adds
 * them to the compile sources. Incremental: a library whose version, options and (in used mode) uses are
 * unchanged is not regenerated. Writes the manifest and the lock beside the pom. With {@code strict}, runs
 * no Python: it fails when the sources use a symbol the committed manifest lacks, when committed generated
 * sources differ from the manifest (edited, missing or extra files), or when the pom's options differ from
 * the lock's.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class GenerateMojo extends AbstractSnakeBridgeMojo {
  /** Build from committed generated sources without Python; fail when the code uses a symbol the manifest lacks. */
  @Parameter(property = "snakebridge.strict", defaultValue = "false")
  boolean strict;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("snakebridge: skipped");
      return;
    }
    List<LibrarySpec> specs = specs();
    project.addCompileSourceRoot(outputDirectory.getAbsolutePath());
    if (strict) {
      strictCheck(specs);
      return;
    }
    Codegen codegen = codegen();
    try {
      SourceUsage usage = specs.stream().anyMatch(s -> s.generate() == GenerateMode.USED) ? usage() : null;
      for (LibrarySpec spec : specs) {
        codegen.generate(spec, outputDirectory.toPath(), usage);
      }
      BuildFiles.write(workDirectory.toPath(), specs, javaPackage, manifestFile.toPath(), lockFile.toPath());
    } catch (CodegenException e) {
      throw new MojoFailureException("snakebridge: " + e.getMessage(), e);
    }
    getLog().info("snakebridge: coverage reports in " + workDirectory.toPath().resolve("reports"));
  }

  private void strictCheck(List<LibrarySpec> specs) throws MojoFailureException {
    List<String> problems = BuildFiles.strictCheck(manifestFile.toPath(), lockFile.toPath(), specs, usage(),
        outputDirectory.toPath());
    if (!problems.isEmpty()) {
      throw new MojoFailureException("snakebridge strict: the sources, the pom and the committed manifest and lock"
          + " disagree:\n  " + String.join("\n  ", problems));
    }
    getLog().info("snakebridge strict: sources agree with " + manifestFile.getName() + "; no Python used");
  }
}
