package dev.snakebridge.internal.codec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snakebridge.SerializationException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Untrusted bytes never crash the decoder with anything but a SerializationException, nor allocate wildly. */
class ValueDecoderFuzzTest {
  private static Object decode(byte[] bytes, int length) {
    return new ValueDecoder(bytes, 0, length, (id, type, repr) -> id, items -> Arrays.asList(items)).decode();
  }

  @Test
  void randomAndTruncatedInputsFailCleanly() {
    Random random = new Random(7);
    ByteSink valid = new ByteSink(64);
    new ValueEncoder(valid, null).encode(List.of(Map.of("k", List.of(1L, "two", 3.0)), "tail", new byte[] {1, 2}));
    for (int cut = 0; cut < valid.position(); cut++) {
      int n = cut;
      assertThatThrownBy(() -> decode(valid.array(), n)).isInstanceOf(SerializationException.class);
    }
    byte[] noise = new byte[64];
    for (int i = 0; i < 20_000; i++) {
      random.nextBytes(noise);
      int length = 1 + random.nextInt(noise.length);
      try {
        decode(noise, length);
      } catch (SerializationException expected) {
        // The only failure allowed.
      }
    }
  }

  @Test
  void hugeDeclaredCountIsRefusedWithoutAllocating() {
    byte[] bytes = {WireTag.LIST, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f};
    assertThatThrownBy(() -> decode(bytes, bytes.length))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("exceeds");
  }

  @Test
  void deepNestingIsRefused() {
    byte[] bytes = new byte[5 * 300 + 1];
    for (int i = 0; i < 300; i++) {
      bytes[i * 5] = WireTag.LIST;
      bytes[i * 5 + 1] = 1;
    }
    assertThatThrownBy(() -> decode(bytes, bytes.length))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("nesting");
  }
}
