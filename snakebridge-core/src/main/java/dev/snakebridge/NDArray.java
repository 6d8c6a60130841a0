package dev.snakebridge;

import dev.snakebridge.internal.bulk.EarlyRelease;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional array of numbers or booleans held in Java memory: the Java side of a {@code
 * numpy.ndarray}. It has a {@link DType}, a shape, a memory {@link Order} (C: row-major, F:
 * column-major) and a little-endian {@link ByteBuffer} with the elements, one after the other.
 *
 * <pre>{@code
 * NDArray m = NDArray.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);        // numpy.array([[1,2,3],[4,5,6]])
 * PyRef sum = ...; SnakeBridge.call("numpy", "sum", m, Kwargs.kw("axis", 0));   // [5.0, 7.0, 9.0] as a ref
 * NDArray back = SnakeBridge.toNDArray(ref);                              // explicit: numpy → NDArray
 * double[] flat = back.toDoubleArray();                                   // row-major copy
 * }</pre>
 *
 * <p>numpy arrays never become {@code NDArray}s by themselves: results hold them as {@link PyRef}s
 * unless the call asks with {@link CallOptions#arraysAsNDArray()}, or {@link SnakeBridge#toNDArray}
 * converts one. Passed as an argument, an {@code NDArray} becomes a numpy array of the same dtype and
 * shape ({@code array.array} for a 1-D array when numpy is missing). Buffers of at least {@link
 * SnakeBridgeConfig#largeBufferThreshold()} bytes travel through shared memory: an {@code NDArray}
 * received that way is a view of the mapped memory (no copy), given back to the worker when the {@code
 * NDArray} and every buffer taken from it are garbage collected, or at once by {@link #release()} (or
 * {@link #close()}, for try-with-resources) — worth doing in a loop that receives large arrays, which
 * may otherwise outrun the collector and the worker's reusable shared memory with it.
 *
 * <p>Immutable as far as this class goes: the buffer is read-only to callers ({@link #buffer()} gives a
 * read-only view). An array made by {@link #wrap} shares the caller's buffer, which the caller must then
 * leave unchanged. Thread-safe.
 */
public final class NDArray implements AutoCloseable {
  /** The most dimensions an array may have (numpy's own limit). */
  public static final int MAX_DIMENSIONS = 32;

  /** Element types: the numpy dtypes that cross the boundary by value. */
  public enum DType {
    /** {@code numpy.float64}, Java {@code double}. */
    FLOAT64("float64", 'd', 8),
    /** {@code numpy.float32}, Java {@code float}. */
    FLOAT32("float32", 'f', 4),
    /** {@code numpy.int64}, Java {@code long}. */
    INT64("int64", 'q', 8),
    /** {@code numpy.int32}, Java {@code int}. */
    INT32("int32", 'i', 4),
    /** {@code numpy.int16}, Java {@code short}. */
    INT16("int16", 'h', 2),
    /** {@code numpy.int8}, Java {@code byte}. */
    INT8("int8", 'b', 1),
    /** {@code numpy.uint8}, Java {@code byte} read as unsigned (0..255). */
    UINT8("uint8", 'B', 1),
    /** {@code numpy.bool_}, one byte per element (0 or 1), Java {@code boolean}. */
    BOOL("bool", '?', 1);

    private final String numpyName;
    private final char code;
    private final int itemSize;

    DType(String numpyName, char code, int itemSize) {
      this.numpyName = numpyName;
      this.code = code;
      this.itemSize = itemSize;
    }

    /** numpy's name of the dtype, such as {@code "float64"}. */
    public String numpyName() {
      return numpyName;
    }

    /** Bytes per element. */
    public int itemSize() {
      return itemSize;
    }

    /** The one-byte code on the wire (Python {@code struct}/{@code array} type codes). */
    public char code() {
      return code;
    }

    /**
     * The dtype of a wire code.
     *
     * @throws IllegalArgumentException for a code that is not one of these dtypes
     */
    public static DType ofCode(int code) {
      for (DType t : values()) {
        if (t.code == code) {
          return t;
        }
      }
      throw new IllegalArgumentException("unknown dtype code 0x" + Integer.toHexString(code & 0xff));
    }

    /**
     * The dtype called {@code name} by numpy ({@code "float64"}, {@code "bool"}, ...).
     *
     * @throws IllegalArgumentException naming the accepted names
     */
    public static DType ofNumpyName(String name) {
      for (DType t : values()) {
        if (t.numpyName.equals(name)) {
          return t;
        }
      }
      throw new IllegalArgumentException("unsupported dtype '" + name + "'; supported: float64, float32, int64,"
          + " int32, int16, int8, uint8, bool");
    }
  }

  /** How the elements of a multi-dimensional array are laid out. */
  public enum Order {
    /** Row-major, numpy's default: the last index varies fastest. */
    C,
    /** Column-major (Fortran): the first index varies fastest. */
    F
  }

  private final DType dtype;
  private final long[] shape;
  private final Order order;
  private final ByteBuffer data;
  private final int size;
  private volatile boolean released;

  private NDArray(DType dtype, long[] shape, Order order, ByteBuffer data) {
    this.dtype = dtype;
    this.shape = shape;
    this.order = order;
    this.data = data;
    this.size = data.remaining() / dtype.itemSize;
  }

  // ------------------------------------------------------------------ factories

  /**
   * An array of {@code values} (copied) with {@code shape}, C order; no shape means 1-D.
   *
   * @throws IllegalArgumentException when the shape does not hold {@code values.length} elements
   */
  public static NDArray of(double[] values, long... shape) {
    ByteBuffer b = allocate(values.length, DType.FLOAT64);
    b.asDoubleBuffer().put(values);
    return create(DType.FLOAT64, shapeOf(shape, values.length), Order.C, b);
  }

  /** Like {@link #of(double[], long...)} for {@code float32}. */
  public static NDArray of(float[] values, long... shape) {
    ByteBuffer b = allocate(values.length, DType.FLOAT32);
    b.asFloatBuffer().put(values);
    return create(DType.FLOAT32, shapeOf(shape, values.length), Order.C, b);
  }

  /** Like {@link #of(double[], long...)} for {@code int64}. */
  public static NDArray of(long[] values, long... shape) {
    ByteBuffer b = allocate(values.length, DType.INT64);
    b.asLongBuffer().put(values);
    return create(DType.INT64, shapeOf(shape, values.length), Order.C, b);
  }

  /** Like {@link #of(double[], long...)} for {@code int32}. */
  public static NDArray of(int[] values, long... shape) {
    ByteBuffer b = allocate(values.length, DType.INT32);
    b.asIntBuffer().put(values);
    return create(DType.INT32, shapeOf(shape, values.length), Order.C, b);
  }

  /** Like {@link #of(double[], long...)} for {@code int16}. */
  public static NDArray of(short[] values, long... shape) {
    ByteBuffer b = allocate(values.length, DType.INT16);
    b.asShortBuffer().put(values);
    return create(DType.INT16, shapeOf(shape, values.length), Order.C, b);
  }

  /** Like {@link #of(double[], long...)} for {@code int8}; see {@link #ofUnsigned} for {@code uint8}. */
  public static NDArray of(byte[] values, long... shape) {
    return create(DType.INT8, shapeOf(shape, values.length), Order.C, allocate(values.length, DType.INT8).put(values).flip());
  }

  /** Like {@link #of(double[], long...)} for {@code uint8}: each byte is read as 0..255. */
  public static NDArray ofUnsigned(byte[] values, long... shape) {
    return create(DType.UINT8, shapeOf(shape, values.length), Order.C, allocate(values.length, DType.UINT8).put(values).flip());
  }

  /** Like {@link #of(double[], long...)} for {@code bool}. */
  public static NDArray of(boolean[] values, long... shape) {
    ByteBuffer b = allocate(values.length, DType.BOOL);
    for (boolean v : values) {
      b.put(v ? (byte) 1 : 0);
    }
    return create(DType.BOOL, shapeOf(shape, values.length), Order.C, b.flip());
  }

  /**
   * An array over the bytes {@code [position, limit)} of {@code data} (shared, not copied; read as
   * little-endian whatever the buffer's own order).
   *
   * @throws IllegalArgumentException when the bytes are not exactly {@code product(shape) × itemSize},
   *     or the shape has a negative dimension or more than {@link #MAX_DIMENSIONS}
   */
  public static NDArray wrap(DType dtype, ByteBuffer data, Order order, long... shape) {
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(order, "order");
    long[] dims = Objects.requireNonNull(shape, "shape").clone();
    long elements = elementCount(dims);
    if (elements * dtype.itemSize != Objects.requireNonNull(data, "data").remaining()) {
      throw new IllegalArgumentException("shape " + shapeText(dims) + " of " + dtype.numpyName + " needs "
          + elements * dtype.itemSize + " bytes, but the buffer holds " + data.remaining());
    }
    ByteBuffer view = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    EarlyRelease.alias(data, view);
    return new NDArray(dtype, dims, order, view);
  }

  private static NDArray create(DType dtype, long[] shape, Order order, ByteBuffer filled) {
    return new NDArray(dtype, shape, order, filled.position(0).order(ByteOrder.LITTLE_ENDIAN));
  }

  private static ByteBuffer allocate(int elements, DType dtype) {
    return ByteBuffer.allocate(Math.multiplyExact(elements, dtype.itemSize)).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static long[] shapeOf(long[] shape, int length) {
    if (shape == null || shape.length == 0) {
      return new long[] {length};
    }
    long[] dims = shape.clone();
    if (elementCount(dims) != length) {
      throw new IllegalArgumentException(
          "shape " + shapeText(dims) + " holds " + elementCount(dims) + " elements, but " + length + " were given");
    }
    return dims;
  }

  private static long elementCount(long[] dims) {
    if (dims.length > MAX_DIMENSIONS) {
      throw new IllegalArgumentException("an array has at most " + MAX_DIMENSIONS + " dimensions, not " + dims.length);
    }
    long n = 1;
    for (long d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + shapeText(dims));
      }
      n = Math.multiplyExact(n, d);
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("shape " + shapeText(dims) + " has more elements than a Java array can hold");
    }
    return n;
  }

  // ------------------------------------------------------------------ facts

  /** The element type. */
  public DType dtype() {
    return dtype;
  }

  /** The length of each dimension (a copy); {@code []} for a 0-d array, which holds one element. */
  public long[] shape() {
    return shape.clone();
  }

  /** The number of dimensions, numpy's {@code ndim}. */
  public int ndim() {
    return shape.length;
  }

  /** The number of elements, numpy's {@code size}. */
  public int size() {
    return size;
  }

  /** The bytes the elements take, numpy's {@code nbytes}. */
  public long nbytes() {
    return (long) size * dtype.itemSize;
  }

  /** The memory order of the elements in {@link #buffer()}. */
  public Order order() {
    return order;
  }

  /** Bytes from one element to the next along each dimension, numpy's {@code strides}. */
  public long[] strides() {
    long[] strides = new long[shape.length];
    long step = dtype.itemSize;
    if (order == Order.C) {
      for (int i = shape.length - 1; i >= 0; i--) {
        strides[i] = step;
        step *= Math.max(1, shape[i]);
      }
    } else {
      for (int i = 0; i < shape.length; i++) {
        strides[i] = step;
        step *= Math.max(1, shape[i]);
      }
    }
    return strides;
  }

  /** The elements in {@link #order()}, little-endian: a read-only view, position 0, limit {@link #nbytes()}. */
  public ByteBuffer buffer() {
    return live().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Done with the elements: an array received through shared memory gives its memory back to the
   * worker now rather than when it is garbage collected, so that the worker can reuse it for the next
   * transfer. Afterwards {@link #buffer()} and the copies throw {@link IllegalStateException}; buffers
   * taken from {@link #buffer()} before must not be read any more (the memory may hold the next
   * transfer). Dtype, shape and order stay readable. Idempotent; harmless for any other array.
   */
  public void release() {
    if (!released) {
      released = true;
      EarlyRelease.run(data);
    }
  }

  /** {@link #release()}, for try-with-resources. */
  @Override
  public void close() {
    release();
  }

  private ByteBuffer live() {
    if (released) {
      throw new IllegalStateException("this NDArray was released; its elements are gone");
    }
    return data;
  }

  // ------------------------------------------------------------------ copies

  /**
   * The elements as a new {@code double[]} in row-major (C) order, whatever {@link #order()} is.
   *
   * @throws SerializationException when the dtype is not {@code float64} (the message says which copy
   *     fits the dtype)
   */
  public double[] toDoubleArray() {
    require(DType.FLOAT64, "toDoubleArray");
    return copyInto(new double[size]);
  }

  /**
   * Copies the elements, row-major, into {@code into} (of exactly {@link #size()} elements) and returns
   * it: for a caller that receives arrays of one shape again and again, no new array to allocate and
   * zero each time.
   *
   * @throws SerializationException when the dtype is not {@code float64}
   * @throws IllegalArgumentException when {@code into} does not have {@link #size()} elements
   */
  public double[] copyInto(double[] into) {
    require(DType.FLOAT64, "copyInto(double[])");
    checkLength(into.length);
    if (isRowMajor()) {
      data.asDoubleBuffer().get(0, into);
    } else {
      forEachRowMajor((i, at) -> into[i] = data.getDouble(at));
    }
    return into;
  }

  /** The elements as a new {@code float[]}, row-major; the dtype must be {@code float32}. */
  public float[] toFloatArray() {
    require(DType.FLOAT32, "toFloatArray");
    return copyInto(new float[size]);
  }

  /**
   * Copies the elements, row-major, into {@code into} (of exactly {@link #size()} elements) and returns
   * it: for a caller that receives arrays of one shape again and again, no new array to allocate and
   * zero each time.
   *
   * @throws SerializationException when the dtype is not {@code float32}
   * @throws IllegalArgumentException when {@code into} does not have {@link #size()} elements
   */
  public float[] copyInto(float[] into) {
    require(DType.FLOAT32, "copyInto(float[])");
    checkLength(into.length);
    if (isRowMajor()) {
      data.asFloatBuffer().get(0, into);
    } else {
      forEachRowMajor((i, at) -> into[i] = data.getFloat(at));
    }
    return into;
  }

  /** The elements as a new {@code long[]}, row-major; the dtype must be {@code int64}. */
  public long[] toLongArray() {
    require(DType.INT64, "toLongArray");
    return copyInto(new long[size]);
  }

  /**
   * Copies the elements, row-major, into {@code into} (of exactly {@link #size()} elements) and returns
   * it: for a caller that receives arrays of one shape again and again, no new array to allocate and
   * zero each time.
   *
   * @throws SerializationException when the dtype is not {@code int64}
   * @throws IllegalArgumentException when {@code into} does not have {@link #size()} elements
   */
  public long[] copyInto(long[] into) {
    require(DType.INT64, "copyInto(long[])");
    checkLength(into.length);
    if (isRowMajor()) {
      data.asLongBuffer().get(0, into);
    } else {
      forEachRowMajor((i, at) -> into[i] = data.getLong(at));
    }
    return into;
  }

  /** The elements as a new {@code int[]}, row-major; the dtype must be {@code int32}. */
  public int[] toIntArray() {
    require(DType.INT32, "toIntArray");
    return copyInto(new int[size]);
  }

  /**
   * Copies the elements, row-major, into {@code into} (of exactly {@link #size()} elements) and returns
   * it: for a caller that receives arrays of one shape again and again, no new array to allocate and
   * zero each time.
   *
   * @throws SerializationException when the dtype is not {@code int32}
   * @throws IllegalArgumentException when {@code into} does not have {@link #size()} elements
   */
  public int[] copyInto(int[] into) {
    require(DType.INT32, "copyInto(int[])");
    checkLength(into.length);
    if (isRowMajor()) {
      data.asIntBuffer().get(0, into);
    } else {
      forEachRowMajor((i, at) -> into[i] = data.getInt(at));
    }
    return into;
  }

  /** The elements as a new {@code short[]}, row-major; the dtype must be {@code int16}. */
  public short[] toShortArray() {
    require(DType.INT16, "toShortArray");
    short[] out = new short[size];
    if (isRowMajor()) {
      data.asShortBuffer().get(0, out);
    } else {
      forEachRowMajor((i, at) -> out[i] = data.getShort(at));
    }
    return out;
  }

  /** The elements as a new {@code byte[]}, row-major; the dtype must be {@code int8} or {@code uint8}. */
  public byte[] toByteArray() {
    live();
    if (dtype != DType.INT8 && dtype != DType.UINT8) {
      throw wrongDtype("toByteArray", "int8 or uint8");
    }
    byte[] out = new byte[size];
    if (isRowMajor()) {
      data.get(0, out);
    } else {
      forEachRowMajor((i, at) -> out[i] = data.get(at));
    }
    return out;
  }

  /** The elements as a new {@code boolean[]}, row-major; the dtype must be {@code bool}. */
  public boolean[] toBooleanArray() {
    require(DType.BOOL, "toBooleanArray");
    boolean[] out = new boolean[size];
    if (isRowMajor()) {
      for (int i = 0; i < size; i++) {
        out[i] = data.get(i) != 0;
      }
    } else {
      forEachRowMajor((i, at) -> out[i] = data.get(at) != 0);
    }
    return out;
  }

  private void checkLength(int length) {
    if (length != size) {
      throw new IllegalArgumentException("the destination has " + length + " elements; this array has " + size);
    }
  }

  private boolean isRowMajor() {
    if (order == Order.C) {
      return true;
    }
    int dimsAboveOne = 0;
    for (long d : shape) {
      dimsAboveOne += d > 1 ? 1 : 0;
    }
    return dimsAboveOne <= 1;
  }

  private interface ElementAt {
    void accept(int rowMajorIndex, int byteOffset);
  }

  /** Visits every element in row-major order with its byte offset in this (column-major) buffer. */
  private void forEachRowMajor(ElementAt visitor) {
    int n = shape.length;
    long[] strides = strides();
    int[] index = new int[n];
    long offset = 0;
    for (int i = 0; i < size; i++) {
      visitor.accept(i, (int) offset);
      for (int d = n - 1; d >= 0; d--) {
        if (++index[d] < shape[d]) {
          offset += strides[d];
          break;
        }
        offset -= strides[d] * (shape[d] - 1);
        index[d] = 0;
      }
    }
  }

  private void require(DType wanted, String method) {
    live();
    if (dtype != wanted) {
      throw wrongDtype(method, wanted.numpyName);
    }
  }

  private SerializationException wrongDtype(String method, String wanted) {
    return new SerializationException("NDArray " + this + " cannot be copied by " + method + "(), which needs "
        + wanted + "; for " + dtype.numpyName + " use " + copyMethodFor(dtype)
        + "(), or convert in Python first (arr.astype(\"" + wanted.split(" ")[0] + "\"))");
  }

  private static String copyMethodFor(DType dtype) {
    return switch (dtype) {
      case FLOAT64 -> "toDoubleArray";
      case FLOAT32 -> "toFloatArray";
      case INT64 -> "toLongArray";
      case INT32 -> "toIntArray";
      case INT16 -> "toShortArray";
      case INT8, UINT8 -> "toByteArray";
      case BOOL -> "toBooleanArray";
    };
  }

  private static String shapeText(long[] dims) {
    if (dims.length == 1) {
      return "(" + dims[0] + ",)";
    }
    String s = Arrays.toString(dims);
    return "(" + s.substring(1, s.length() - 1) + ")";
  }

  /** Shows dtype, shape and order, never the elements: {@code NDArray[float64 (2, 3) C]}. */
  @Override
  public String toString() {
    return "NDArray[" + dtype.numpyName + " " + shapeText(shape) + " " + order + "]";
  }
}
