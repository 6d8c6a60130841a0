package dev.snakebridge;

import dev.snakebridge.internal.environment.EnvironmentCheck;
import dev.snakebridge.internal.environment.EnvironmentCommand;
import dev.snakebridge.internal.environment.EnvironmentInstaller;
import dev.snakebridge.internal.environment.EnvironmentSpec;
import dev.snakebridge.internal.environment.Requirement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A project-local Python virtual environment with declared packages: what {@code mvn snakebridge:setup}
 * does, for programs built without Maven. Python equivalent: {@code python -m venv DIR} and {@code pip
 * install ...} (or {@code uv venv} and {@code uv pip install} when {@code uv} is on {@code PATH}).
 *
 * <pre>{@code
 * PythonEnvironment env = PythonEnvironment.builder(Path.of(".snakebridge/venv"))
 *     .require("numpy>=1.24,<2").require("scikit-learn==1.3.0")
 *     .findLinks(Path.of("wheels")).noIndex(true)
 *     .lockFile(Path.of("snakebridge.lock.json"))
 *     .build();
 * env.setup(System.out::println);   // a no-op when nothing changed
 * SnakeBridgeRuntime runtime = SnakeBridgeRuntime.create(
 *     SnakeBridgeConfig.builder().pythonExecutable(env.interpreter().toString()).build());
 * }</pre>
 *
 * <p>pip's own variables ({@code PIP_INDEX_URL}, {@code PIP_FIND_LINKS}, {@code PIP_NO_INDEX}) apply too.
 * From the command line: {@code java -cp ... dev.snakebridge.PythonEnvironment setup|doctor} (see
 * docs/ENVIRONMENTS.md). Immutable and thread-safe; two setups of one directory at once are not guarded
 * against.
 */
public final class PythonEnvironment {
  private final EnvironmentSpec spec;

  private PythonEnvironment(EnvironmentSpec spec) {
    this.spec = spec;
  }

  /** A builder for the environment in {@code directory}. */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /** The environment's directory. */
  public Path directory() {
    return spec.directory();
  }

  /** The environment's interpreter, {@code bin/python} in {@link #directory()}. */
  public Path interpreter() {
    return spec.python();
  }

  /**
   * Creates the environment if needed and installs what is declared; records what is installed in the
   * lock file when one is set. Does nothing, and starts no process, when nothing changed since the last
   * setup.
   *
   * @param progress receives each line the tools print
   * @return whether anything was done
   * @throws SnakeBridgeException when a tool fails: the message names the package and quotes the tool
   */
  public boolean setup(Consumer<String> progress) {
    boolean changed = new EnvironmentInstaller(spec, System.getenv(), Objects.requireNonNull(progress)).setup().changed();
    if (changed) {
      EnvironmentCheck.forget();
    }
    return changed;
  }

  /** Whether {@link #setup} would have nothing to do (starts no process). */
  public boolean upToDate() {
    return new EnvironmentInstaller(spec, System.getenv(), line -> {}).upToDate();
  }

  /**
   * The command line: {@code setup [options] REQUIREMENT...} or {@code doctor}; run without arguments for
   * the options. Exits with status 0 when all is well, 1 when setup failed or the doctor found a problem,
   * 2 on bad arguments.
   */
  public static void main(String[] args) {
    System.exit(EnvironmentCommand.run(args, System.out::println, System.err::println));
  }

  /** Builds a {@link PythonEnvironment}. Not thread-safe. */
  public static final class Builder {
    private final Path directory;
    private String basePython;
    private final List<Requirement> requirements = new ArrayList<>();
    private Path requirementsFile;
    private final List<Path> findLinks = new ArrayList<>();
    private String indexUrl;
    private boolean noIndex;
    private boolean systemSitePackages;
    private Path lockFile;

    private Builder(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** The interpreter that creates the environment (default: {@code python3} on {@code PATH}). */
    public Builder basePython(String python) {
      this.basePython = python;
      return this;
    }

    /**
     * A package in pip's syntax: {@code numpy}, {@code numpy==1.26.0}, {@code numpy>=1.24,<2},
     * {@code requests[socks]==2.31.0}.
     *
     * @throws IllegalArgumentException naming the text when it is not a requirement
     */
    public Builder require(String requirement) {
      requirements.add(Requirement.parse(requirement));
      return this;
    }

    /** An existing {@code requirements.txt} to install too. */
    public Builder requirementsFile(Path file) {
      this.requirementsFile = file;
      return this;
    }

    /** A directory of wheels pip may install from (repeatable). */
    public Builder findLinks(Path directory) {
      findLinks.add(Objects.requireNonNull(directory, "directory"));
      return this;
    }

    /** The package index (default: pip's own setting). */
    public Builder indexUrl(String url) {
      this.indexUrl = url;
      return this;
    }

    /** Whether to use no index at all, only {@link #findLinks} (default {@code false}). */
    public Builder noIndex(boolean noIndex) {
      this.noIndex = noIndex;
      return this;
    }

    /** Whether the environment sees the base interpreter's packages, such as Debian's numpy (default {@code false}). */
    public Builder systemSitePackages(boolean enabled) {
      this.systemSitePackages = enabled;
      return this;
    }

    /** The lock file to record what was installed in ({@code snakebridge.lock.json}); default none. */
    public Builder lockFile(Path lock) {
      this.lockFile = lock;
      return this;
    }

    /** The environment. */
    public PythonEnvironment build() {
      return new PythonEnvironment(new EnvironmentSpec(directory, basePython, requirements, requirementsFile,
          findLinks, indexUrl, noIndex, systemSitePackages, lockFile));
    }
  }
}
