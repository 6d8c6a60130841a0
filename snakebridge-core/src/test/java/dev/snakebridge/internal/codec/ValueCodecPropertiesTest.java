package dev.snakebridge.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.snakebridge.SerializationException;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the Java codec: every mapped value round-trips exactly, and the decoder, fed mutated
 * encodings (a fuzz loop driven by jqwik's generators and shrinking), either decodes or throws a
 * {@link SerializationException}, never anything else.
 */
class ValueCodecPropertiesTest {
  private static final java.util.concurrent.atomic.AtomicLong ROUND_TRIPS = new java.util.concurrent.atomic.AtomicLong();
  private static final java.util.concurrent.atomic.AtomicLong MUTATED = new java.util.concurrent.atomic.AtomicLong();

  /** Leaves the counts for the reliability summary (docs/RELIABILITY.md). */
  @net.jqwik.api.lifecycle.AfterContainer
  static void record() throws java.io.IOException {
    java.nio.file.Path out = java.nio.file.Path.of("target", "reliability", "fuzz-java.txt");
    java.nio.file.Files.createDirectories(out.getParent());
    java.nio.file.Files.writeString(out, String.format("fuzz-java: %d values round-tripped exactly, %d mutated"
        + " encodings decoded or refused cleanly (jqwik)%n", ROUND_TRIPS.get(), MUTATED.get()));
  }
  @Property
  void everyMappedValueRoundTripsExactly(@ForAll("values") Object value) {
    ROUND_TRIPS.incrementAndGet();
    Object back = decode(encode(value));
    if (!WireValues.same(value, back)) {
      throw new AssertionError(WireValues.describe(value) + " came back as " + WireValues.describe(back));
    }
  }

  @Property
  void mutatedEncodingsDecodeOrFailCleanly(@ForAll("values") Object value, @ForAll("mutations") int[] edits) {
    MUTATED.incrementAndGet();
    byte[] bytes = encode(value);
    for (int i = 0; i + 1 < edits.length; i += 2) {
      if (bytes.length == 0) {
        break;
      }
      int at = Math.floorMod(edits[i], bytes.length);
      if ((edits[i + 1] & 0x300) == 0x300) {
        bytes = Arrays.copyOf(bytes, at); // truncated
      } else {
        bytes[at] = (byte) edits[i + 1];
      }
    }
    try {
      decode(bytes);
    } catch (SerializationException expected) {
      // The one failure allowed.
    }
  }

  @Provide
  Arbitrary<Object> values() {
    return WireValues.any();
  }

  @Provide
  Arbitrary<int[]> mutations() {
    return Arbitraries.integers().array(int[].class).ofMinSize(2).ofMaxSize(8);
  }

  private static byte[] encode(Object value) {
    ByteSink sink = new ByteSink(16);
    new ValueEncoder(sink, null).encode(value);
    return Arrays.copyOf(sink.array(), sink.position());
  }

  private static Object decode(byte[] bytes) {
    ValueDecoder decoder = new ValueDecoder(bytes, 0, bytes.length, (id, type, repr) -> "ref:" + id,
        items -> Arrays.asList(items));
    Object decoded = decoder.decode();
    if (decoder.hasRemaining()) {
      throw new SerializationException("bytes after the value");
    }
    return decoded;
  }
}
