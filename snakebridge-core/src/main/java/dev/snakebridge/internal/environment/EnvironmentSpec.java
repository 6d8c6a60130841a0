package dev.snakebridge.internal.environment;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a project's Python environment should be: where it lives, what goes in it, and where packages come
 * from. Immutable and thread-safe.
 *
 * @param directory the virtual environment ({@code .snakebridge/venv} beside the build file by default)
 * @param basePython the interpreter that creates it, or null for {@code python3} on {@code PATH}
 * @param requirements the packages to install
 * @param requirementsFile an existing {@code requirements.txt} to install too, or null
 * @param findLinks directories of local wheels pip may install from
 * @param indexUrl the package index, or null for pip's own setting ({@code PIP_INDEX_URL}, pip.conf)
 * @param noIndex use no index at all: only {@code findLinks}
 * @param systemSitePackages let the environment see the base interpreter's packages (Debian's numpy)
 * @param lockFile the lock file to record what was installed in, or null
 */
public record EnvironmentSpec(
    Path directory,
    String basePython,
    List<Requirement> requirements,
    Path requirementsFile,
    List<Path> findLinks,
    String indexUrl,
    boolean noIndex,
    boolean systemSitePackages,
    Path lockFile) {

  /** Copies the lists and makes paths absolute. */
  public EnvironmentSpec {
    directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
    requirements = List.copyOf(requirements);
    findLinks = findLinks.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    requirementsFile = requirementsFile == null ? null : requirementsFile.toAbsolutePath().normalize();
    lockFile = lockFile == null ? null : lockFile.toAbsolutePath().normalize();
    if (basePython != null && basePython.isBlank()) {
      basePython = null;
    }
    if (indexUrl != null && indexUrl.isBlank()) {
      indexUrl = null;
    }
  }

  /** The environment's interpreter: {@code bin/python} inside {@link #directory()}. */
  public Path python() {
    return directory.resolve("bin").resolve("python");
  }
}
