package dev.snakebridge.internal.worker;

import dev.snakebridge.SnakeBridgeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Unpacks the Python worker shipped in the jar (or in {@code target/classes}) to a cache directory
 * named by a hash of its files, so every build with different worker code gets its own directory even
 * when the version string (a snapshot) is the same.
 */
public final class WorkerFiles {
  private static final String RESOURCE_ROOT = "/dev/snakebridge/python/";
  /** The script the interpreter runs; it lies in the root of the unpacked directory. */
  public static final String BOOT_SCRIPT = "snakebridge_boot.py";

  private WorkerFiles() {}

  /** The shipped files and their {@link CacheDirectory#hash(Map)}. */
  private record Shipped(Map<String, byte[]> files, String hash) {}

  /**
   * Read once per JVM (two threads may both read it first; they get the same): the files cannot change
   * while it runs, and reading and hashing them again cost ~3 ms of every later runtime's start.
   */
  private static volatile Shipped shipped;

  private static Shipped shipped() throws IOException {
    Shipped s = shipped;
    if (s == null) {
      Map<String, byte[]> files = Collections.unmodifiableMap(readShippedFiles());
      s = new Shipped(files, CacheDirectory.hash(files));
      shipped = s;
    }
    return s;
  }

  /**
   * Returns the unpacked worker directory under {@code cacheRoot} (or the private temporary root when
   * that cannot be written), unpacking it when missing. From an unchanged jar that was unpacked before,
   * the {@link UnpackIndex} names the directory without reading the jar.
   */
  public static Path unpack(Path cacheRoot) {
    try {
      Optional<Path> jar = UnpackIndex.jarOf(WorkerFiles.class);
      String stamp = jar.isPresent() ? UnpackIndex.stamp(jar.get()) : null;
      if (stamp != null) {
        Optional<Path> known = UnpackIndex.lookup(cacheRoot, "worker", jar.get(), stamp);
        if (known.isEmpty() && !Files.isWritable(cacheRoot)) { // a read-only home: unpacked there before?
          known = CacheDirectory.existingPrivateTemporaryRoot()
              .flatMap(root -> UnpackIndex.lookup(root, "worker", jar.get(), stamp));
        }
        if (known.isPresent()) {
          return known.get();
        }
      }
      Shipped s = shipped();
      Path dir = CacheDirectory.materialize(cacheRoot, "worker", s.files(), s.hash());
      if (stamp != null) {
        UnpackIndex.record("worker", jar.get(), stamp, dir);
      }
      return dir;
    } catch (IOException e) {
      throw new SnakeBridgeException(
          "cannot unpack the Python worker into " + cacheRoot + " (set workerCacheDir to a writable directory)", e);
    }
  }

  /** The worker's files, relative path to content, as listed in the shipped MANIFEST. */
  static Map<String, byte[]> readShippedFiles() throws IOException {
    String manifest = new String(resource("MANIFEST"), StandardCharsets.UTF_8);
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String line : manifest.split("\n")) {
      String name = line.strip();
      if (!name.isEmpty()) {
        files.put(name, resource(name));
      }
    }
    return files;
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = WorkerFiles.class.getResourceAsStream(RESOURCE_ROOT + name)) {
      if (in == null) {
        throw new IOException("worker file " + name + " missing from the SnakeBridge jar");
      }
      return in.readAllBytes();
    }
  }
}
