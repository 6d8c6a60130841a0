package dev.snakebridge.internal.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.snakebridge.SerializationException;
import java.util.Arrays;

/**
 * Coverage-guided fuzz target (Jazzer) for the Java decoder: any bytes either decode or fail with
 * {@link SerializationException}; anything else (another exception, a hang, an allocation beyond the
 * input's declared sizes) is a finding. Every build replays the checked-in corpus
 * ({@code ValueDecoderFuzzTargetTestInputs/}); {@code JAZZER_FUZZ=1 ./mvnw -pl snakebridge-core test
 * -Dtest=ValueDecoderFuzzTargetTest} fuzzes for up to the duration below (the long reliability profile does).
 */
class ValueDecoderFuzzTargetTest {
  @FuzzTest(maxDuration = "10m")
  void decodeNeverFailsOtherwise(byte[] input) {
    try {
      new ValueDecoder(input, 0, input.length, (id, type, repr) -> id, items -> Arrays.asList(items)).decode();
    } catch (SerializationException expected) {
      // The one failure allowed.
    }
  }
}
