package dev.snakebridge.internal.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snakebridge.SerializationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LargeBuffersTest {
  @TempDir
  Path dir;

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  @Test
  void readsTheCreatorPidOnlyFromWellFormedBufferNames() {
    assertThat(LargeBuffers.creatorPid("snakebridge-bulk-4242-0123456789abcdef")).isEqualTo(4242);
    assertThat(LargeBuffers.creatorPid("snakebridge-bulk-1-ffffffffffffffff")).isEqualTo(1);
    assertThat(LargeBuffers.creatorPid("snakebridge-bulk--0123456789abcdef")).isEqualTo(-1);
    assertThat(LargeBuffers.creatorPid("snakebridge-bulk-42-0123456789ABCDEF")).isEqualTo(-1);
    assertThat(LargeBuffers.creatorPid("snakebridge-bulk-42-0123456789abcde")).isEqualTo(-1);
    assertThat(LargeBuffers.creatorPid("snakebridge-bulk-4x2-0123456789abcdef")).isEqualTo(-1);
    assertThat(LargeBuffers.creatorPid("snakebridge-ring-42-0123456789abcdef")).isEqualTo(-1);
    assertThat(LargeBuffers.creatorPid("snakebridge-bulk-99999999999999999999-0123456789abcdef")).isEqualTo(-1);
  }

  @Test
  void writesMapsAndUnlinks() throws IOException {
    LargeBuffers large = new LargeBuffers(dir, 10);
    assertThat(large.isLarge(9)).isFalse();
    assertThat(large.isLarge(10)).isTrue();
    byte[] data = new byte[3 << 20];   // several staging chunks
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    Path file = large.write(ByteBuffer.wrap(data));
    assertThat(Files.size(file)).isEqualTo(data.length);
    ByteBuffer mapped = large.map(file.toString(), data.length);
    assertThat(files()).isEmpty();
    byte[] back = new byte[data.length];
    mapped.get(back);
    assertThat(back).isEqualTo(data);
  }

  @Test
  void beyondTheMappedBudgetBuffersAreReadIntoTheHeap() throws IOException {
    LargeBuffers large = new LargeBuffers(dir, 10, 4 << 20);
    byte[] data = new byte[3 << 20];
    data[data.length - 1] = 42;
    ByteBuffer first = large.map(large.write(ByteBuffer.wrap(data)).toString(), data.length);
    assertThat(first.isDirect()).isTrue();
    assertThat(large.liveMappedBytes()).isEqualTo(data.length);
    ByteBuffer second = large.map(large.write(ByteBuffer.wrap(data)).toString(), data.length);
    assertThat(second.isDirect()).as("over the budget: a heap copy").isFalse();
    assertThat(second.get(data.length - 1)).isEqualTo((byte) 42);
    assertThat(first.get(data.length - 1)).isEqualTo((byte) 42);
    assertThat(files()).isEmpty();
  }

  @Test
  void refusesPathsThatAreNotItsBufferFiles() throws IOException {
    LargeBuffers large = new LargeBuffers(dir, 10);
    Path other = Files.writeString(dir.resolve("notes.txt"), "keep me");
    for (String path : List.of("/etc/passwd", other.toString(), dir.resolve("../snakebridge-bulk-1-0123456789abcdef").toString())) {
      assertThatThrownBy(() -> large.map(path, 1)).isInstanceOf(SerializationException.class).hasMessageContaining("refusing");
    }
    assertThat(other).exists();
    assertThatThrownBy(() -> large.map(dir.resolve("snakebridge-bulk-1-0123456789abcdef").toString(), 8))
        .isInstanceOf(SerializationException.class).hasMessageContaining("is gone");
  }

  @Test
  void aShortFileIsAnErrorAndIsRemoved() throws IOException {
    LargeBuffers large = new LargeBuffers(dir, 10);
    Path file = large.write(ByteBuffer.wrap(new byte[4]));
    assertThatThrownBy(() -> large.map(file.toString(), 8)).hasMessageContaining("holds 4 bytes, not 8");
    assertThat(files()).isEmpty();
  }

  @Test
  void sweepRemovesFilesOfDeadProcessesOnly() throws IOException, InterruptedException {
    LargeBuffers large = new LargeBuffers(dir, 10);
    Path mine = large.write(ByteBuffer.wrap(new byte[4]));
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    Path dead = Files.createFile(dir.resolve("snakebridge-bulk-" + p.pid() + "-0123456789abcdef"));
    Path other = Files.createFile(dir.resolve("unrelated"));
    assertThat(large.sweepDead()).isEqualTo(1);
    assertThat(dead).doesNotExist();
    assertThat(mine).exists();
    assertThat(other).exists();
    large.discard(List.of(mine, mine));
    assertThat(mine).doesNotExist();
  }
}
