package dev.snakebridge.internal.environment;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One distribution found in an environment after setup. Immutable.
 *
 * @param name the distribution name as its metadata spells it
 * @param version its version
 * @param sha256 the hash of the wheel it was installed from, or null when unknown (uv, or already present)
 * @param system whether it belongs to the base interpreter (seen through {@code systemSitePackages})
 */
public record InstalledPackage(String name, String version, String sha256, boolean system) {

  /** The lock file's entry. */
  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", version);
    if (sha256 != null) {
      m.put("sha256", sha256);
    }
    if (system) {
      m.put("source", "system");
    }
    return m;
  }

  static InstalledPackage fromJson(String name, Map<?, ?> m) {
    Object hash = m.get("sha256");
    return new InstalledPackage(name, String.valueOf(m.get("version")), hash == null ? null : hash.toString(),
        "system".equals(m.get("source")));
  }
}
