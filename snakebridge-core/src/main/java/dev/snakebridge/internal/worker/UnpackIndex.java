package dev.snakebridge.internal.worker;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.CodeSource;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * Remembers, in the cache root, which directory a jar's files were unpacked to, keyed by the jar's path
 * and stamped with its size, modification time and file key: a later JVM started from the same,
 * unchanged jar finds its directory with one small read and two {@code stat}s, instead of inflating
 * every file from the jar, hashing them and comparing them with the directory's (tens of milliseconds of
 * a cold JVM, on the first call's path). A replaced or rebuilt jar has another stamp and takes the full
 * path again. Only for a plain jar file: classes in a directory (a build's {@code target/classes}) or in
 * a nested jar always take the full path.
 *
 * <p>An index file lies beside the directories it names, in the same owner-only cache root, and trusts
 * them as much as the full path trusts a directory it has compared once in a JVM. Thread-safe; a lost
 * race between two JVMs writes the same content twice.
 */
final class UnpackIndex {
  private UnpackIndex() {}

  /** The plain jar file {@code type} was loaded from, or empty (a directory, a nested jar, unknown). */
  static Optional<Path> jarOf(Class<?> type) {
    try {
      CodeSource source = type.getProtectionDomain().getCodeSource();
      URL location = source == null ? null : source.getLocation();
      if (location == null || !"file".equals(location.getProtocol())) {
        return Optional.empty();
      }
      Path path = Path.of(location.toURI());
      return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Size, modification time and file key (device and inode) of {@code jar}: what a rewrite changes. */
  static String stamp(Path jar) throws IOException {
    BasicFileAttributes a = Files.readAttributes(jar, BasicFileAttributes.class);
    // In nanoseconds: FileTime's text form would load java.time's calendar classes on the first call's path.
    return a.size() + " " + a.lastModifiedTime().to(TimeUnit.NANOSECONDS) + " " + a.fileKey();
  }

  /** The directory recorded for {@code jar} (with {@code stamp}) under {@code root}, when it still exists. */
  static Optional<Path> lookup(Path root, String prefix, Path jar, String stamp) {
    try {
      String[] lines = Files.readString(indexFile(root, prefix, jar), StandardCharsets.UTF_8).split("\n");
      if (lines.length < 2 || !lines[0].equals(stamp) || lines[1].isEmpty() || lines[1].contains("/")) {
        return Optional.empty();
      }
      Path dir = root.resolve(lines[1]);
      return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Records {@code dir} (a child of its cache root) for {@code jar} with {@code stamp}; best effort. */
  static void record(String prefix, Path jar, String stamp, Path dir) {
    Path root = dir.getParent();
    try {
      Path temporary = Files.createTempFile(root, ".index-", ".tmp");
      try {
        Files.writeString(temporary, stamp + "\n" + dir.getFileName() + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, indexFile(root, prefix, jar), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException | RuntimeException e) {
      // Without an index the next start takes the full path: slower, never wrong.
    }
  }

  /** {@code root/.<prefix>-index-<CRC-32C of the jar's absolute path>}. */
  private static Path indexFile(Path root, String prefix, Path jar) {
    CRC32C crc = new CRC32C();
    crc.update(jar.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
    return root.resolve("." + prefix + "-index-" + HexFormat.of().toHexDigits((int) crc.getValue()));
  }
}
