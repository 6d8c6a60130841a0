package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snakebridge.internal.environment.AutoInstall;
import dev.snakebridge.internal.environment.EnvironmentSpec;
import dev.snakebridge.internal.environment.InstalledEnvironment;
import dev.snakebridge.internal.environment.LockFile;
import dev.snakebridge.internal.environment.ProjectEnvironment;
import dev.snakebridge.internal.environment.Requirement;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime and the project environment, end to end: a program with no interpreter setting (no
 * configuration, no SNAKEBRIDGE_PYTHON, no VIRTUAL_ENV) runs in its own JVM with the build's classes
 * directory on its classpath, and finds the environment through {@code META-INF/snakebridge/environment.json}.
 */
class ProjectEnvironmentIT {
  @TempDir static Path project;
  static Path lock;
  static InstalledEnvironment installed;

  @BeforeAll
  static void setUp() throws Exception {
    Path wheels = project.resolve("wheels");
    TinyWheels.write(wheels, "tinypkg", "1.0");
    lock = project.resolve("snakebridge.lock.json");
    PythonEnvironment.builder(project.resolve(".snakebridge/venv")).basePython(Workers.python())
        .require("tinypkg==1.0").findLinks(wheels).noIndex(true).lockFile(lock).build().setup(line -> {});
    installed = LockFile.environment(lock).orElseThrow();
  }

  /** A classes directory whose resource records the environment, with {@code packages} as the lock's. */
  private static Path classes(String name, Map<String, String> packages) {
    Path classes = project.resolve(name);
    ProjectEnvironment recorded = ProjectEnvironment.fromLock(lock, installed, "mvn snakebridge:setup -f /p/pom.xml");
    new ProjectEnvironment(recorded.source(), recorded.interpreter(), recorded.lockFile(), packages,
        recorded.wrappers(), recorded.fixCommand(), null, AutoInstall.NEVER).writeTo(classes);
    return classes;
  }

  /** A classes directory whose resource says how to set up an environment that does not exist yet. */
  private static Path classesForAClone(String name, AutoInstall auto) {
    Path venv = project.resolve(name + "/.snakebridge/venv");
    EnvironmentSpec spec = new EnvironmentSpec(venv, Workers.python(), List.of(Requirement.parse("tinypkg==1.0")), null,
        List.of(project.resolve("wheels")), null, true, false, project.resolve(name + "/snakebridge.lock.json"));
    Path classes = project.resolve(name + "/classes");
    new ProjectEnvironment("build", spec.python(), null, Map.of("tinypkg", "1.0"), Map.of(), "mvn snakebridge:setup",
        spec, auto).writeTo(classes);
    return classes;
  }

  private record Run(int exit, String stdout, String stderr) {}

  private static Run probe(Path classes, String... jvmOptions) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", classes + File.pathSeparator + System.getProperty("java.class.path")));
    command.addAll(List.of(jvmOptions));
    command.add(EnvironmentProbe.class.getName());
    Path out = Files.createTempFile(project, "out", ".txt");
    Path err = Files.createTempFile(project, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().remove("SNAKEBRIDGE_PYTHON");
    pb.environment().remove("VIRTUAL_ENV");
    pb.environment().put("PATH", "/usr/bin:/bin");
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("probe finished").isTrue();
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void aProgramWithNoSettingRunsInTheProjectEnvironment() throws Exception {
    Run run = probe(classes("classes-ok", Map.of("tinypkg", "1.0")));

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.stdout()).contains("executable=" + installed.interpreter());
    assertThat(run.stdout()).contains("hello=tinypkg 1.0");
    assertThat(run.stderr()).doesNotContain("does not match");
  }

  @Test
  void aDifferentVersionIsOneWarningNamingPackageVersionsInterpreterAndFix() throws Exception {
    Run run = probe(classes("classes-newer-lock", Map.of("tinypkg", "2.0")));

    assertThat(run.exit()).as(run.toString()).isZero();
    List<String> warnings = run.stderr().lines().filter(l -> l.contains("does not match")).toList();
    assertThat(warnings).as(run.stderr()).hasSize(1);
    assertThat(warnings.get(0)).contains("WARN", "tinypkg wants 2.0, found 1.0", installed.interpreter().toString(),
        "mvn snakebridge:setup -f /p/pom.xml");
    assertThat(run.stdout()).contains("hello=tinypkg 1.0");
  }

  @Test
  void withAutoInstallDevTheRuntimeSetsUpAMissingEnvironmentFromTheBuildsClasses() throws Exception {
    Path classes = classesForAClone("clone-dev", AutoInstall.DEV);

    Run run = probe(classes);

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.stderr()).contains("is out of date; setting it up (autoInstall=dev");
    assertThat(run.stdout()).contains("executable=" + project.resolve("clone-dev/.snakebridge/venv/bin/python"),
        "hello=tinypkg 1.0");
    // The program never writes the project's lock; that is the build's.
    assertThat(project.resolve("clone-dev/snakebridge.lock.json")).doesNotExist();
  }

  @Test
  void withAutoInstallNeverAMissingEnvironmentIsPassedOverAndTheCheckSaysWhatIsMissing() throws Exception {
    Path classes = classesForAClone("clone-never", AutoInstall.NEVER);

    Run run = probe(classes);

    assertThat(project.resolve("clone-never/.snakebridge")).doesNotExist();
    assertThat(run.stderr()).contains("does not exist; run `mvn snakebridge:setup`; looking further");
    assertThat(run.stderr()).contains("tinypkg 1.0 is missing", "Fix: mvn snakebridge:setup");
    assertThat(run.exit()).as("tinypkg cannot be imported: " + run).isEqualTo(3);
  }

  @Test
  void strictModeMakesTheDifferenceAnError() throws Exception {
    Run run = probe(classes("classes-strict", Map.of("tinypkg", "2.0", "tinymissing", "0.1")),
        "-Dsnakebridge.strictEnvironment=true");

    assertThat(run.exit()).as(run.toString()).isEqualTo(3);
    assertThat(run.stdout()).contains("error=", "tinypkg wants 2.0, found 1.0", "tinymissing 0.1 is missing",
        "strictEnvironment=true").doesNotContain("hello=");
  }
}
