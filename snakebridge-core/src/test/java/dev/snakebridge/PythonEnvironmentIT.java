package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snakebridge.internal.environment.InstalledEnvironment;
import dev.snakebridge.internal.environment.LockFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Setting up project environments with the real {@code python -m venv} and pip, offline: wheels are
 * written by the test and installed with {@code --no-index --find-links}.
 */
class PythonEnvironmentIT {
  @TempDir static Path wheels;
  @TempDir Path project;

  @BeforeAll
  static void wheels() throws Exception {
    TinyWheels.write(wheels, "tinypkg", "1.0");
    TinyWheels.write(wheels, "tinypkg", "2.0");
    TinyWheels.write(wheels, "tinyextra", "1.0");
    TinyWheels.write(wheels, "tinyhost", "1.0", List.of(), Map.of("fast", List.of("tinyextra")));
  }

  private PythonEnvironment.Builder env() {
    return PythonEnvironment.builder(project.resolve(".snakebridge/venv"))
        .basePython(Workers.python())
        .findLinks(wheels)
        .noIndex(true)
        .lockFile(project.resolve("snakebridge.lock.json"));
  }

  private static String run(Path python, String code) throws Exception {
    Process p = new ProcessBuilder(python.toString(), "-c", code).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  @Test
  void installsFromLocalWheelsWithSpecifierAndExtrasAndRecordsTheLock() throws Exception {
    List<String> progress = new ArrayList<>();
    PythonEnvironment env = env().require("tinypkg>=1,<2").require("tinyhost[fast]").build();

    assertThat(env.setup(progress::add)).isTrue();

    // The specifier picks 1.0 although 2.0 is there; the extra brings tinyextra along.
    assertThat(run(env.interpreter(), "import tinypkg, tinyextra; print(tinypkg.hello())")).isEqualTo("tinypkg 1.0");
    assertThat(progress).anyMatch(l -> l.contains("Successfully installed"));
    InstalledEnvironment locked = LockFile.environment(project.resolve("snakebridge.lock.json")).orElseThrow();
    assertThat(locked.interpreter()).isEqualTo(env.interpreter());
    assertThat(locked.pythonVersion()).matches("3\\.\\d+\\.\\d+");
    assertThat(locked.find("tinypkg").version()).isEqualTo("1.0");
    assertThat(locked.find("tinyextra").version()).isEqualTo("1.0");
    // The hash is the wheel's own.
    assertThat(locked.find("tinypkg").sha256()).isEqualTo(sha256(wheels.resolve("tinypkg-1.0-py3-none-any.whl")));
    assertThat(locked.declared()).containsExactly("tinypkg>=1,<2", "tinyhost[fast]");
    // Inside the lock's directory, paths are written relative to it, so that a committed lock travels.
    assertThat(Files.readString(project.resolve("snakebridge.lock.json")))
        .contains("\"interpreter\": \".snakebridge/venv/bin/python\"").doesNotContain(project.toString());
  }

  @Test
  void aRerunWithNothingChangedDoesNothing() throws Exception {
    PythonEnvironment env = env().require("tinypkg==1.0").build();
    assertThat(env.setup(line -> {})).isTrue();
    Path lock = project.resolve("snakebridge.lock.json");
    String before = Files.readString(lock);
    FileTime stamp = Files.getLastModifiedTime(lock);

    long t0 = System.nanoTime();
    List<String> progress = new ArrayList<>();
    boolean changed = env().require("tinypkg==1.0").build().setup(progress::add);
    long micros = (System.nanoTime() - t0) / 1000;

    assertThat(changed).isFalse();
    assertThat(progress).as("no tool ran").isEmpty();
    assertThat(Files.readString(lock)).isEqualTo(before);
    assertThat(Files.getLastModifiedTime(lock)).isEqualTo(stamp);
    System.out.println("no-op setup re-run: " + micros + " µs");

    // A changed declaration is not a no-op: it upgrades.
    assertThat(env().require("tinypkg==2.0").build().setup(line -> {})).isTrue();
    assertThat(run(env.interpreter(), "import tinypkg; print(tinypkg.hello())")).isEqualTo("tinypkg 2.0");
  }

  @Test
  void systemSitePackagesReuseTheBaseInterpretersNumpy() throws Exception {
    String numpy = run(Path.of(Workers.python()), "import numpy; print(numpy.__version__)");
    PythonEnvironment env = env().systemSitePackages(true).require("numpy").require("tinypkg==1.0").build();

    env.setup(line -> {});

    assertThat(run(env.interpreter(), "import numpy, tinypkg; print(numpy.__version__)")).isEqualTo(numpy);
    InstalledEnvironment locked = LockFile.environment(project.resolve("snakebridge.lock.json")).orElseThrow();
    assertThat(locked.find("numpy").version()).isEqualTo(numpy);
    assertThat(locked.find("numpy").system()).isTrue();
    assertThat(locked.find("tinypkg").system()).isFalse();
  }

  @Test
  void aMissingWheelFailsNamingThePackageAndQuotingPip() {
    PythonEnvironment env = env().require("tinypkg==3.0").build();

    assertThatThrownBy(() -> env.setup(line -> {}))
        .isInstanceOf(SnakeBridgeException.class)
        .hasMessageContaining("pip could not install tinypkg==3.0")
        .hasMessageContaining("No matching distribution found for tinypkg==3.0")
        .hasMessageContaining("no index");
  }

  @Test
  void aRequirementsFileIsInstalledAndItsContentsCount() throws Exception {
    Path requirements = project.resolve("requirements.txt");
    Files.writeString(requirements, "# pinned by the data team\ntinypkg==1.0\n");
    PythonEnvironment env = env().requirementsFile(requirements).build();

    assertThat(env.setup(line -> {})).isTrue();
    assertThat(run(env.interpreter(), "import tinypkg; print(tinypkg.hello())")).isEqualTo("tinypkg 1.0");
    assertThat(env.upToDate()).isTrue();

    Files.writeString(requirements, "tinypkg==2.0\n");
    assertThat(env.upToDate()).isFalse();
    assertThat(env.setup(line -> {})).isTrue();
    assertThat(run(env.interpreter(), "import tinypkg; print(tinypkg.hello())")).isEqualTo("tinypkg 2.0");
  }

  @Test
  void theLockKeepsWhatCodeGenerationWrote() throws Exception {
    Path lock = project.resolve("snakebridge.lock.json");
    Files.writeString(lock, "{\n  \"format\": \"snakebridge-lock\",\n  \"formatVersion\": 1,\n  \"libraries\": {\n"
        + "    \"tinypkg\": {\n      \"version\": \"1.0\"\n    }\n  }\n}\n");

    env().require("tinypkg==1.0").build().setup(line -> {});

    Map<String, Object> all = LockFile.read(lock);
    assertThat(all).containsKeys("libraries", "environment");
    assertThat(all.get("libraries").toString()).contains("tinypkg");
  }

  private static String sha256(Path file) throws Exception {
    return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(Files.readAllBytes(file)));
  }
}
