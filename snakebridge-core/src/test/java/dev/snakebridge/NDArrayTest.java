package dev.snakebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class NDArrayTest {
  @Test
  void factoriesKeepValuesShapeAndDtype() {
    NDArray m = NDArray.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    assertThat(m.dtype()).isEqualTo(NDArray.DType.FLOAT64);
    assertThat(m.shape()).containsExactly(2, 3);
    assertThat(m.ndim()).isEqualTo(2);
    assertThat(m.size()).isEqualTo(6);
    assertThat(m.nbytes()).isEqualTo(48);
    assertThat(m.order()).isEqualTo(NDArray.Order.C);
    assertThat(m.strides()).containsExactly(24, 8);
    assertThat(m.toDoubleArray()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(m.toString()).isEqualTo("NDArray[float64 (2, 3) C]");

    assertThat(NDArray.of(new float[] {1.5f}).toFloatArray()).containsExactly(1.5f);
    assertThat(NDArray.of(new long[] {Long.MIN_VALUE, 7}).toLongArray()).containsExactly(Long.MIN_VALUE, 7);
    assertThat(NDArray.of(new int[] {-1, 2}).toIntArray()).containsExactly(-1, 2);
    assertThat(NDArray.of(new short[] {-32768}).toShortArray()).containsExactly((short) -32768);
    assertThat(NDArray.of(new byte[] {-1}).dtype()).isEqualTo(NDArray.DType.INT8);
    assertThat(NDArray.ofUnsigned(new byte[] {-1}).dtype()).isEqualTo(NDArray.DType.UINT8);
    assertThat(NDArray.ofUnsigned(new byte[] {-1, 2}).toByteArray()).containsExactly(-1, 2);
    assertThat(NDArray.of(new boolean[] {true, false, true}).toBooleanArray()).containsExactly(true, false, true);
    assertThat(NDArray.of(new double[] {1, 2, 3}).shape()).containsExactly(3);
    NDArray scalar = NDArray.wrap(NDArray.DType.INT64, ByteBuffer.allocate(8).putLong(0, 7), NDArray.Order.C);
    assertThat(scalar.ndim()).isZero();
    assertThat(scalar.size()).isEqualTo(1);
    assertThat(scalar.toString()).isEqualTo("NDArray[int64 () C]");
  }

  @Test
  void valuesAreCopiedInAndOut() {
    double[] source = {1, 2};
    NDArray a = NDArray.of(source);
    source[0] = 99;
    double[] out = a.toDoubleArray();
    out[1] = 99;
    assertThat(a.toDoubleArray()).containsExactly(1, 2);
    assertThat(a.buffer().isReadOnly()).isTrue();
    assertThat(a.buffer().order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
  }

  @Test
  void copyIntoFillsTheCallersArrayAndChecksItsLengthAndType() {
    double[] into = new double[3];
    assertThat(NDArray.of(new double[] {1, 2, 3}).copyInto(into)).isSameAs(into).containsExactly(1, 2, 3);
    assertThat(NDArray.of(new double[] {4, 5, 6}).copyInto(into)).containsExactly(4, 5, 6);
    assertThat(NDArray.of(new float[] {1.5f}).copyInto(new float[1])).containsExactly(1.5f);
    assertThat(NDArray.of(new long[] {-7}).copyInto(new long[1])).containsExactly(-7);
    assertThat(NDArray.of(new int[] {8, 9}).copyInto(new int[2])).containsExactly(8, 9);
    ByteBuffer b = ByteBuffer.allocate(4 * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : new double[] {1, 3, 2, 4}) {   // [[1, 2], [3, 4]] in F order
      b.putDouble(v);
    }
    assertThat(NDArray.wrap(NDArray.DType.FLOAT64, b.flip(), NDArray.Order.F, 2, 2).copyInto(new double[4]))
        .containsExactly(1, 2, 3, 4);
    assertThatThrownBy(() -> NDArray.of(new double[] {1, 2}).copyInto(new double[3]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 elements").hasMessageContaining("has 2");
    assertThatThrownBy(() -> NDArray.of(new int[] {1}).copyInto(new double[1]))
        .isInstanceOf(SerializationException.class);
  }

  @Test
  void columnMajorArraysAreCopiedRowMajor() {
    ByteBuffer b = ByteBuffer.allocate(6 * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : new double[] {1, 4, 2, 5, 3, 6}) {   // [[1, 2, 3], [4, 5, 6]] in F order
      b.putDouble(v);
    }
    NDArray f = NDArray.wrap(NDArray.DType.FLOAT64, b.flip(), NDArray.Order.F, 2, 3);
    assertThat(f.strides()).containsExactly(8, 16);
    assertThat(f.toDoubleArray()).containsExactly(1, 2, 3, 4, 5, 6);

    ByteBuffer i = ByteBuffer.allocate(24 * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int k = 0; k < 24; k++) {
      i.putInt(k);
    }
    NDArray cube = NDArray.wrap(NDArray.DType.INT32, i.flip(), NDArray.Order.F, 2, 3, 4);
    int[] rowMajor = cube.toIntArray();
    // element (x, y, z) sits at x + 2y + 6z in F order and at 12x + 4y + z in C order
    for (int x = 0; x < 2; x++) {
      for (int y = 0; y < 3; y++) {
        for (int z = 0; z < 4; z++) {
          assertThat(rowMajor[12 * x + 4 * y + z]).isEqualTo(x + 2 * y + 6 * z);
        }
      }
    }
  }

  @Test
  void wrapSharesAndChecksTheBuffer() {
    ByteBuffer big = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
    big.order(ByteOrder.LITTLE_ENDIAN).putLong(0, 5).putLong(8, 6);
    NDArray a = NDArray.wrap(NDArray.DType.INT64, big, NDArray.Order.C, 2);
    assertThat(a.toLongArray()).containsExactly(5, 6);
    assertThatThrownBy(() -> NDArray.wrap(NDArray.DType.INT64, big, NDArray.Order.C, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 24 bytes, but the buffer holds 16");
  }

  @Test
  void badShapesAndWrongDtypesAreClearErrors() {
    assertThatThrownBy(() -> NDArray.of(new double[] {1, 2, 3}, 2, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shape (2, 2) holds 4 elements, but 3 were given");
    assertThatThrownBy(() -> NDArray.of(new double[0], -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative dimension");
    assertThatThrownBy(() -> NDArray.of(new long[] {1}).toDoubleArray())
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("needs float64")
        .hasMessageContaining("for int64 use toLongArray()");
    assertThatThrownBy(() -> NDArray.of(new double[] {1}).toByteArray())
        .isInstanceOf(SerializationException.class).hasMessageContaining("int8 or uint8");
    assertThat(NDArray.DType.ofNumpyName("uint8")).isEqualTo(NDArray.DType.UINT8);
    assertThatThrownBy(() -> NDArray.DType.ofNumpyName("complex128"))
        .hasMessageContaining("supported: float64, float32, int64, int32, int16, int8, uint8, bool");
  }
}
