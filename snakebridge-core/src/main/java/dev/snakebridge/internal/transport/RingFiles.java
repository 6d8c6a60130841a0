package dev.snakebridge.internal.transport;

import dev.snakebridge.internal.session.RandomIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

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
  /** Ring files of releases before the private directory, straight in /dev/shm, are swept too. */
  private static final String LEGACY_PREFIX = "snakebridge-";
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
    return directory.resolve(PID + "-" + STARTED + "-" + fileNameSafe(workerId) + "-" + RandomIds.hex(8) + SUFFIX);
  }

  /**
   * Removes the ring files of JVMs that no longer run from {@code directory} (the private one) and from
   * {@code base} (where older releases put them, owner permitting); returns how many.
   */
  public static int sweepDead(Path base, Path directory) {
    return sweep(directory, false) + sweep(base, true);
  }

  /** {@code id} with every character but letters, digits, {@code _ . -} replaced by {@code _}. */
  static String fileNameSafe(String id) {
    char[] chars = id.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      char c = chars[i];
      boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '.' || c == '-';
      if (!safe) {
        chars[i] = '_';
      }
    }
    return new String(chars);
  }

  /**
   * The creator's pid and start millis from a ring file's name: {@code <pid>-<start>-<rest>.rings}, or
   * for {@code legacy} names {@code snakebridge-<pid>-<rest>.rings} (start -1); null for other names.
   * Parsed by hand: this runs at every start, where a regular expression costs its classes' loading.
   */
  static long[] creator(String name, boolean legacy) {
    if (!name.endsWith(SUFFIX)) {
      return null;
    }
    int at = 0;
    if (legacy) {
      if (!name.startsWith(LEGACY_PREFIX)) {
        return null;
      }
      at = LEGACY_PREFIX.length();
    }
    int pidEnd = digitsEnd(name, at);
    if (pidEnd < 0) {
      return null;
    }
    long pid = Long.parseLong(name, at, pidEnd, 10);
    if (legacy) {
      return pidEnd + 1 < name.length() - SUFFIX.length() ? new long[] {pid, -1} : null;
    }
    int startEnd = digitsEnd(name, pidEnd + 1);
    if (startEnd < 0 || startEnd + 1 >= name.length() - SUFFIX.length()) {
      return null;
    }
    return new long[] {pid, Long.parseLong(name, pidEnd + 1, startEnd, 10)};
  }

  /** The index of the '-' that ends the 1 to 18 digits starting at {@code from}, or -1. */
  private static int digitsEnd(String name, int from) {
    int i = from;
    while (i < name.length() && i - from < 18 && name.charAt(i) >= '0' && name.charAt(i) <= '9') {
      i++;
    }
    return i > from && i < name.length() && name.charAt(i) == '-' ? i : -1;
  }

  private static int sweep(Path dir, boolean legacy) {
    if (dir == null) {
      return 0;
    }
    int removed = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path f : files) {
        long[] creator = creator(f.getFileName().toString(), legacy);
        if (creator != null && !running(creator[0], creator[1])) {
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
    Optional<Instant> start = process.info().startInstant(); // no lambda: this runs on the first call's path
    return start.isPresent() ? Optional.of(start.get().toEpochMilli()) : Optional.empty();
  }

}
