package dev.snakebridge.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cache roots that cannot be used, files changed in place, and the private temporary root. */
class CacheDirectoryTest {
  @TempDir Path cache;
  @TempDir Path tmp;
  private String savedTmp;

  @BeforeEach
  void pointTmpdirAtATestDirectory() {
    savedTmp = System.getProperty("java.io.tmpdir");
    System.setProperty("java.io.tmpdir", tmp.toString());
  }

  @AfterEach
  void restoreTmpdir() {
    System.setProperty("java.io.tmpdir", savedTmp);
  }

  private static Map<String, byte[]> files(String content) {
    return Map.of("a.py", content.getBytes(StandardCharsets.UTF_8), "pkg/b.py", "b = 2\n".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aDirectoryWhoseFilesDifferIsReplacedBeforeUse() throws IOException {
    Map<String, byte[]> files = files("a = 1  # changed-in-place test\n");
    Path planted = cache.resolve("test-" + CacheDirectory.hash(files));
    Files.createDirectories(planted.resolve("pkg"));
    Files.writeString(planted.resolve("a.py"), "import os; os.system('evil')\n");
    Files.writeString(planted.resolve("pkg/b.py"), "b = 2\n");

    Path got = CacheDirectory.materialize(cache, "test", files);

    assertThat(got).isEqualTo(planted);
    assertThat(got.resolve("a.py")).hasContent("a = 1  # changed-in-place test");
  }

  @Test
  void aRootThatCannotBeUsedFallsBackToAPrivateTemporaryRoot() throws IOException {
    // user.home is "?" for a uid without passwd entry and no HOME: a relative root, never written.
    Path got = CacheDirectory.materialize(Path.of("?", ".cache", "snakebridge"), "test", files("a = 3\n"));

    Path root = got.getParent();
    assertThat(root.getParent()).isEqualTo(tmp);
    assertThat(root.getFileName().toString()).matches("snakebridge-\\d+");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root))).isEqualTo("rwx------");
    assertThat(got.resolve("a.py")).hasContent("a = 3");
    assertThat(Path.of("?")).doesNotExist();
  }

  @Test
  void aTemporaryRootOthersMayWriteIsRefused() throws IOException {
    Path root = CacheDirectory.privateTemporaryRoot();
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThatThrownBy(() -> CacheDirectory.materialize(Path.of("relative"), "test", files("a = 4\n")))
        .isInstanceOf(IOException.class).hasMessageContaining("refusing").hasMessageContaining(root.toString());
    assertThat(Path.of("relative")).doesNotExist();
  }
}
