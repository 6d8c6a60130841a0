package dev.snakebridge.internal.codec;

import dev.snakebridge.SerializationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Properties of the Java codec, checked over random values ({@link WireValues}): every mapped value
 * round-trips exactly, and the decoder, fed mutated encodings (bytes overwritten, the encoding cut
 * short), either decodes or throws a {@link SerializationException}, never anything else.
 *
 * <p>{@code -Dsnakebridge.codec.tries=N} sets how many values each property tries (1,000 by default; the
 * long reliability profile tries a million) and {@code -Dsnakebridge.codec.seed=S} replays a run: a
 * failure names the seed and the try.
 */
class ValueCodecPropertiesTest {
  private static final int TRIES = Integer.getInteger("snakebridge.codec.tries", 1000);
  private static final long SEED = Long.getLong("snakebridge.codec.seed", System.nanoTime());
  private static final AtomicLong ROUND_TRIPS = new AtomicLong();
  private static final AtomicLong MUTATED = new AtomicLong();

  /** Leaves the counts for the reliability summary (docs/RELIABILITY.md). */
  @AfterAll
  static void record() throws IOException {
    Path out = Path.of("target", "reliability", "fuzz-java.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, String.format("fuzz-java: %d values round-tripped exactly, %d mutated"
        + " encodings decoded or refused cleanly (seeded property loop)%n", ROUND_TRIPS.get(), MUTATED.get()));
  }

  @Test
  void everyMappedValueRoundTripsExactly() {
    WireValues values = new WireValues(SEED);
    for (int i = 0; i < TRIES; i++) {
      Object value = values.any();
      ROUND_TRIPS.incrementAndGet();
      Object back = decode(encode(value));
      if (!WireValues.same(value, back)) {
        throw new AssertionError("try " + i + " of seed " + SEED + ": " + WireValues.describe(value)
            + " came back as " + WireValues.describe(back));
      }
    }
  }

  @Test
  void mutatedEncodingsDecodeOrFailCleanly() {
    WireValues values = new WireValues(SEED);
    SplittableRandom random = new SplittableRandom(SEED ^ 0x5DEECE66DL);
    for (int i = 0; i < TRIES; i++) {
      byte[] bytes = encode(values.any());
      for (int edits = 1 + random.nextInt(4); edits > 0 && bytes.length > 0; edits--) {
        int at = random.nextInt(bytes.length);
        if (random.nextInt(4) == 0) {
          bytes = Arrays.copyOf(bytes, at); // cut short
        } else {
          bytes[at] = (byte) random.nextInt(256);
        }
      }
      MUTATED.incrementAndGet();
      try {
        decode(bytes);
      } catch (SerializationException expected) {
        // The one failure allowed.
      } catch (RuntimeException | Error e) {
        throw new AssertionError("try " + i + " of seed " + SEED + ": decoding " + Arrays.toString(bytes)
            + " threw " + e, e);
      }
    }
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
