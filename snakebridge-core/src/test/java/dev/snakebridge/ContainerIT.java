package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The runtime in the places containers put it, reproduced on this machine with mount namespaces
 * ({@code unshare -m}: every mount below is private to one child JVM and gone when it exits), {@code
 * setpriv} and {@code taskset} instead of Docker. Each case starts a {@link ContainerProbe} JVM (-Xmx1g)
 * with its one Python worker and checks what it printed and logged.
 *
 * <p>Needs root (CI runs as root) and util-linux; skipped otherwise, saying which is missing.
 */
@EnabledOnOs(OS.LINUX)
class ContainerIT {
  private static final String PROBE = ContainerProbe.class.getName();

  @BeforeAll
  static void needsRootAndUtilLinux() throws Exception {
    assumeTrue(uid().equals("0"), "ContainerIT needs root for mount namespaces (CI runs as root)");
    assumeTrue(succeeds("unshare", "-m", "true"), "ContainerIT needs `unshare -m` (util-linux, CAP_SYS_ADMIN)");
  }

  /** Docker's default: a 64 MiB /dev/shm. 200 MB each way go through files in java.io.tmpdir. */
  @Test
  void smallSharedMemoryCarries200MegabytesEachWay() throws Exception {
    Run run = inNamespace("mount -t tmpfs -o size=64m tmpfs /dev/shm", "bulk");
    assertBulkSucceeded(run);
    assertThat(run.lines("WARN snakebridge.bulk")).as(run.stderr).hasSize(1);
    assertThat(run.stderr).contains("/dev/shm has").contains("--shm-size").contains("medium: Memory");
  }

  /** A /dev/shm with no room at all: rings fall back to pipes, buffers to files, and nothing faults. */
  @Test
  void fullSharedMemoryStartsOnPipesAndCarries200MegabytesEachWay() throws Exception {
    Run run = inNamespace("mount -t tmpfs -o size=8m tmpfs /dev/shm"
        + " && { dd if=/dev/zero of=/dev/shm/filler bs=1M count=16 2>/dev/null; true; }", "bulk");
    assertBulkSucceeded(run);
    assertThat(run.stderr).contains("cannot make a shared-memory ring file in /dev/shm").contains("use pipes");
    assertThat(run.lines("WARN snakebridge.bulk")).as(run.stderr).hasSize(1);
  }

  /**
   * The home directory read-only, its ~/.cache empty: the worker files go to java.io.tmpdir/snakebridge-0,
   * and nothing under the home is written (the mount would refuse it, failing the run).
   */
  @Test
  void readOnlyHome() throws Exception {
    String home = System.getProperty("user.home");
    Run run = inNamespace("mkdir -p " + home + "/.cache && mount --bind " + home + " " + home
        + " && mount -o remount,bind,ro " + home + " && mount -t tmpfs -o ro,size=1m tmpfs " + home + "/.cache",
        "sqrt", "HOME=" + home);
    assertThat(run.exit).as(run.all()).isZero();
    assertThat(run.stdout).contains("ok math.sqrt(16)");
    assertThat(run.stderr).contains("worker cache directory " + home + "/.cache/snakebridge cannot be used");
    assertPrivateCache(Path.of("/tmp/snakebridge-0"), "0");
  }

  /**
   * A read-only root file system with a writable /tmp and /dev/shm (Kubernetes readOnlyRootFilesystem
   * with emptyDirs): / is remounted read-only in the namespace, /tmp and /dev/shm stay writable (their
   * own mounts), and the cache root is a fresh image's ($XDG_CACHE_HOME, absent on the read-only root).
   * Any write elsewhere (home, project directory, cache) would fail the run.
   */
  @Test
  void readOnlyRootWithWritableTmp() throws Exception {
    Run run = inNamespace("mount --bind /tmp /tmp && mount -o remount,bind,ro /", "sqrt",
        "XDG_CACHE_HOME=/var/cache/sb-container-absent");
    assertThat(run.exit).as(run.all()).isZero();
    assertThat(run.stdout).contains("ok math.sqrt(16)");
    assertThat(run.stderr).contains("/var/cache/sb-container-absent/snakebridge cannot be used");
    assertPrivateCache(Path.of("/tmp/snakebridge-0"), "0");
  }

  /**
   * OpenShift: a uid with no passwd entry, HOME=/ (not writable). The classpath is copied where that uid
   * can read it; the worker files go to /tmp/snakebridge-12345, mode 0700.
   */
  @Test
  void randomUidWithoutPasswdEntry() throws Exception {
    assumeTrue(succeeds("setpriv", "--version"), "needs setpriv (util-linux)");
    Path copy = Files.createTempDirectory(Path.of("/tmp"), "sb-container-cp-");
    Path cache = Path.of("/tmp/snakebridge-12345");
    try {
      String classpath = readableCopy(copy);
      List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=12345", "--regid=12345", "--clear-groups",
          "env", "-u", "XDG_CACHE_HOME", "HOME=/"));
      command.addAll(java(classpath, "sqrt"));
      Run run = run(command, copy);
      assertThat(run.exit).as(run.all()).isZero();
      assertThat(run.stdout).contains("ok math.sqrt(16)");
      assertPrivateCache(cache, "12345");
    } finally {
      deleteTree(copy);
      deleteTree(cache);
    }
  }

  /** One CPU for the JVM and its Python: spinning must yield to the other side. */
  @Test
  void oneCpu() throws Exception {
    assumeTrue(succeeds("taskset", "-c", "0", "true"), "needs taskset (util-linux)");
    List<String> command = new ArrayList<>(List.of("taskset", "-c", "0"));
    command.addAll(java(System.getProperty("java.class.path"), "calls"));
    Run run = run(command, null);
    assertThat(run.exit).as(run.all()).isZero();
    assertThat(run.stdout).contains("ok 300 sync calls").contains("ok 200 async calls; available processors 1");
  }

  // ------------------------------------------------------------------------------------------------

  private static void assertBulkSucceeded(Run run) {
    assertThat(run.exit).as(run.all()).isZero();
    assertThat(run.stdout).contains("ok numpy.sum of 200 MB").contains("ok toNDArray of 200 MB: 25000000 values")
        .contains("ok value at 24999999 = 2.4999999E7").contains("done");
    assertThat(run.stderr).doesNotContain("InternalError").doesNotContain("Bus error").doesNotContain("crashed");
  }

  private static void assertPrivateCache(Path root, String uid) throws IOException {
    assertThat(root).isDirectory();
    assertThat(String.valueOf(Files.getAttribute(root, "unix:uid", LinkOption.NOFOLLOW_LINKS))).isEqualTo(uid);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root))).isEqualTo("rwx------");
    try (Stream<Path> dirs = Files.list(root)) {
      assertThat(dirs.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("worker-"));
    }
  }

  private static Run inNamespace(String setup, String mode, String... env) throws Exception {
    StringBuilder exec = new StringBuilder("exec env -u XDG_CACHE_HOME");
    for (String e : env) {
      exec.append(' ').append(e);
    }
    for (String arg : java(System.getProperty("java.class.path"), mode)) {
      exec.append(" '").append(arg.replace("'", "'\\''")).append('\'');
    }
    return run(List.of("unshare", "-m", "--propagation", "private", "sh", "-c", setup + " && " + exec), null);
  }

  private static List<String> java(String classpath, String mode) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-Xmx1g", "-XX:-UsePerfData", "-cp", classpath, PROBE, mode);
  }

  private record Run(int exit, String stdout, String stderr) {
    List<String> lines(String containing) {
      return stderr.lines().filter(l -> l.contains(containing)).toList();
    }

    String all() {
      return "exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  private static Run run(List<String> command, Path directory) throws Exception {
    Path out = Files.createTempFile("sb-container-", ".out");
    Path err = Files.createTempFile("sb-container-", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      if (directory != null) {
        pb.directory(directory.toFile());
      }
      Process p = pb.start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) { // a hang guard, not a timing assertion
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor();
      }
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Copies the test classpath into {@code dir}, readable by every uid; returns the copy's classpath. */
  private static String readableCopy(Path dir) throws IOException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> entries = new ArrayList<>();
    int i = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path source = Path.of(entry);
      if (!Files.exists(source)) {
        continue;
      }
      Path target = dir.resolve((i++) + "-" + source.getFileName());
      try (Stream<Path> paths = Files.walk(source)) {
        paths.forEach(p -> {
          Path t = target.resolve(source.relativize(p).toString());
          try {
            Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(t, PosixFilePermissions.fromString(Files.isDirectory(t) ? "rwxr-xr-x" : "rw-r--r--"));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }
      entries.add(target.toString());
    }
    return String.join(File.pathSeparator, entries);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static String uid() throws IOException {
    return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
  }

  private static boolean succeeds(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
