package dev.snakebridge.maven;

import dev.snakebridge.codegen.CodegenException;
import dev.snakebridge.codegen.DocsManifest;
import dev.snakebridge.codegen.Introspector;
import dev.snakebridge.codegen.SphinxInventory;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Writes a docs manifest for {@code moduleMode=docs}: from a Sphinx {@code objects.inv} when one is given
 * (no Python needed), else from the library's public module list. Review it, then commit it:
 *
 * <pre>
 * mvn snakebridge:docs-manifest -Dsnakebridge.library=torch -Dsnakebridge.inventory=objects.inv
 * </pre>
 */
@Mojo(name = "docs-manifest", threadSafe = true, requiresProject = false)
public class DocsManifestMojo extends AbstractSnakeBridgeMojo {
  /** The library (top-level module). */
  @Parameter(property = "snakebridge.library", required = true)
  String library;

  /** A Sphinx inventory ({@code objects.inv}) of the library's documentation. */
  @Parameter(property = "snakebridge.inventory")
  File inventory;

  /** Where to write the manifest. */
  @Parameter(property = "snakebridge.output", defaultValue = "src/main/snakebridge/${snakebridge.library}.docs.json")
  File output;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    try {
      DocsManifest manifest = inventory != null
          ? DocsManifest.fromInventory(library, SphinxInventory.read(inventory.toPath()))
          : DocsManifest.fromPublicModules(library, new Introspector(interpreter(), workDirectory.toPath())
              .publicModules(library, line -> getLog().debug(line)));
      if (output.getParentFile() != null) {
        Files.createDirectories(output.getParentFile().toPath());
      }
      Files.writeString(output.toPath(), manifest.toJson(), StandardCharsets.UTF_8);
      getLog().info("snakebridge: wrote " + output + " (" + manifest.modules().size() + " modules from "
          + manifest.source() + "); review it before use");
    } catch (IOException e) {
      throw new MojoExecutionException("snakebridge: cannot write the docs manifest: " + e.getMessage(), e);
    } catch (CodegenException e) {
      throw new MojoFailureException("snakebridge: " + e.getMessage(), e);
    }
  }
}
