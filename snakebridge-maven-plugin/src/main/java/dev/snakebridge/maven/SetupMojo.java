package dev.snakebridge.maven;

import dev.snakebridge.SnakeBridgeException;
import dev.snakebridge.internal.environment.AutoInstall;
import dev.snakebridge.internal.environment.EnvironmentInstaller;
import dev.snakebridge.internal.environment.EnvironmentSpec;
import dev.snakebridge.internal.environment.InstalledEnvironment;
import dev.snakebridge.internal.environment.ProjectEnvironment;
import dev.snakebridge.internal.environment.Requirement;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Creates the project's Python environment and installs the {@code <pythonDeps>} into it (bound to
 * {@code initialize}; also {@code mvn snakebridge:setup}). Uses {@code uv} when it is on {@code PATH}, else
 * {@code python -m venv} and pip, whose {@code PIP_INDEX_URL}, {@code PIP_FIND_LINKS} and {@code
 * PIP_NO_INDEX} apply. Records what was installed in the lock, and the environment in {@code
 * META-INF/snakebridge/environment.json} among the build's classes, where the runtime finds it. A re-run
 * with nothing changed starts no process.
 */
@Mojo(name = "setup", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public class SetupMojo extends AbstractSnakeBridgeMojo {
  /** The project property through which later goals of the build (generate) use the environment. */
  static final String ENVIRONMENT_PYTHON = "snakebridge.environment.python";

  /** The virtual environment; outside {@code target/} so that {@code mvn clean} keeps it. */
  @Parameter(property = "snakebridge.venvDirectory", defaultValue = "${project.basedir}/.snakebridge/venv")
  File venvDirectory;

  /** The interpreter that creates the environment; else {@code python3} on {@code PATH}. */
  @Parameter(property = "snakebridge.basePython")
  String basePython;

  /** The package index; else pip's own setting ({@code PIP_INDEX_URL}, pip.conf). */
  @Parameter(property = "snakebridge.indexUrl")
  String indexUrl;

  /** Directories of local wheels (repeatable). */
  @Parameter
  List<File> findLinks = new ArrayList<>();

  /** Use no package index, only {@code findLinks}. */
  @Parameter(property = "snakebridge.noIndex", defaultValue = "false")
  boolean noIndex;

  /** Let the environment see the base interpreter's packages (such as Debian's numpy). */
  @Parameter(property = "snakebridge.systemSitePackages", defaultValue = "false")
  boolean systemSitePackages;

  /** An existing {@code requirements.txt}, installed as well as (or instead of) the {@code <pythonDeps>}. */
  @Parameter(property = "snakebridge.requirementsFile")
  File requirementsFile;

  /**
   * Whether the runtime may bring the environment up to date itself when a program starts and finds it
   * out of date (a fresh clone, a changed pom): {@code never}; {@code dev} (default) only when it runs from
   * a build's classes directory, as in development and tests; {@code always}, from a packaged jar too.
   * The goal itself always installs.
   */
  @Parameter(property = "snakebridge.autoInstall", defaultValue = "dev")
  String autoInstall;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("snakebridge: skipped");
      return;
    }
    EnvironmentSpec spec = spec();
    AutoInstall auto;
    try {
      auto = AutoInstall.parse(autoInstall);
    } catch (IllegalArgumentException e) {
      throw new MojoExecutionException("snakebridge: " + e.getMessage(), e);
    }
    EnvironmentInstaller installer = new EnvironmentInstaller(spec, System.getenv(), line -> getLog().info("  " + line));
    long t0 = System.nanoTime();
    InstalledEnvironment env;
    try {
      env = installer.setup();
    } catch (SnakeBridgeException e) {
      throw new MojoFailureException("snakebridge: " + e.getMessage(), e);
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    getLog().info("snakebridge: " + (env.changed() ? "set up " : "up to date: ") + env.directory() + " (Python "
        + env.pythonVersion() + ", " + env.packages().size() + " packages, " + ms + " ms)");
    ProjectEnvironment.fromLock(lockFile.toPath(), env, fixCommand()).withSetup(spec, auto)
        .writeTo(Path.of(project.getBuild().getOutputDirectory()));
    project.getProperties().setProperty(ENVIRONMENT_PYTHON, env.interpreter().toString());
  }

  EnvironmentSpec spec() throws MojoExecutionException {
    List<Requirement> requirements = new ArrayList<>();
    for (PythonDep dep : pythonDeps) {
      try {
        requirements.add(dep.toRequirement());
      } catch (IllegalArgumentException e) {
        throw new MojoExecutionException("snakebridge: bad <pythonDep> " + dep.getName() + ": " + e.getMessage(), e);
      }
    }
    return new EnvironmentSpec(venvDirectory.toPath(), basePython, requirements,
        requirementsFile == null ? null : requirementsFile.toPath(), findLinks.stream().map(File::toPath).toList(),
        indexUrl, noIndex, systemSitePackages, lockFile.toPath());
  }

  private String fixCommand() {
    Path pom = project.getFile() == null ? null : project.getFile().toPath();
    return "mvn snakebridge:setup" + (pom == null ? "" : " -f " + pom);
  }
}
