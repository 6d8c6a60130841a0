package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The runtime works from the jar and from exploded target/classes, on the class path and on the module
 * path: a separate JVM runs a small program against each layout and calls real Python.
 */
class PackagingIT {
  private static final String PROGRAM = """
      public class Probe {
        public static void main(String[] args) {
          dev.snakebridge.SnakeBridge.configure(dev.snakebridge.SnakeBridgeConfig.builder()
              .pythonExecutable(args[0]).poolSize(1).workerCacheDir(java.nio.file.Path.of(args[1])).build());
          System.out.println("module=" + dev.snakebridge.SnakeBridge.class.getModule().getName());
          System.out.println("sqrt=" + dev.snakebridge.SnakeBridge.call("math", "sqrt", 16));
          dev.snakebridge.SnakeBridge.shutdown();
        }
      }
      """;

  @TempDir Path temp;

  @ParameterizedTest(name = "{0} on the {1} path")
  @CsvSource({"jar, class", "jar, module", "classes, class", "classes, module"})
  void runsFromEveryLayout(String layout, String path) throws Exception {
    Path core = layout.equals("jar") ? builtJar() : Path.of("target", "classes").toAbsolutePath();
    String slf4j = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> e.contains("slf4j-api"))
        .findFirst()
        .orElseThrow();
    Path source = temp.resolve("Probe.java");
    Files.writeString(source, PROGRAM);
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    String entries = core + File.pathSeparator + slf4j;
    if (path.equals("module")) {
      command.addAll(List.of("--module-path", entries, "--add-modules", "dev.snakebridge"));
    } else {
      command.addAll(List.of("-cp", entries));
    }
    command.addAll(List.of(source.toString(), Workers.python(), temp.resolve("cache").toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("sqrt=4.0");
    assertThat(out).contains(path.equals("module") ? "module=dev.snakebridge" : "module=null");
    assertThat(p.exitValue()).as(out).isZero();
  }

  @org.junit.jupiter.api.Test
  void theJarIsMultiReleaseWithItsJava22Classes() throws Exception {
    try (java.util.jar.JarFile jar = new java.util.jar.JarFile(builtJar().toFile(), true, java.util.zip.ZipFile.OPEN_READ,
        Runtime.version())) {
      assertThat(jar.isMultiRelease()).isTrue();
      String ringMapping = "dev/snakebridge/internal/transport/RingMapping.class";
      assertThat(jar.getEntry("META-INF/versions/22/" + ringMapping)).isNotNull();
      // This JVM (21 or later) reads the versioned entry when it is 22 or later.
      assertThat(jar.getJarEntry(ringMapping).getRealName())
          .isEqualTo(Runtime.version().feature() >= 22 ? "META-INF/versions/22/" + ringMapping : ringMapping);
    }
  }

  private static Path builtJar() throws IOException {
    try (var files = Files.list(Path.of("target"))) {
      return files.filter(f -> f.getFileName().toString().matches("snakebridge-core-.*(?<!sources|javadoc)\\.jar"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("the core jar is built before integration tests"))
          .toAbsolutePath();
    }
  }
}
