package dev.snakebridge.internal.environment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The fingerprint that makes a re-run of setup a no-op: when it equals the one the last setup recorded,
 * nothing setup depends on has changed. Also the SHA-256 of files. Stateless and thread-safe.
 */
final class SetupFingerprint {
  private SetupFingerprint() {}

  /**
   * A hash of everything setup depends on, computed without starting a process: the spec, the contents of
   * the requirements file, the wheels in the find-links directories (names, sizes, times), and pip's
   * variables.
   */
  static String of(EnvironmentSpec spec, Map<String, String> env) {
    MessageDigest md = digest();
    StringBuilder s = new StringBuilder();
    s.append("base=").append(spec.basePython()).append('\n');
    s.append("system=").append(spec.systemSitePackages()).append('\n');
    s.append("noIndex=").append(spec.noIndex()).append(" index=").append(spec.indexUrl()).append('\n');
    spec.requirements().forEach(r -> s.append("req=").append(r.pipSpec()).append('\n'));
    for (String var : List.of("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_NO_INDEX")) {
      s.append(var).append('=').append(env.getOrDefault(var, "")).append('\n');
    }
    s.append("uv=").append(InterpreterPaths.findOnPath("uv", env.getOrDefault("PATH", "")).isPresent()).append('\n');
    try {
      if (spec.requirementsFile() != null) {
        s.append("requirements=").append(Files.isRegularFile(spec.requirementsFile())
            ? sha256(spec.requirementsFile()) : "missing").append('\n');
      }
      for (Path dir : spec.findLinks()) {
        s.append("links=").append(dir).append('\n');
        if (Files.isDirectory(dir)) {
          try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
              s.append(f.getFileName()).append(' ').append(Files.size(f)).append(' ')
                  .append(Files.getLastModifiedTime(f).toMillis()).append('\n');
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(md.digest(s.toString().getBytes(StandardCharsets.UTF_8)));
  }

  static String sha256(Path file) {
    MessageDigest md = digest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[65536];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

}
