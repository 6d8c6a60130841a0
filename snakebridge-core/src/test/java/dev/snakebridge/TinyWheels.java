package dev.snakebridge;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Real, installable wheels written by the tests (no package index is reachable): a package whose
 * {@code hello()} names itself and its version, with optional dependencies and extras.
 */
public final class TinyWheels {
  private TinyWheels() {}

  /** Writes {@code name-version-py3-none-any.whl} into {@code dir}; returns its path. */
  public static Path write(Path dir, String name, String version) throws IOException {
    return write(dir, name, version, List.of(), Map.of());
  }

  /**
   * Writes a wheel that requires {@code dependencies} and offers {@code extras} (extra → the packages it adds).
   */
  public static Path write(Path dir, String name, String version, List<String> dependencies,
      Map<String, List<String>> extras) throws IOException {
    Files.createDirectories(dir);
    String info = name + "-" + version + ".dist-info";
    StringBuilder metadata = new StringBuilder("Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n");
    dependencies.forEach(d -> metadata.append("Requires-Dist: ").append(d).append('\n'));
    extras.forEach((extra, packages) -> {
      metadata.append("Provides-Extra: ").append(extra).append('\n');
      packages.forEach(p -> metadata.append("Requires-Dist: ").append(p).append("; extra == \"").append(extra)
          .append("\"\n"));
    });
    Map<String, String> files = new LinkedHashMap<>();
    files.put(name + "/__init__.py", "__version__ = '" + version + "'\n\n\ndef hello():\n    return '"
        + name + " " + version + "'\n");
    files.put(info + "/METADATA", metadata.toString());
    files.put(info + "/WHEEL", "Wheel-Version: 1.0\nGenerator: snakebridge-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
    StringBuilder record = new StringBuilder();
    files.forEach((path, text) -> {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      record.append(path).append(",sha256=").append(Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(bytes)))
          .append(',').append(bytes.length).append('\n');
    });
    record.append(info).append("/RECORD,,\n");
    files.put(info + "/RECORD", record.toString());
    Path wheel = dir.resolve(name + "-" + version + "-py3-none-any.whl");
    try (OutputStream out = Files.newOutputStream(wheel); ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, String> f : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(f.getKey()));
        zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return wheel;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
