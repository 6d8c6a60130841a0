package dev.snakebridge.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnpackIndexTest {
  @TempDir Path root;
  @TempDir Path jars;

  @Test
  void anUnchangedJarFindsItsDirectory() throws Exception {
    Path jar = Files.write(jars.resolve("snakebridge-core.jar"), new byte[] {1, 2, 3});
    Path dir = Files.createDirectory(root.resolve("worker-0123"));
    String stamp = UnpackIndex.stamp(jar);
    assertThat(UnpackIndex.lookup(root, "worker", jar, stamp)).isEmpty();

    UnpackIndex.record("worker", jar, stamp, dir);

    assertThat(UnpackIndex.lookup(root, "worker", jar, UnpackIndex.stamp(jar))).contains(dir);
    assertThat(UnpackIndex.lookup(root, "helpers", jar, stamp)).as("another prefix").isEmpty();
    Path other = Files.write(jars.resolve("other.jar"), new byte[] {1, 2, 3});
    assertThat(UnpackIndex.lookup(root, "worker", other, UnpackIndex.stamp(other))).as("another jar").isEmpty();
  }

  @Test
  void aRewrittenJarOrAMissingDirectoryTakesTheFullPath() throws Exception {
    Path jar = Files.write(jars.resolve("snakebridge-core.jar"), new byte[] {1, 2, 3});
    Path dir = Files.createDirectory(root.resolve("worker-0123"));
    UnpackIndex.record("worker", jar, UnpackIndex.stamp(jar), dir);

    Files.write(jar, new byte[] {1, 2, 4}); // same size
    Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
    assertThat(UnpackIndex.lookup(root, "worker", jar, UnpackIndex.stamp(jar))).isEmpty();

    UnpackIndex.record("worker", jar, UnpackIndex.stamp(jar), dir);
    Files.delete(dir);
    assertThat(UnpackIndex.lookup(root, "worker", jar, UnpackIndex.stamp(jar))).isEmpty();
  }

  @Test
  void classesOutsideAPlainJarHaveNoJar() {
    // This test's own class comes from target/test-classes, a directory.
    assertThat(UnpackIndex.jarOf(UnpackIndexTest.class)).isEmpty();
    assertThat(UnpackIndex.jarOf(String.class)).isEmpty(); // the runtime image
    assertThat(UnpackIndex.jarOf(org.junit.jupiter.api.Test.class)).get().asString().endsWith(".jar");
  }
}
