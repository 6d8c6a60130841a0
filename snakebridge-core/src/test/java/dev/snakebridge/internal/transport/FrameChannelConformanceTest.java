package dev.snakebridge.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snakebridge.internal.protocol.Frame;
import dev.snakebridge.internal.protocol.FrameDescriptor;
import java.io.EOFException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link FrameChannel} must have, checked on a connected pair of ends: frames
 * arrive whole, in order, in both directions, whatever their sizes; a sleeping reader is woken; a
 * closed peer is end of file. Subclasses make the pair (pipes, shared memory with polling or not).
 */
abstract class FrameChannelConformanceTest {
  @TempDir Path temp;

  /** A connected pair: [0] is the JVM's end, [1] the worker's. */
  abstract FrameChannel[] connect() throws Exception;

  static byte[] frame(int kind, long id, byte[] payload) {
    byte[] f = new byte[FrameDescriptor.HEADER_LENGTH + payload.length];
    int length = f.length - 4;
    for (int i = 0; i < 4; i++) {
      f[i] = (byte) (length >>> (8 * i));
    }
    f[FrameDescriptor.KIND_OFFSET] = (byte) kind;
    for (int i = 0; i < 8; i++) {
      f[FrameDescriptor.ID_OFFSET + i] = (byte) (id >>> (8 * i));
    }
    System.arraycopy(payload, 0, f, FrameDescriptor.HEADER_LENGTH, payload.length);
    return f;
  }

  static byte[] payload(Random r, int size) {
    byte[] p = new byte[size];
    r.nextBytes(p);
    return p;
  }

  @Test
  void framesArriveWholeAndInOrderBothWays() throws Exception {
    FrameChannel[] ends = connect();
    Random r = new Random(1);
    for (int i = 0; i < 200; i++) {
      byte[] p = payload(r, r.nextInt(300));
      ends[0].write(frame(1, i, p), FrameDescriptor.HEADER_LENGTH + p.length);
      Frame got = ends[1].read();
      assertThat(got.kind()).isEqualTo(1);
      assertThat(got.id()).isEqualTo(i);
      assertThat(got.payload()).isEqualTo(p);
      ends[1].write(frame(2, i, p), FrameDescriptor.HEADER_LENGTH + p.length);
      assertThat(ends[0].read().payload()).isEqualTo(p);
    }
  }

  @Test
  void mixedSizesIncludingHugeFramesKeepTheirOrder() throws Exception {
    FrameChannel[] ends = connect();
    Random r = new Random(2);
    List<byte[]> sent = new ArrayList<>();
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try {
        for (int i = 0; i < 2000; i++) {
          int size = i % 97 == 0 ? 200_000 + r.nextInt(100_000) : r.nextInt(5000);
          byte[] p = payload(r, size);
          synchronized (sent) {
            sent.add(p);
          }
          ends[1].write(frame(3, i, p), FrameDescriptor.HEADER_LENGTH + p.length);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    for (int i = 0; i < 2000; i++) {
      Frame f = ends[0].read();
      assertThat(f.id()).isEqualTo(i);
      synchronized (sent) {
        assertThat(f.payload()).isEqualTo(sent.get(i));
      }
    }
    writer.get(30, TimeUnit.SECONDS);
  }

  @Test
  void aSleepingReaderIsWoken() throws Exception {
    FrameChannel[] ends = connect();
    CompletableFuture<Frame> reading = CompletableFuture.supplyAsync(() -> {
      try {
        return ends[0].read();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(200);
    assertThat(reading).isNotDone();
    ends[1].write(frame(4, 9, new byte[] {1, 2}), FrameDescriptor.HEADER_LENGTH + 2);
    assertThat(reading.get(5, TimeUnit.SECONDS).id()).isEqualTo(9);
  }

  @Test
  void pollNeverBlocks() throws Exception {
    FrameChannel[] ends = connect();
    assertThat(ends[0].poll()).isNull();
    ends[1].write(frame(5, 1, new byte[] {7}), FrameDescriptor.HEADER_LENGTH + 1);
    Frame f = null;
    long deadline = System.currentTimeMillis() + 2000;
    while (f == null && System.currentTimeMillis() < deadline) {
      f = ends[0].poll();
    }
    assertThat(f).isNotNull();
    assertThat(f.payload()).containsExactly(7);
    assertThat(ends[0].poll()).isNull();
  }

  @Test
  void aClosedPeerIsEndOfFile() throws Exception {
    FrameChannel[] ends = connect();
    ends[1].close();
    assertThatThrownBy(() -> ends[0].read()).isInstanceOf(EOFException.class);
  }

  private final List<Process> cats = new ArrayList<>();

  /**
   * One direction of OS pipe, as the runtime gets them from a child process: a {@code cat} copies what
   * is written to its stdin to its stdout ({@code available()} works on such streams, unlike on
   * {@code java.nio} pipes).
   */
  Object[] osPipe() throws Exception {
    Process cat = new ProcessBuilder("cat").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    cats.add(cat);
    return new Object[] {cat.getInputStream(), cat.getOutputStream()};
  }

  @org.junit.jupiter.api.AfterEach
  void stopCats() {
    cats.forEach(Process::destroy);
  }

  static class PipeConformanceTest extends FrameChannelConformanceTest {
    @Override
    FrameChannel[] connect() throws Exception {
      Object[] toWorker = osPipe();
      Object[] toJvm = osPipe();
      return new FrameChannel[] {
        new PipeChannel((InputStream) toJvm[0], (OutputStream) toWorker[1], 0),
        new PipeChannel((InputStream) toWorker[0], (OutputStream) toJvm[1], 0)
      };
    }
  }

  static class SharedMemoryConformanceTest extends FrameChannelConformanceTest {
    long spinNanos() {
      return 50_000;
    }

    @Override
    FrameChannel[] connect() throws Exception {
      int capacity = 64 * 1024;
      Path file = temp.resolve("rings-" + System.nanoTime());
      MappedByteBuffer jvmMap = ShmChannel.createFile(file, capacity);
      MappedByteBuffer workerMap;
      try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
          java.nio.file.StandardOpenOption.WRITE)) {
        workerMap = ch.map(java.nio.channels.FileChannel.MapMode.READ_WRITE, 0, RingDescriptor.fileLength(capacity));
      }
      Object[] toWorker = osPipe();
      Object[] toJvm = osPipe();
      return new FrameChannel[] {
        ShmChannel.jvmSide(jvmMap, capacity, (InputStream) toJvm[0], (OutputStream) toWorker[1], spinNanos()),
        ShmChannel.workerSide(workerMap, capacity, (InputStream) toWorker[0], (OutputStream) toJvm[1], spinNanos())
      };
    }
  }

  static class SharedMemoryWithoutPollingConformanceTest extends SharedMemoryConformanceTest {
    @Override
    long spinNanos() {
      return 0;
    }
  }
}
