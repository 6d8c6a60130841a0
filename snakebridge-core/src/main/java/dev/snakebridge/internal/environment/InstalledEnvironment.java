package dev.snakebridge.internal.environment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a project environment holds after setup: its interpreter, the Python version, and every package that
 * matters (those installed into it, and declared ones the base interpreter provides). This is the
 * {@code environment} section of the lock file. Immutable.
 *
 * @param directory the virtual environment
 * @param interpreter its {@code bin/python}
 * @param pythonVersion such as {@code 3.11.2}
 * @param tool what installed it: {@code pip} or {@code uv}
 * @param fingerprint a hash of everything the setup depended on; equal means a re-run has nothing to do
 * @param packages by distribution name
 * @param declared the requirements as declared (pip syntax), for messages and the doctor
 * @param changed whether this setup installed anything (false for a no-op re-run)
 */
public record InstalledEnvironment(
    Path directory,
    Path interpreter,
    String pythonVersion,
    String tool,
    String fingerprint,
    List<InstalledPackage> packages,
    List<String> declared,
    boolean changed) {

  public InstalledEnvironment {
    packages = List.copyOf(packages);
    declared = List.copyOf(declared);
  }

  /** The package named {@code distribution} (compared as PEP 503 names), or null. */
  public InstalledPackage find(String distribution) {
    String wanted = Requirement.normalize(distribution);
    return packages.stream().filter(p -> Requirement.normalize(p.name()).equals(wanted)).findFirst().orElse(null);
  }

  /** The same environment, marked as unchanged by this run. */
  InstalledEnvironment unchanged() {
    return new InstalledEnvironment(directory, interpreter, pythonVersion, tool, fingerprint, packages, declared, false);
  }

  /** The lock file's {@code environment} section. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("directory", directory.toString());
    m.put("interpreter", interpreter.toString());
    m.put("python", pythonVersion);
    m.put("tool", tool);
    m.put("fingerprint", fingerprint);
    m.put("declared", new ArrayList<>(declared));
    Map<String, Object> pkgs = new LinkedHashMap<>();
    for (InstalledPackage p : packages) {
      pkgs.put(p.name(), p.toJson());
    }
    m.put("packages", pkgs);
    return m;
  }

  /**
   * Reads a lock's {@code environment} section.
   *
   * @throws IllegalArgumentException when a required entry is missing
   */
  public static InstalledEnvironment fromJson(Map<?, ?> m) {
    List<InstalledPackage> pkgs = new ArrayList<>();
    Object packages = m.get("packages");
    if (packages instanceof Map<?, ?> pm) {
      pm.forEach((name, entry) -> pkgs.add(InstalledPackage.fromJson(String.valueOf(name), (Map<?, ?>) entry)));
    }
    List<String> declared = new ArrayList<>();
    if (m.get("declared") instanceof List<?> d) {
      d.forEach(x -> declared.add(String.valueOf(x)));
    }
    Object interpreter = m.get("interpreter");
    if (interpreter == null) {
      throw new IllegalArgumentException("the environment section has no interpreter");
    }
    Object dir = m.get("directory");
    return new InstalledEnvironment(Path.of(dir == null ? interpreter.toString() : dir.toString()),
        Path.of(interpreter.toString()), String.valueOf(m.get("python")), String.valueOf(m.get("tool")),
        String.valueOf(m.get("fingerprint")), pkgs, declared, false);
  }
}
