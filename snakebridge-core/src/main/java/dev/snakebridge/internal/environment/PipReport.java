package dev.snakebridge.internal.environment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads pip's installation report ({@code pip install --report}). Stateless and thread-safe. */
final class PipReport {
  private PipReport() {}

  /** The SHA-256 of each wheel pip installed, by PEP 503 name; empty when there is no report. */
  @SuppressWarnings("unchecked")
  static Map<String, String> wheelHashes(Path report) throws IOException {
    Map<String, String> hashes = new LinkedHashMap<>();
    if (!Files.isRegularFile(report) || Files.size(report) == 0) {
      return hashes;
    }
    Object parsed = Json.parse(Files.readString(report, StandardCharsets.UTF_8));
    if (parsed instanceof Map<?, ?> m && m.get("install") instanceof List<?> installs) {
      for (Object o : installs) {
        Map<String, Object> item = (Map<String, Object>) o;
        Map<String, Object> meta = (Map<String, Object>) item.getOrDefault("metadata", Map.of());
        Map<String, Object> download = (Map<String, Object>) item.getOrDefault("download_info", Map.of());
        Map<String, Object> archive = (Map<String, Object>) download.getOrDefault("archive_info", Map.of());
        Object sha = archive.get("hashes") instanceof Map<?, ?> h ? h.get("sha256") : null;
        if (sha == null && archive.get("hash") instanceof String s && s.startsWith("sha256=")) {
          sha = s.substring(7);
        }
        if (meta.get("name") != null && sha != null) {
          hashes.put(Requirement.normalize(meta.get("name").toString()), sha.toString());
        }
      }
    }
    return hashes;
  }

}
