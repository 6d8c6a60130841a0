package dev.snakebridge.internal.environment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** The spec as the environment resource records it. */
  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("directory", directory.toString());
    m.put("basePython", basePython);
    m.put("requirements", new ArrayList<>(requirements.stream().map(Requirement::pipSpec).toList()));
    m.put("requirementsFile", requirementsFile == null ? null : requirementsFile.toString());
    m.put("findLinks", new ArrayList<>(findLinks.stream().map(Path::toString).toList()));
    m.put("indexUrl", indexUrl);
    m.put("noIndex", noIndex);
    m.put("systemSitePackages", systemSitePackages);
    m.put("lockFile", lockFile == null ? null : lockFile.toString());
    return m;
  }

  /** Reads what {@link #toJson()} wrote. */
  static EnvironmentSpec fromJson(Map<?, ?> m) {
    List<Requirement> requirements = new ArrayList<>();
    if (m.get("requirements") instanceof List<?> reqs) {
      reqs.forEach(r -> requirements.add(Requirement.parse(String.valueOf(r))));
    }
    List<Path> links = new ArrayList<>();
    if (m.get("findLinks") instanceof List<?> l) {
      l.forEach(x -> links.add(Path.of(String.valueOf(x))));
    }
    return new EnvironmentSpec(Path.of(String.valueOf(m.get("directory"))), text(m, "basePython"), requirements,
        path(m, "requirementsFile"), links, text(m, "indexUrl"), Boolean.TRUE.equals(m.get("noIndex")),
        Boolean.TRUE.equals(m.get("systemSitePackages")), path(m, "lockFile"));
  }

  private static String text(Map<?, ?> m, String key) {
    return m.get(key) == null ? null : m.get(key).toString();
  }

  private static Path path(Map<?, ?> m, String key) {
    return m.get(key) == null ? null : Path.of(m.get(key).toString());
  }

  /** The environment's interpreter: {@code bin/python} inside {@link #directory()}. */
  public Path python() {
    return directory.resolve("bin").resolve("python");
  }
}
