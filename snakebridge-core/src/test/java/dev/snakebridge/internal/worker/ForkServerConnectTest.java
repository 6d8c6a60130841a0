package dev.snakebridge.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the JVM opens a forked worker's FIFOs, with a test thread in the worker's place: it must never block
 * on a worker that is gone, and must still see the worker's end of file once it is connected or dead.
 */
class ForkServerConnectTest {
  @TempDir Path temp;
  private Path dir;

  @BeforeEach
  void makeFifos() throws Exception {
    dir = Files.createDirectory(temp.resolve("fifos"));
    Process mkfifo = new ProcessBuilder("mkfifo", "req", "resp", "err").directory(dir.toFile()).start();
    assertThat(mkfifo.waitFor()).isZero();
  }

  /** Runs {@code body} on a thread of its own (FIFO opens and reads block it): a hang fails the test. */
  private static <T> CompletableFuture<T> background(Callable<T> body) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread.ofPlatform().daemon().start(() -> {
      try {
        result.complete(body.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  private ForkedProcess connect(CompletableFuture<Integer> exit) throws Exception {
    return background(() -> ForkServer.connect(null, 4242, dir, exit)).get(5, TimeUnit.SECONDS);
  }

  @Test
  void aWorkerThatNeverOpensItsEndsDoesNotHoldTheJvmAndItsDeathReadsAsEndOfFile() throws Exception {
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    ForkedProcess forked = connect(exit);
    assertThat(dir.resolve("req")).as("the worker still needs the names").exists();
    CompletableFuture<Integer> firstByte = background(() -> forked.responses().read());
    Thread.sleep(100);
    assertThat(firstByte).as("no end of file while the worker may still connect").isNotDone();
    exit.complete(137);
    assertThat(firstByte.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
    assertThat(dir).doesNotExist();
    assertThat(forked.stderr().read()).isEqualTo(-1);
  }

  @Test
  void aWorkerWhoseFifosWereAlreadyRemovedFailsAtOnce() throws Exception {
    for (String name : new String[] {"req", "resp", "err"}) {
      Files.delete(dir.resolve(name));
    }
    CompletableFuture<Integer> exit = CompletableFuture.completedFuture(137);
    assertThatThrownBy(() -> connect(exit)).hasCauseInstanceOf(IOException.class)
        .hasMessageContaining("ended before it connected (exit status 137)")
        .hasRootCauseInstanceOf(java.nio.file.NoSuchFileException.class);
  }

  @Test
  void aConnectedWorkerTalksBothWaysAndItsClosedEndReadsAsEndOfFile() throws Exception {
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    // The worker's side opens in the order forkserver.py does: req for reading, then resp and err for writing.
    CompletableFuture<Integer> worker = background(() -> {
      try (InputStream req = new FileInputStream(dir.resolve("req").toFile());
          OutputStream resp = new FileOutputStream(dir.resolve("resp").toFile());
          OutputStream err = new FileOutputStream(dir.resolve("err").toFile())) {
        int b = req.read();
        resp.write(b + 1);
        err.write('!');
        return b;
      }
    });
    ForkedProcess forked = connect(exit);
    forked.requests().write(41);
    forked.requests().flush();
    assertThat(forked.responses().read()).isEqualTo(42);
    assertThat(worker.get(5, TimeUnit.SECONDS)).isEqualTo(41);
    forked.connected(); // HELLO seen: from now on the worker's own ends decide end of file
    assertThat(dir).doesNotExist();
    assertThat(forked.stderr().read()).isEqualTo('!');
    assertThat(forked.stderr().read()).isEqualTo(-1);
    assertThat(forked.responses().read()).isEqualTo(-1);
    assertThat(exit).isNotDone();
  }
}
