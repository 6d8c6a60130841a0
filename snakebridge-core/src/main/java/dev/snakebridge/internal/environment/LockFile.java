package dev.snakebridge.internal.environment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code environment} section of {@code snakebridge.lock.json}, the lock that code generation writes
 * too. Setup owns this one key and leaves the rest (the generator's libraries) as it found it. Stateless
 * and thread-safe; two builds writing one lock at once are not guarded against.
 */
public final class LockFile {
  /** The key setup owns. */
  public static final String ENVIRONMENT = "environment";

  private LockFile() {}

  /** The whole lock as a map, empty when there is no file. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> read(Path lock) {
    if (!Files.isRegularFile(lock)) {
      return new LinkedHashMap<>();
    }
    try {
      return (Map<String, Object>) Json.parse(Files.readString(lock, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + lock, e);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new IllegalArgumentException(lock + " is not a SnakeBridge lock file: " + e.getMessage(), e);
    }
  }

  /** The environment recorded in {@code lock}, if any; paths come back absolute. */
  public static Optional<InstalledEnvironment> environment(Path lock) {
    Object env = read(lock).get(ENVIRONMENT);
    if (!(env instanceof Map<?, ?> m)) {
      return Optional.empty();
    }
    Map<Object, Object> absolute = new LinkedHashMap<>(m);
    Path base = lock.toAbsolutePath().getParent();
    for (String key : PATHS) {
      if (absolute.get(key) != null) {
        absolute.put(key, base.resolve(absolute.get(key).toString()).normalize().toString());
      }
    }
    return Optional.of(InstalledEnvironment.fromJson(absolute));
  }

  /** Entries that hold paths: relative to the lock when inside its directory, so that a committed lock travels. */
  private static final java.util.List<String> PATHS = java.util.List.of("directory", "interpreter");

  /**
   * Records {@code env} in {@code lock}, creating the file when there is none; the file is only rewritten
   * when its text changes (so that a no-op setup leaves its time stamp alone).
   */
  public static void writeEnvironment(Path lock, InstalledEnvironment env) {
    Map<String, Object> all = read(lock);
    if (all.isEmpty()) {
      all.put("format", "snakebridge-lock");
      all.put("formatVersion", 1L);
    }
    Map<String, Object> json = env.toJson();
    Path base = lock.toAbsolutePath().getParent();
    for (String key : PATHS) {
      Path path = Path.of(json.get(key).toString());
      if (base != null && path.startsWith(base)) {
        json.put(key, base.relativize(path).toString());
      }
    }
    all.put(ENVIRONMENT, json);
    writeIfChanged(lock, Json.write(all));
  }

  static void writeIfChanged(Path file, String text) {
    try {
      if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
        return;
      }
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
