package dev.snakebridge.internal.worker;

import dev.snakebridge.internal.telemetry.Logs;
import dev.snakebridge.internal.transport.PrivateDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import org.slf4j.Logger;

/**
 * Writes a set of files into a cache directory named by a hash of their names and contents, atomically:
 * the files go into a staging directory that is renamed into place, so concurrent JVMs never see half a
 * directory, and a directory that exists is never written again.
 *
 * <p>A directory found in place is used only once its files have been compared with the ones shipped
 * (once per JVM). A cache root that cannot be written (a read-only home, {@code HOME=/} under a random
 * uid, a read-only root file system) is replaced by {@code java.io.tmpdir/snakebridge-<uid>}, created
 * with mode 0700 and refused when another user owns it or may write to it; that is logged once. Nothing
 * is written anywhere else.
 *
 * <p>Thread-safe.
 */
final class CacheDirectory {
  private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();
  /** Directories whose files were compared with the shipped ones in this JVM. */
  private static final Set<Path> VERIFIED = ConcurrentHashMap.newKeySet();

  private CacheDirectory() {}

  /** {@code cacheRoot/<prefix>-<hash>}, holding {@code files} (relative path to content). */
  static Path materialize(Path cacheRoot, String prefix, Map<String, byte[]> files) throws IOException {
    return materialize(cacheRoot, prefix, files, hash(files));
  }

  /**
   * As above, with {@code hash} the {@link #hash(Map)} of {@code files}, computed before; under the
   * private temporary root when {@code cacheRoot} cannot hold it.
   */
  static Path materialize(Path cacheRoot, String prefix, Map<String, byte[]> files, String hash) throws IOException {
    try {
      return materializeIn(cacheRoot, prefix, files, hash);
    } catch (IOException | UnsupportedOperationException e) {
      Path fallback;
      try {
        fallback = privateTemporaryRoot();
      } catch (IOException unusable) {
        unusable.addSuppressed(e); // why the configured root was not used either
        throw unusable;
      }
      if (fallback.equals(cacheRoot)) {
        throw e;
      }
      if (FALLBACK_LOGGED.compareAndSet(false, true)) {
        log().info("worker cache directory {} cannot be used ({}): using {} (set workerCacheDir to choose another)",
            cacheRoot, e.toString(), fallback);
      }
      return materializeIn(fallback, prefix, files, hash);
    }
  }

  private static Path materializeIn(Path cacheRoot, String prefix, Map<String, byte[]> files, String hash)
      throws IOException {
    if (!cacheRoot.isAbsolute()) {
      // user.home is "?" when the uid has no passwd entry and HOME is unset: never write under the cwd.
      throw new IOException(cacheRoot + " is not an absolute path");
    }
    Path target = cacheRoot.resolve(prefix + "-" + hash);
    if (Files.isDirectory(target)) {
      if (VERIFIED.contains(target) || matches(target, files)) {
        VERIFIED.add(target);
        return target;
      }
      // Changed since it was written (an edit, a partial copy): set aside, never used or trusted.
      Path stale = Files.createTempDirectory(cacheRoot, ".stale-" + prefix + "-");
      Files.move(target, stale.resolve("tree"), StandardCopyOption.ATOMIC_MOVE);
      deleteTree(stale);
    }
    createPrivateDirectories(cacheRoot);
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
      // Another JVM materialised the same files first; theirs are identical (checked next time).
      deleteTree(staging);
    }
    VERIFIED.add(target);
    return target;
  }

  /** Whether every file under {@code dir} named in {@code files} holds exactly the expected bytes. */
  private static boolean matches(Path dir, Map<String, byte[]> files) {
    try {
      for (Map.Entry<String, byte[]> e : files.entrySet()) {
        if (!Arrays.equals(Files.readAllBytes(dir.resolve(e.getKey())), e.getValue())) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    try {
      Files.createDirectories(dir, PrivateDirectory.ownerOnly());
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir); // not a POSIX file system
    }
  }

  /** The {@link #privateTemporaryRoot} when it exists already (and passes its checks), else empty. */
  static Optional<Path> existingPrivateTemporaryRoot() {
    try {
      Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
      return Files.isDirectory(tmp.toAbsolutePath().resolve(PrivateDirectory.PREFIX + PrivateDirectory.uid()))
          ? Optional.of(privateTemporaryRoot())
          : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** {@code java.io.tmpdir/snakebridge-<uid>}, a {@link PrivateDirectory}. */
  static Path privateTemporaryRoot() throws IOException {
    return PrivateDirectory.in(Path.of(System.getProperty("java.io.tmpdir")), "the worker cache",
        "; remove it or set workerCacheDir");
  }

  /**
   * A name for the files, not a seal: 64 bits of CRC-32C and CRC-32 over names and contents. The
   * directory's bytes are compared with the shipped ones before first use anyway, so a collision costs a
   * rewrite, never a wrong worker; a cryptographic digest would load the JDK's security providers on
   * the first call's path (~30 ms of a cold JVM) for nothing.
   */
  static String hash(Map<String, byte[]> files) {
    CRC32C crc32c = new CRC32C();
    CRC32 crc32 = new CRC32();
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
      for (Checksum sum : new Checksum[] {crc32c, crc32}) {
        sum.update(name, 0, name.length);
        sum.update(0);
        sum.update(e.getValue(), 0, e.getValue().length);
      }
    }
    return HexFormat.of().toHexDigits((crc32c.getValue() << 32) | crc32.getValue());
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

  private static Logger log() {
    return Logs.get("snakebridge.worker");
  }
}
