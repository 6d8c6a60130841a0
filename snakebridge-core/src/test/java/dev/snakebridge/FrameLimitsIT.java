package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snakebridge.internal.bulk.LargeBuffers;
import dev.snakebridge.internal.protocol.FrameDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The frame maximum (1 GiB) against a real worker: each sender refuses a value too large for a frame as
 * that call's error and the connection goes on; large bytes and strings do not need frames at all.
 */
class FrameLimitsIT {
  /** Below the default large-buffer threshold (1 MiB): such values are copied into the frame. */
  private static final int INLINE_CHUNK = (1 << 20) - 64;

  static Path shared;
  static SnakeBridgeRuntime py;

  @BeforeAll
  static void start() throws IOException {
    shared = Files.createTempDirectory(LargeBuffers.defaultDirectory(), "sb-frame-limits-");
    // Generous timeout: building a 1 GiB frame takes seconds on a busy machine.
    py = SnakeBridgeRuntime.create(Workers.config(1).largeBufferDirectory(shared)
        .callTimeout(Duration.ofMinutes(5)).build());
  }

  @AfterAll
  static void stop() throws IOException {
    py.close();
    try (Stream<Path> files = Files.list(shared)) {
      assertThat(files.toList()).as("shared-memory files left in " + shared).isEmpty();
    }
    Files.delete(shared);
  }

  @Test
  void aRequestTooLargeForAFrameFailsBeforeItIsSentAndTheWorkerServesOn() {
    List<byte[]> many = Collections.nCopies(FrameDescriptor.MAX_FRAME_BYTES / INLINE_CHUNK + 1, new byte[INLINE_CHUNK]);
    assertThatThrownBy(() -> py.call("builtins", "len", many))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining(Integer.toString(FrameDescriptor.MAX_FRAME_BYTES));
    assertThat(py.call("math", "sqrt", 16.0)).isEqualTo(4.0);
  }

  @Test
  void aResultTooLargeForAFrameIsThatCallsErrorAndTheWorkerServesOn() {
    int copies = FrameDescriptor.MAX_FRAME_BYTES / INLINE_CHUNK + 1;
    assertThatThrownBy(() -> py.call("operator", "mul", List.of(new byte[INLINE_CHUNK]), copies))
        .isInstanceOfSatisfying(PythonException.class, e -> {
          assertThat(e.pythonType()).isEqualTo("ValueError");
          assertThat(e.pythonMessage()).contains("too large to send", Integer.toString(FrameDescriptor.MAX_FRAME_BYTES));
        });
    assertThat(py.call("math", "sqrt", 16.0)).isEqualTo(4.0);
  }

  @Test
  void largeBytesTravelThroughSharedMemoryBothWays() {
    byte[] pattern = new byte[256];
    for (int i = 0; i < pattern.length; i++) {
      pattern[i] = (byte) i;
    }
    int copies = (64 << 20) / pattern.length;
    byte[] big = (byte[]) py.call("operator", "mul", pattern, copies);
    assertThat(big).hasSize(pattern.length * copies);
    int firstBad = -1;
    for (int at = 0; at < big.length && firstBad < 0; at += pattern.length) {
      if (!Arrays.equals(big, at, at + pattern.length, pattern, 0, pattern.length)) {
        firstBad = at;
      }
    }
    assertThat(firstBad).as("offset of the first block that differs").isEqualTo(-1);
    assertThat(py.call("builtins", "len", big)).isEqualTo((long) big.length);
  }

  @Test
  void largeStringsTravelThroughSharedMemoryBothWays() {
    String unit = "a\u00e9\u20ac\ud83d\ude00"; // 1 + 2 + 3 + 4 UTF-8 bytes; 4 code points, 5 Java chars
    int copies = 3_000_000;
    String big = (String) py.call("operator", "mul", unit, copies);
    assertThat(big.length()).isEqualTo(unit.length() * copies);
    assertThat(big.equals(unit.repeat(copies))).as("the 30 MB string arrived intact").isTrue();
    assertThat(py.call("builtins", "len", big)).isEqualTo(4L * copies);
  }
}
