package dev.snakebridge.internal.environment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snakebridge.TinyWheels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code uv} on {@code PATH}, setup drives uv instead of venv and pip. uv is not installed here, so a
 * stand-in on {@code PATH} records its command lines and does the same work with the real {@code python -m
 * venv} and pip: what is checked is what setup asks of uv, and that the result is a working environment.
 */
class UvInstallIT {
  @TempDir Path dir;

  private static String python() {
    String env = System.getenv("SNAKEBRIDGE_PYTHON");
    return env != null && !env.isBlank() ? env : "/usr/bin/python3";
  }

  /** A {@code uv} that logs its arguments and the UV_* variables, then runs venv or pip. */
  private Path fakeUv() throws Exception {
    Path bin = dir.resolve("bin");
    Files.createDirectories(bin);
    Path uv = bin.resolve("uv");
    Files.writeString(uv, """
        #!%s
        import os, subprocess, sys
        args = sys.argv[1:]
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "uv.log"), "a") as log:
            log.write(" ".join(args) + " | UV_INDEX_URL=" + os.environ.get("UV_INDEX_URL", "") + "\\n")
        if args[0] == "venv":
            base = args[args.index("--python") + 1]
            rest = [a for i, a in enumerate(args[1:], 1) if a != "--python" and args[i - 1] != "--python"]
            sys.exit(subprocess.call([base, "-m", "venv", "--without-pip"] + rest))
        if args[:2] == ["pip", "install"]:
            target = args[args.index("--python") + 1]
            rest = [a for i, a in enumerate(args[2:], 2) if a != "--python" and args[i - 1] != "--python"]
            sys.exit(subprocess.call([sys.executable, "-m", "pip", "--python", target, "install",
                                      "--disable-pip-version-check"] + rest))
        sys.exit("unexpected: " + " ".join(args))
        """.formatted(python()));
    Files.setPosixFilePermissions(uv, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  @Test
  void uvOnPathCreatesAndInstallsAndPipsIndexVariableIsPassedOnAsUvs() throws Exception {
    Path bin = fakeUv();
    Path wheels = dir.resolve("wheels");
    TinyWheels.write(wheels, "tinypkg", "1.0");
    EnvironmentSpec spec = new EnvironmentSpec(dir.resolve("venv"), python(), List.of(Requirement.parse("tinypkg==1.0")),
        null, List.of(wheels), null, true, false, dir.resolve("snakebridge.lock.json"));
    Map<String, String> env = Map.of("PATH", bin + ":/usr/bin:/bin", "PIP_INDEX_URL", "https://pypi.corp.example/simple");

    InstalledEnvironment result = new EnvironmentInstaller(spec, env, line -> {}).setup();

    assertThat(result.tool()).isEqualTo("uv");
    assertThat(result.find("tinypkg").version()).isEqualTo("1.0");
    List<String> log = Files.readAllLines(bin.resolve("uv.log"));
    assertThat(log).hasSize(2);
    assertThat(log.get(0)).startsWith("venv --python " + python() + " " + dir.resolve("venv"));
    assertThat(log.get(1)).startsWith("pip install --python " + dir.resolve("venv/bin/python") + " --no-index --find-links "
        + wheels + " tinypkg==1.0").endsWith("UV_INDEX_URL=https://pypi.corp.example/simple");
    // uv writes no pip report: the hash comes from the wheel in the find-links directory.
    assertThat(result.find("tinypkg").sha256()).isEqualTo(SetupFingerprint.sha256(wheels.resolve("tinypkg-1.0-py3-none-any.whl")));
  }
}
