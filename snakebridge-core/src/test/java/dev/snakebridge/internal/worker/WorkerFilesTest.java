package dev.snakebridge.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerFilesTest {
  @TempDir Path cache;

  @Test
  void manifestListsEveryShippedWorkerFile() throws Exception {
    Path root = Path.of("src/main/resources/dev/snakebridge/python");
    List<String> onDisk;
    try (Stream<Path> files = Files.walk(root)) {
      onDisk = files.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .filter(name -> !name.equals("MANIFEST") && name.endsWith(".py"))
          .sorted()
          .toList();
    }
    assertThat(WorkerFiles.readShippedFiles().keySet()).containsExactlyInAnyOrderElementsOf(onDisk);
  }

  @Test
  void unpacksOnceIntoAHashNamedDirectory() throws Exception {
    Path first = WorkerFiles.unpack(cache);
    assertThat(first.getFileName().toString()).matches("worker-[0-9a-f]{16}");
    assertThat(first.resolve(WorkerFiles.BOOT_SCRIPT)).isRegularFile();
    long modified = Files.getLastModifiedTime(first.resolve(WorkerFiles.BOOT_SCRIPT)).toMillis();
    assertThat(WorkerFiles.unpack(cache)).isEqualTo(first);
    assertThat(Files.getLastModifiedTime(first.resolve(WorkerFiles.BOOT_SCRIPT)).toMillis()).isEqualTo(modified);
    try (Stream<Path> entries = Files.list(cache)) {
      assertThat(entries.toList()).containsExactly(first);
    }
  }
}
