package dev.snakebridge.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Python worker mirrors the ring layout: both sides must state the same offsets. */
class RingDescriptorTest {
  @Test
  void pythonMirrorsTheLayout() throws Exception {
    String python = Files.readString(
        Path.of("src/main/resources/dev/snakebridge/python/snakebridge/shm.py"), StandardCharsets.UTF_8);
    assertThat(python)
        .contains("MAGIC = 0x" + Integer.toHexString(RingDescriptor.MAGIC))
        .contains("HEADER_LENGTH = " + RingDescriptor.HEADER_LENGTH)
        .contains("CAPACITY_OFFSET = " + RingDescriptor.CAPACITY_OFFSET)
        .contains("WRITE_POSITION = " + RingDescriptor.WRITE_POSITION_OFFSET)
        .contains("READ_POSITION = " + RingDescriptor.READ_POSITION_OFFSET)
        .contains("SLEEPING = " + RingDescriptor.SLEEPING_OFFSET)
        .contains("STARTED = " + RingDescriptor.STARTED_OFFSET)
        .contains("KIND_PAD = 0x" + Integer.toHexString(RingDescriptor.KIND_PAD).toUpperCase())
        .contains("KIND_SPILL = 0x" + Integer.toHexString(RingDescriptor.KIND_SPILL).toUpperCase())
        .contains("KIND_WAKE = 0x" + Integer.toHexString(RingDescriptor.KIND_WAKE).toUpperCase());
  }

  @Test
  void recordsAreAlignedAndTheFileHoldsTwoRings() {
    assertThat(RingDescriptor.align(1)).isEqualTo(8);
    assertThat(RingDescriptor.align(16)).isEqualTo(16);
    assertThat(RingDescriptor.fileLength(4096)).isEqualTo(2 * (256 + 4096));
  }
}
