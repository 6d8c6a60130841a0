package dev.snakebridge.internal.transport;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A directory that only this user may enter, {@code <base>/snakebridge-<uid>}, in a place other users
 * can write too ({@code /dev/shm}, the temporary directory): the ring files and the worker cache's
 * fallback live in one. Made with mode 0700, or, when it exists, accepted only if it is a real directory
 * (not a link) of this uid that nobody else may enter, so that another local user can neither read what
 * is in it nor plant a file or a link there.
 */
public final class PrivateDirectory {
  /** The start of the directory's name; the owner's uid follows. */
  public static final String PREFIX = "snakebridge-";
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  private PrivateDirectory() {}

  /**
   * {@code base/snakebridge-<uid>}, made or checked as above.
   *
   * @param purpose what it is for, to name it in errors ("ring files")
   * @param remedy what the user may do when it is refused, appended to that error ("" for nothing)
   * @throws IOException when it cannot be made, or belongs to someone else
   */
  public static Path in(Path base, String purpose, String remedy) throws IOException {
    String uid = uid();
    Path dir = base.toAbsolutePath().resolve(PREFIX + uid);
    try {
      Files.createDirectory(dir, ownerOnly());
      Files.setPosixFilePermissions(dir, OWNER_ONLY); // the umask may have taken bits away, never added
      return dir;
    } catch (FileAlreadyExistsException e) {
      // checked below
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir); // not a POSIX file system: no modes to set or check
      return dir;
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(dir + " exists and is not a directory: refusing it for " + purpose);
    }
    Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
    if (!String.valueOf(owner).equals(uid) || !OWNER_ONLY.containsAll(mode)) {
      throw new IOException(dir + " belongs to uid " + owner + " with mode " + PosixFilePermissions.toString(mode)
          + ": refusing it for " + purpose + " (it must be this uid's, " + uid + ", and rwx------" + remedy + ")");
    }
    return dir;
  }

  /** The attribute that creates a directory with mode 0700. */
  public static FileAttribute<?>[] ownerOnly() {
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)};
  }

  /** This process's uid: the owner of {@code /proc/self}; elsewhere, the owner of a file it creates. */
  public static String uid() throws IOException {
    try {
      return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      Path probe = Files.createTempFile("snakebridge-uid-", "");
      try {
        return String.valueOf(Files.getAttribute(probe, "unix:uid"));
      } catch (UnsupportedOperationException | IllegalArgumentException notUnix) {
        return System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
      } finally {
        Files.deleteIfExists(probe);
      }
    }
  }
}
