package dev.snakebridge.internal.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a set of files into a cache directory named by a hash of their names and contents, atomically:
 * the files go into a staging directory that is renamed into place, so concurrent JVMs never see half a
 * directory, and a directory that exists is never written again.
 */
final class CacheDirectory {
  private CacheDirectory() {}

  /** {@code cacheRoot/<prefix>-<hash>}, holding {@code files} (relative path to content). */
  static Path materialize(Path cacheRoot, String prefix, Map<String, byte[]> files) throws IOException {
    return materialize(cacheRoot, prefix, files, hash(files));
  }

  /** As above, with {@code hash} the {@link #hash(Map)} of {@code files}, computed before. */
  static Path materialize(Path cacheRoot, String prefix, Map<String, byte[]> files, String hash) throws IOException {
    Path target = cacheRoot.resolve(prefix + "-" + hash);
    if (Files.isDirectory(target)) {
      return target;
    }
    Files.createDirectories(cacheRoot);
    Path staging = Files.createTempDirectory(cacheRoot, ".staging-" + prefix + "-");
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Path file = staging.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.write(file, e.getValue());
    }
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException raced) {
      if (!Files.isDirectory(target)) {
        throw raced;
      }
      // Another JVM materialised the same files first; theirs are identical.
      deleteTree(staging);
    }
    return target;
  }

  static String hash(Map<String, byte[]> files) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(e.getValue());
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // A leftover staging directory wastes a few KiB and is harmless.
    }
  }
}
