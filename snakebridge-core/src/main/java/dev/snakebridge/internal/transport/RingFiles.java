package dev.snakebridge.internal.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the workers' shared-memory ring files live, and the removal of those a dead JVM left behind.
 *
 * <p>A ring file carries every call's arguments and results, so it is made with mode 0600 in a directory
 * {@code /dev/shm/snakebridge-<uid>} of mode 0700 that belongs to this user: another local user can
 * neither read it nor plant a file or link under its name. The name carries the creating JVM's pid and
 * start time, {@code <pid>-<start millis>-<worker>-<random>.rings}.
 *
 * <p>A ring file is unlinked as soon as its worker has mapped it. A JVM killed between creating it and
 * that moment (while its workers start) cannot unlink it, so every runtime's start removes the files of
 * JVMs that are no longer running ({@link #sweepDead}): the start time tells a dead JVM from a new
 * process that was given its pid. Thread-safe.
 */
public final class RingFiles {
  /** The start of the ring directory's name; the owner's uid follows. */
  public static final String DIRECTORY_PREFIX = PrivateDirectory.PREFIX;
  static final String SUFFIX = ".rings";
  /** Mode of every ring file. */
  public static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
  private static final Pattern NAME = Pattern.compile("(\\d+)-(\\d+)-.+" + Pattern.quote(SUFFIX));
  /** Ring files of releases before the private directory, straight in /dev/shm: swept too. */
  private static final Pattern LEGACY_NAME = Pattern.compile("snakebridge-(\\d+)-.+" + Pattern.quote(SUFFIX));
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long PID = ProcessHandle.current().pid();
  private static final long STARTED = startMillis(ProcessHandle.current()).orElse(0L);

  private RingFiles() {}

  /** The attribute that creates a file with mode 0600. */
  static FileAttribute<Set<PosixFilePermission>> ownerOnlyFile() {
    return PosixFilePermissions.asFileAttribute(OWNER_FILE);
  }

  /** {@code base/snakebridge-<uid>}, a {@link PrivateDirectory}. */
  public static Path directory(Path base) throws IOException {
    return PrivateDirectory.in(base, "ring files", "");
  }

  /** A fresh name for {@code workerId}'s ring file in {@code directory}. */
  public static Path newPath(Path directory, String workerId) {
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    String safeId = workerId.replaceAll("[^A-Za-z0-9_.-]", "_");
    return directory.resolve(PID + "-" + STARTED + "-" + safeId + "-" + HexFormat.of().formatHex(random) + SUFFIX);
  }

  /**
   * Removes the ring files of JVMs that no longer run from {@code directory} (the private one) and from
   * {@code base} (where older releases put them, owner permitting); returns how many.
   */
  public static int sweepDead(Path base, Path directory) {
    return sweep(directory, NAME, true) + sweep(base, LEGACY_NAME, false);
  }

  private static int sweep(Path dir, Pattern names, boolean withStart) {
    if (dir == null) {
      return 0;
    }
    int removed = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path f : files) {
        Matcher m = names.matcher(f.getFileName().toString());
        if (m.matches() && !running(Long.parseLong(m.group(1)), withStart ? Long.parseLong(m.group(2)) : -1)) {
          try {
            removed += Files.deleteIfExists(f) ? 1 : 0;
          } catch (IOException e) {
            // Another user's file in /dev/shm, or gone already: not ours to remove.
          }
        }
      }
    } catch (IOException | UncheckedIOException | NumberFormatException e) {
      // A directory we cannot list holds nothing we could remove either.
    }
    return removed;
  }

  /** Whether process {@code pid} runs and, when {@code startMillis} is not -1, started then. */
  private static boolean running(long pid, long startMillis) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (handle.isEmpty()) {
      return false;
    }
    if (startMillis <= 0) {
      return true; // start time unknown: keep the file while the pid runs
    }
    // The same pid started at another time is another process: its ring files' owner is dead.
    // (Within a second: both sides compute it from the same /proc fields, the slack is only caution.)
    return startMillis(handle.get()).map(start -> Math.abs(start - startMillis) <= 1000).orElse(true);
  }

  private static Optional<Long> startMillis(ProcessHandle process) {
    return process.info().startInstant().map(Instant::toEpochMilli);
  }

}
