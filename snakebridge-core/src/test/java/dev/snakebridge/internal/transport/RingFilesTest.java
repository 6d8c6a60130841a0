package dev.snakebridge.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ring files are private to their user and do not outlive a JVM that was killed while workers started. */
class RingFilesTest {
  @TempDir
  Path base;

  @Test
  void theRingDirectoryIsOwnerOnlyAndRingFilesAreMode0600() throws IOException {
    Path dir = RingFiles.directory(base);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    Path ring = RingFiles.newPath(dir, "default-w0");
    ShmChannel.createFile(ring, 4096);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ring))).isEqualTo("rw-------");
    assertThat(ring.getFileName().toString())
        .startsWith(ProcessHandle.current().pid() + "-").endsWith(RingFiles.SUFFIX);
  }

  @Test
  void aDirectoryOthersMayEnterIsRefused() throws IOException {
    Path dir = RingFiles.directory(base);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThatThrownBy(() -> RingFiles.directory(base)).isInstanceOf(IOException.class).hasMessageContaining("rwx------");
  }

  @Test
  void aLinkInPlaceOfTheDirectoryIsRefused() throws IOException {
    Path elsewhere = Files.createDirectory(base.resolve("elsewhere"));
    Path uid = Path.of(String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid")));
    Files.createSymbolicLink(base.resolve(RingFiles.DIRECTORY_PREFIX + uid), elsewhere);
    assertThatThrownBy(() -> RingFiles.directory(base)).isInstanceOf(IOException.class).hasMessageContaining("not a directory");
  }

  @Test
  void theSweepRemovesFilesOfDeadJvmsAndOfReusedPidsAndKeepsLiveOnes() throws Exception {
    Path dir = RingFiles.directory(base);
    Path mine = RingFiles.newPath(dir, "default-w0");
    Files.createFile(mine);
    Process exited = new ProcessBuilder("true").start();
    exited.waitFor();
    Path deadJvm = Files.createFile(dir.resolve(exited.pid() + "-1700000000000-default-w1-00.rings"));
    // Our own pid with another start time: a JVM that died and whose pid was given to us.
    Path reusedPid = Files.createFile(dir.resolve(ProcessHandle.current().pid() + "-1000-default-w2-00.rings"));
    Path legacy = Files.createFile(base.resolve("snakebridge-" + exited.pid() + "-default-w0-1f.rings"));
    Path unrelated = Files.createFile(dir.resolve("notes.txt"));

    assertThat(RingFiles.sweepDead(base, dir)).isEqualTo(3);

    assertThat(mine).exists();
    assertThat(unrelated).exists();
    assertThat(deadJvm).doesNotExist();
    assertThat(reusedPid).doesNotExist();
    assertThat(legacy).doesNotExist();
  }

  @Test
  void namesAreParsedByHandAsTheyWereWritten() {
    assertThat(RingFiles.creator("123-1700000000000-default-w0-0a1b.rings", false)).containsExactly(123L, 1700000000000L);
    assertThat(RingFiles.creator("snakebridge-77-default-w0-1f.rings", true)).containsExactly(77L, -1L);
    assertThat(RingFiles.creator("123-1700000000000-.rings", false)).isNull(); // nothing after the start
    assertThat(RingFiles.creator("123-17x-w0.rings", false)).isNull();
    assertThat(RingFiles.creator("-1-2-w0.rings", false)).isNull();
    assertThat(RingFiles.creator("123-456-w0.ring", false)).isNull();
    assertThat(RingFiles.creator("99999999999999999999-1-w0.rings", false)).isNull(); // over 18 digits
    assertThat(RingFiles.creator("snakebridge-77-.rings", true)).isNull();
    assertThat(RingFiles.creator("77-default-w0.rings", true)).isNull();
    assertThat(RingFiles.fileNameSafe("pool/w0 ü.x-1_2")).isEqualTo("pool_w0__.x-1_2");
  }

  @Test
  void newNamesCarryThisJvmAndAreNotRepeated() throws IOException {
    Path dir = RingFiles.directory(base);
    Path a = RingFiles.newPath(dir, "p w0");
    Path b = RingFiles.newPath(dir, "p w0");
    assertThat(a).isNotEqualTo(b);
    assertThat(RingFiles.creator(a.getFileName().toString(), false)[0]).isEqualTo(ProcessHandle.current().pid());
    assertThat(a.getFileName().toString()).contains("-p_w0-").matches("[0-9]+-[0-9]+-p_w0-[0-9a-f]{16}\\.rings");
  }
}
