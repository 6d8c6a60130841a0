package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The isolation claims of docs/SECURITY.md, each checked against real workers. */
class SecurityIT {
  static SnakeBridgeRuntime py;

  @BeforeAll
  static void start() {
    py = Workers.start(2);
  }

  @AfterAll
  static void stop() {
    py.close();
  }

  @Test
  void refAndSessionIdsCarry128RandomBitsAndAreNeverReused() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      PyRef ref = (PyRef) py.call("sb_test_helpers", "Box", i);
      assertThat(ref.id()).matches("[0-9a-f]{32}");
      assertThat(ids.add(ref.id())).as("id %s handed out twice", ref.id()).isTrue();
      py.releaseRef(ref); // a released id is never handed out again
    }
    assertThat(py.currentSession()).matches("auto_[0-9a-f]{32}");
  }

  @Test
  void aRefOfAnotherRuntimeIsRefusedBeforeAnythingIsSent() {
    try (SnakeBridgeRuntime other = Workers.start(1)) {
      PyRef foreign = (PyRef) other.call("sb_test_helpers", "Box", 7);
      assertThatThrownBy(() -> py.call("builtins", "repr", foreign))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("belongs to");
      // Within its runtime a ref is a capability: any session may use it.
      assertThat(other.session("someone-else").method(foreign, "get")).isEqualTo(7L);
    }
  }

  @Test
  void noWorkerOrTemplateListensOnANetworkPort() throws IOException {
    Set<String> listening = listeningSocketInodes();
    List<String> found = new ArrayList<>();
    for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
      for (String inode : socketInodes(p.pid())) {
        if (listening.contains(inode)) {
          found.add(p.pid() + ":" + inode);
        }
      }
    }
    assertThat(ProcessHandle.current().descendants().count()).isGreaterThanOrEqualTo(2);
    assertThat(found).as("listening sockets of workers").isEmpty();
    assertThat(py.call("math", "sqrt", 4)).isEqualTo(2.0);
  }

  @Test
  void theRingDirectoryIsPrivateAndHoldsNoFileOnceWorkersRun() throws IOException {
    Path dir = Workers.ringDirectory();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS)))
        .isEqualTo("rwx------");
    assertThat(Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    assertThat(Workers.ringFiles()).as("ring files are unlinked once mapped").isZero();
  }

  @Test
  void largeBufferFilesAreOwnerOnly() throws IOException {
    // 8 MB of doubles travels through a buffer file (an arena slot the JVM keeps for reuse).
    double[] big = new double[1 << 20];
    assertThat(py.call("builtins", "len", (Object) big)).isEqualTo((long) big.length);
    try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
      List<Path> ours = files.filter(f -> f.getFileName().toString()
          .startsWith("snakebridge-bulk-" + ProcessHandle.current().pid() + "-")).toList();
      for (Path f : ours) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------");
      }
    }
  }

  /** The variables the runtime sets in a worker are exactly those docs/SECURITY.md lists. */
  @Test
  void workersGetOnlyTheDocumentedSnakeBridgeVariables() {
    @SuppressWarnings("unchecked")
    Map<String, String> env = (Map<String, String>) py.call("builtins", "dict",
        py.get("os", "environ"));
    Set<String> ours = env.keySet().stream().filter(k -> k.startsWith("SNAKEBRIDGE_"))
        .filter(k -> !System.getenv().containsKey(k)) // inherited from this JVM, as any variable is
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(ours).isSubsetOf(DOCUMENTED_VARIABLES).contains("SNAKEBRIDGE_WORKER_ID", "SNAKEBRIDGE_SLOTS");
  }

  /** docs/SECURITY.md, "What a worker is given". */
  static final Set<String> DOCUMENTED_VARIABLES = Set.of(
      "SNAKEBRIDGE_WORKER_ID", "SNAKEBRIDGE_SHM_PATH", "SNAKEBRIDGE_HELPER_PATHS", "SNAKEBRIDGE_LOG_LEVEL",
      "SNAKEBRIDGE_STARTUP_IMPORTS", "SNAKEBRIDGE_HEARTBEAT_TIMEOUT_S", "SNAKEBRIDGE_SPIN_US",
      "SNAKEBRIDGE_SPIN_YIELD", "SNAKEBRIDGE_SLOTS", "SNAKEBRIDGE_BULK_DIR", "SNAKEBRIDGE_BULK_FALLBACK_DIR",
      "SNAKEBRIDGE_BULK_THRESHOLD", "SNAKEBRIDGE_CACHE_BYTECODE", "SNAKEBRIDGE_TEMPLATE_IMPORTS");

  private static Set<String> listeningSocketInodes() throws IOException {
    Set<String> inodes = new HashSet<>();
    for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
      Path file = Path.of("/proc/net", table);
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
        String[] f = line.trim().split("\\s+");
        // st 0A is LISTEN for TCP; any bound UDP socket (st 07) receives from the network.
        if (f.length > 9 && (f[3].equals("0A") || table.startsWith("udp"))) {
          inodes.add(f[9]);
        }
      }
    }
    return inodes;
  }

  private static Set<String> socketInodes(long pid) {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      fds.forEach(fd -> {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      });
    } catch (IOException e) {
      // the process ended
    }
    return inodes;
  }
}
