package dev.snakebridge.internal.environment;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finding executables on a {@code PATH}. Stateless and thread-safe. */
public final class InterpreterPaths {
  private InterpreterPaths() {}

  /** The first executable file {@code name} in the directories of {@code path}. */
  public static Optional<Path> findOnPath(String name, String path) {
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
