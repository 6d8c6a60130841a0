package dev.snakebridge.maven;

import dev.snakebridge.codegen.Codegen;
import dev.snakebridge.codegen.CodegenException;
import dev.snakebridge.codegen.LibrarySpec;
import dev.snakebridge.codegen.SourceUsage;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Previews generation without writing sources: per library the modules, classes, functions and methods,
 * the files and lines it would write, what the guardrails cut, and the modules that failed to import
 * ({@code mvn snakebridge:plan}).
 */
@Mojo(name = "plan", threadSafe = true)
public class PlanMojo extends AbstractSnakeBridgeMojo {
  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      return;
    }
    Codegen codegen = codegen();
    try {
      SourceUsage usage = usage();
      for (LibrarySpec spec : specs()) {
        for (String line : codegen.plan(spec, usage).planText().split("\n")) {
          getLog().info(line);
        }
      }
    } catch (CodegenException e) {
      throw new MojoFailureException("snakebridge: " + e.getMessage(), e);
    }
  }
}
