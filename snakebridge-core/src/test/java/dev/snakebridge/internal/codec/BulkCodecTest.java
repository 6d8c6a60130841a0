package dev.snakebridge.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.snakebridge.NDArray;
import dev.snakebridge.PyTable;
import dev.snakebridge.SerializationException;
import dev.snakebridge.internal.bulk.LargeBuffers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NDARRAY and TABLE: the same layout goes both ways, so the Java encoder's bytes decode to what was
 * encoded, inline and through shared-memory files (which the decoder unlinks).
 */
class BulkCodecTest {
  @TempDir
  Path dir;

  private byte[] encode(Object value, LargeBuffers large) {
    ByteSink sink = new ByteSink(16);
    new ValueEncoder(sink, null, large).encode(value);
    return Arrays.copyOf(sink.array(), sink.position());
  }

  private Object decode(byte[] data, LargeBuffers large) {
    ValueDecoder decoder = new ValueDecoder(data, 0, data.length, (id, type, repr) -> "ref:" + id,
        items -> Arrays.asList(items), large);
    Object value = decoder.decode();
    assertThat(decoder.hasRemaining()).isFalse();
    return value;
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  @Test
  void inlineArraysMatchTheLayout() {
    byte[] data = encode(NDArray.of(new int[] {1, 2, 3}), null);
    ByteBuffer expected = ByteBuffer.allocate(4 + 8 + 9 + 12).order(ByteOrder.LITTLE_ENDIAN)
        .put((byte) 0x18).put((byte) 'i').put((byte) 'C').put((byte) 1).putLong(3)
        .put((byte) 0).putLong(12).putInt(1).putInt(2).putInt(3);
    assertThat(data).isEqualTo(expected.array());
    NDArray back = (NDArray) decode(data, null);
    assertThat(back.toIntArray()).containsExactly(1, 2, 3);
  }

  @Test
  void everyDtypeAndOrderRoundTrips() {
    for (NDArray a : List.of(NDArray.of(new double[] {1.5, -0.0, Double.NaN}), NDArray.of(new float[] {2f}, 1, 1),
        NDArray.of(new long[] {Long.MAX_VALUE}), NDArray.of(new short[] {1, 2, 3, 4}, 2, 2),
        NDArray.of(new byte[] {-128}), NDArray.ofUnsigned(new byte[] {(byte) 255}),
        NDArray.of(new boolean[] {true, false}), NDArray.of(new double[0], 0, 3))) {
      NDArray back = (NDArray) decode(encode(a, null), null);
      assertThat(back.dtype()).isEqualTo(a.dtype());
      assertThat(back.shape()).isEqualTo(a.shape());
      assertThat(back.buffer()).isEqualTo(a.buffer());
    }
    ByteBuffer f = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).putDouble(1).putDouble(3).putDouble(2).putDouble(4);
    NDArray fortran = (NDArray) decode(encode(NDArray.wrap(NDArray.DType.FLOAT64, f.flip(), NDArray.Order.F, 2, 2), null), null);
    assertThat(fortran.order()).isEqualTo(NDArray.Order.F);
    assertThat(fortran.toDoubleArray()).containsExactly(1, 2, 3, 4);
  }

  @Test
  void largeBuffersGoThroughFilesThatTheReceiverUnlinks() throws IOException {
    LargeBuffers large = new LargeBuffers(dir, 1024, LargeBuffers.DEFAULT_MAPPED_BUDGET, 0);
    double[] values = new double[1000];
    Arrays.setAll(values, i -> i * 0.5);
    ByteSink sink = new ByteSink(16);
    ValueEncoder encoder = new ValueEncoder(sink, null, large);
    encoder.encode(List.of(values, NDArray.of(new long[200], 10, 20), NDArray.of(new double[10])));
    assertThat(encoder.createdFiles()).hasSize(2);
    assertThat(files()).hasSize(2);
    assertThat(Files.getPosixFilePermissions(encoder.createdFiles().get(0)).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
    assertThat(encoder.createdFiles().get(0).getFileName().toString())
        .matches("snakebridge-bulk-" + ProcessHandle.current().pid() + "-[0-9a-f]{16}");

    List<?> back = (List<?>) decode(Arrays.copyOf(sink.array(), sink.position()), large);
    assertThat(files()).isEmpty();
    NDArray first = (NDArray) back.get(0);
    assertThat(first.toDoubleArray()).containsExactly(values);
    assertThat(first.buffer().isDirect()).isTrue();   // a view of the mapping, not a copy
    assertThat(((NDArray) back.get(1)).shape()).containsExactly(10, 20);
    assertThat(((NDArray) back.get(2)).buffer().isDirect()).isFalse();   // small: inline
    assertThat(large.counters()).containsExactly(2, 2);
    large.discard(encoder.createdFiles());   // the sender's safety net finds nothing left
  }

  @Test
  void largePrimitiveArraysOfEveryKind() {
    LargeBuffers large = new LargeBuffers(dir, 64, LargeBuffers.DEFAULT_MAPPED_BUDGET, 0);
    Object[] arrays = {new double[100], new float[100], new long[100], new int[100], new short[100]};
    ((double[]) arrays[0])[99] = 9;
    ((float[]) arrays[1])[99] = 9;
    ((long[]) arrays[2])[99] = 9;
    ((int[]) arrays[3])[99] = 9;
    ((short[]) arrays[4])[99] = 9;
    List<?> back = (List<?>) decode(encode(List.of(arrays), large), large);
    NDArray d = (NDArray) back.get(0);
    NDArray f = (NDArray) back.get(1);
    NDArray l = (NDArray) back.get(2);
    NDArray i = (NDArray) back.get(3);
    NDArray s = (NDArray) back.get(4);
    assertThat(d.toDoubleArray()[99]).isEqualTo(9.0);
    assertThat(f.toFloatArray()[99]).isEqualTo(9f);
    assertThat(l.toLongArray()[99]).isEqualTo(9L);
    assertThat(i.toIntArray()[99]).isEqualTo(9);
    assertThat(s.toShortArray()[99]).isEqualTo((short) 9);
  }

  @Test
  void tablesRoundTripInlineAndShared() throws IOException {
    PyTable t = PyTable.builder()
        .doubles("x", 1.5, Double.NaN, -2)
        .longs("n", 1, 2, Long.MIN_VALUE)
        .booleans("ok", true, false, true)
        .strings("s", "a", null, "ü")
        .build();
    for (LargeBuffers large : new LargeBuffers[] {null, new LargeBuffers(dir, 2, LargeBuffers.DEFAULT_MAPPED_BUDGET, 0)}) {
      PyTable back = (PyTable) decode(encode(t, large), large);
      assertThat(back.columnNames()).containsExactly("x", "n", "ok", "s");
      assertThat(back.doubles("x")).containsExactly(1.5, Double.NaN, -2);
      assertThat(back.longs("n")).containsExactly(1, 2, Long.MIN_VALUE);
      assertThat(back.booleans("ok")).containsExactly(true, false, true);
      assertThat(back.strings("s")).containsExactly("a", null, "ü");
      assertThat(files()).isEmpty();
    }
  }

  @Test
  void mutatedAndTruncatedBulkValuesFailCleanly() {
    LargeBuffers large = new LargeBuffers(dir, 1 << 20, LargeBuffers.DEFAULT_MAPPED_BUDGET, 0);
    byte[][] seeds = {
        encode(NDArray.of(new double[] {1, 2, 3, 4}, 2, 2), null),
        encode(PyTable.builder().doubles("x", 1, 2).longs("n", 3, 4).booleans("b", true, false)
            .strings("s", "a", null).build(), null)};
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 20_000; i++) {
      byte[] seed = seeds[i % seeds.length];
      byte[] data = Arrays.copyOf(seed, random.nextInt(seed.length + 1));
      for (int k = random.nextInt(4); k > 0 && data.length > 1; k--) {
        data[1 + random.nextInt(data.length - 1)] = (byte) random.nextInt(256);
      }
      try {
        decode(data, large);
      } catch (SerializationException expected) {
        // the only way a malformed bulk value may fail
      } catch (AssertionError leftover) {
        // decoded a value but bytes were left: also fine for a mutated input
      }
    }
  }

  @Test
  void malformedBulkValuesAreErrors() {
    byte[] good = encode(NDArray.of(new double[] {1, 2}), null);
    byte[] shortData = Arrays.copyOf(good, good.length - 1);
    assertThatThrownBy(() -> decode(shortData, null)).isInstanceOf(SerializationException.class);
    byte[] badDtype = good.clone();
    badDtype[1] = 'x';
    assertThatThrownBy(() -> decode(badDtype, null)).hasMessageContaining("unknown dtype code");
    byte[] badOrder = good.clone();
    badOrder[2] = 'Z';
    assertThatThrownBy(() -> decode(badOrder, null)).hasMessageContaining("order");
    byte[] shared = encode(NDArray.of(new double[] {1, 2}), new LargeBuffers(dir, 1, LargeBuffers.DEFAULT_MAPPED_BUDGET, 0));
    assertThatThrownBy(() -> decode(shared, null)).hasMessageContaining("no shared directory");
  }
}
