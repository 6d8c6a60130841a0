package dev.snakebridge.internal.codec;

import dev.snakebridge.NDArray;
import dev.snakebridge.PyComplex;
import dev.snakebridge.PyTable;
import dev.snakebridge.SerializationException;
import dev.snakebridge.internal.bulk.EarlyRelease;
import dev.snakebridge.internal.bulk.LargeBuffers;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Decodes one value of the tagged binary format from a byte range. Bounded: a length or count larger
 * than the bytes left, or nesting deeper than {@link WireTag#MAX_DEPTH}, is a {@link
 * SerializationException}, never an allocation of the size an untrusted peer claimed. Not thread-safe.
 */
public final class ValueDecoder {
  /** Creates the Java side of values that stay in Python. */
  public interface RefFactory {
    Object newRef(String id, String typeName, String repr);
  }

  /** Builds tuples; supplied by the API package, which owns {@code PyTuple}'s array-taking factory. */
  public interface TupleFactory {
    Object tupleOf(Object[] items);
  }

  private final byte[] buf;
  private int pos;
  private final int end;
  private final RefFactory refs;
  private final TupleFactory tuples;
  private final LargeBuffers large;

  public ValueDecoder(byte[] buf, int offset, int length, RefFactory refs, TupleFactory tuples) {
    this(buf, offset, length, refs, tuples, null);
  }

  /**
   * A decoder that maps the shared-memory buffers it meets through {@code large} (null: a shared buffer
   * is an error). An {@link NDArray} decoded from an inline buffer is a view of {@code buf}.
   */
  public ValueDecoder(byte[] buf, int offset, int length, RefFactory refs, TupleFactory tuples, LargeBuffers large) {
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
    this.refs = refs;
    this.tuples = tuples;
    this.large = large;
  }

  public Object decode() {
    try {
      return decode(0);
    } catch (java.time.DateTimeException | NumberFormatException | ArithmeticException e) {
      throw malformed(e.getMessage());
    }
  }

  /** Reads the header of a list whose elements the caller then decodes one by one; returns the count. */
  public int beginList() {
    if (u8() != WireTag.LIST) {
      throw malformed("expected a list");
    }
    return count();
  }

  /** The offset of the next byte to decode. */
  public int position() {
    return pos;
  }

  public boolean hasRemaining() {
    return pos < end;
  }

  private Object decode(int depth) {
    if (depth > WireTag.MAX_DEPTH) {
      throw malformed("nesting deeper than " + WireTag.MAX_DEPTH);
    }
    byte tag = u8();
    return switch (tag) {
      case WireTag.NONE -> null;
      case WireTag.FALSE -> Boolean.FALSE;
      case WireTag.TRUE -> Boolean.TRUE;
      case WireTag.INT -> i64();
      case WireTag.BIG_INT -> new BigInteger(rawBytes(length()));
      case WireTag.FLOAT -> Double.longBitsToDouble(i64());
      case WireTag.STR -> str();
      case WireTag.BYTES -> rawBytes(length());
      case WireTag.LIST -> list(depth);
      case WireTag.TUPLE -> tuples.tupleOf(list(depth).toArray());
      case WireTag.DICT -> dict(depth);
      case WireTag.SET -> set(depth);
      case WireTag.COMPLEX -> new PyComplex(Double.longBitsToDouble(i64()), Double.longBitsToDouble(i64()));
      case WireTag.DECIMAL -> new BigDecimal(str());
      case WireTag.DATE -> date();
      case WireTag.TIME -> time();
      case WireTag.DATETIME -> LocalDateTime.of(date(), time());
      case WireTag.DATETIME_TZ -> OffsetDateTime.of(date(), time(), ZoneOffset.ofTotalSeconds(i32()));
      case WireTag.TIMEDELTA -> Duration.ofSeconds(i64(), i32() * 1000L);
      case WireTag.UUID -> new UUID(bigEndian64(), bigEndian64());
      case WireTag.REF_FROM_PYTHON -> refs.newRef(str(), str(), str());
      case WireTag.NDARRAY -> ndarray();
      case WireTag.TABLE -> table(depth);
      case WireTag.LARGE_BYTES -> largeBytes();
      case WireTag.LARGE_STR -> new String(largeBytes(), StandardCharsets.UTF_8);
      default -> throw malformed("unknown tag 0x" + Integer.toHexString(tag & 0xff));
    };
  }

  private NDArray ndarray() {
    NDArray.DType dtype;
    try {
      dtype = NDArray.DType.ofCode(u8());
    } catch (IllegalArgumentException e) {
      throw malformed(e.getMessage());
    }
    int orderCode = u8();
    if (orderCode != ArrayDescriptor.ORDER_C && orderCode != ArrayDescriptor.ORDER_F) {
      throw malformed("array order must be 'C' or 'F'");
    }
    int ndim = u8() & 0xff;
    if (ndim > ArrayDescriptor.MAX_DIMENSIONS) {
      throw malformed("array of " + ndim + " dimensions");
    }
    long[] shape = new long[ndim];
    long elements = 1;
    for (int i = 0; i < ndim; i++) {
      shape[i] = i64();
      if (shape[i] < 0) {
        throw malformed("negative array dimension");
      }
      elements = Math.multiplyExact(elements, shape[i]);
    }
    ByteBuffer data = buffer(Math.multiplyExact(elements, dtype.itemSize()));
    try {
      return NDArray.wrap(dtype, data, orderCode == ArrayDescriptor.ORDER_C ? NDArray.Order.C : NDArray.Order.F, shape);
    } catch (IllegalArgumentException e) {
      throw malformed(e.getMessage());
    }
  }

  /** The body of LARGE_BYTES / LARGE_STR: copied out, so a shared-memory slot goes back at once. */
  private byte[] largeBytes() {
    long n = i64();
    if (n < 0 || n > Integer.MAX_VALUE - 8) {
      throw malformed("large bytes of " + n + " bytes (a Java array holds less than 2 GiB)");
    }
    ByteBuffer b = buffer(n);
    byte[] out = new byte[(int) n];
    b.get(0, out);
    EarlyRelease.run(b);
    return out;
  }

  private PyTable table(int depth) {
    int ncols = count();
    long nrows = i64();
    if (nrows < 0 || nrows > Integer.MAX_VALUE) {
      throw malformed("table of " + nrows + " rows");
    }
    int rows = (int) nrows;
    List<PyTable.Column> columns = new ArrayList<>(ncols);
    for (int c = 0; c < ncols; c++) {
      String name = str();
      int kind = u8();
      columns.add(switch (kind) {
        case ArrayDescriptor.KIND_DOUBLE -> {
          ByteBuffer b = buffer(8L * rows);   // checked against the bytes there before allocating
          double[] v = new double[rows];
          b.asDoubleBuffer().get(v);
          EarlyRelease.run(b); // copied: a shared-memory slot goes back now, not at collection
          yield new PyTable.Column.Doubles(name, v);
        }
        case ArrayDescriptor.KIND_LONG -> {
          ByteBuffer b = buffer(8L * rows);
          long[] v = new long[rows];
          b.asLongBuffer().get(v);
          EarlyRelease.run(b);
          yield new PyTable.Column.Longs(name, v);
        }
        case ArrayDescriptor.KIND_BOOL -> {
          ByteBuffer b = buffer(rows);
          boolean[] v = new boolean[rows];
          for (int i = 0; i < rows; i++) {
            v[i] = b.get(i) != 0;
          }
          EarlyRelease.run(b);
          yield new PyTable.Column.Booleans(name, v);
        }
        case ArrayDescriptor.KIND_STRING -> {
          if (u8() != WireTag.LIST || count() != rows) {
            throw malformed("string column '" + name + "' must be a list of " + rows + " values");
          }
          String[] v = new String[rows];
          for (int i = 0; i < rows; i++) {
            Object item = decode(depth + 2);
            if (item != null && !(item instanceof String)) {
              throw malformed("string column '" + name + "' holds a " + item.getClass().getSimpleName());
            }
            v[i] = (String) item;
          }
          yield new PyTable.Column.Strings(name, v);
        }
        default -> throw malformed("unknown table column kind 0x" + Integer.toHexString(kind & 0xff));
      });
    }
    try {
      return PyTable.of(columns);
    } catch (IllegalArgumentException e) {
      throw malformed(e.getMessage());
    }
  }

  /** A raw buffer of exactly {@code nbytes}: a view of the frame, or a mapped shared-memory file. */
  private ByteBuffer buffer(long nbytes) {
    int location = u8();
    if (location == ArrayDescriptor.LOCATION_INLINE) {
      long n = i64();
      if (n != nbytes || n > end - pos) {
        throw malformed("inline buffer of " + n + " bytes where " + nbytes + " were announced (" + (end - pos) + " left)");
      }
      ByteBuffer view = ByteBuffer.wrap(buf, pos, (int) n).slice().order(ByteOrder.LITTLE_ENDIAN);
      pos += (int) n;
      return view;
    }
    if (location == ArrayDescriptor.LOCATION_SHARED) {
      String path = str();
      long n = i64();
      if (n != nbytes) {
        throw malformed("shared buffer of " + n + " bytes where " + nbytes + " were announced");
      }
      if (large == null) {
        throw malformed("a shared-memory buffer, but this decoder has no shared directory");
      }
      return large.map(path, n);
    }
    if (location == ArrayDescriptor.LOCATION_SLOT) {
      String path = str();
      long lease = i64();
      long n = i64();
      if (n != nbytes) {
        throw malformed("shared slot of " + n + " bytes where " + nbytes + " were announced");
      }
      if (large == null) {
        throw malformed("a shared-memory slot, but this decoder has no shared directory");
      }
      return large.mapSlot(path, lease, n);
    }
    throw malformed("unknown buffer location " + location);
  }

  private List<Object> list(int depth) {
    int n = count();
    List<Object> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      items.add(decode(depth + 1));
    }
    return items;
  }

  private Set<Object> set(int depth) {
    int n = count();
    Set<Object> items = new LinkedHashSet<>(Math.max(4, n * 4 / 3 + 1));
    for (int i = 0; i < n; i++) {
      items.add(decode(depth + 1));
    }
    return items;
  }

  private Map<Object, Object> dict(int depth) {
    int n = count();
    Map<Object, Object> map = new LinkedHashMap<>(Math.max(4, n * 4 / 3 + 1));
    for (int i = 0; i < n; i++) {
      Object key = decode(depth + 1);
      map.put(key, decode(depth + 1));
    }
    return map;
  }

  private LocalDate date() {
    int year = i32();
    int month = u8() & 0xff;
    return LocalDate.of(year, month, u8() & 0xff);
  }

  private LocalTime time() {
    int hour = u8() & 0xff;
    int minute = u8() & 0xff;
    int second = u8() & 0xff;
    return LocalTime.of(hour, minute, second, i32() * 1000);
  }

  private String str() {
    int n = length();
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  private byte[] rawBytes(int n) {
    byte[] out = new byte[n];
    System.arraycopy(buf, pos, out, 0, n);
    pos += n;
    return out;
  }

  /** A byte length: must fit in what is left of the frame. */
  private int length() {
    int n = i32();
    if (n < 0 || n > end - pos) {
      throw malformed("length " + Integer.toUnsignedString(n) + " exceeds the " + (end - pos) + " bytes left");
    }
    return n;
  }

  /** An element count: each element takes at least one byte, so it is bounded by what is left. */
  private int count() {
    return length();
  }

  private void need(int n) {
    if (end - pos < n) {
      throw malformed("truncated value");
    }
  }

  private byte u8() {
    need(1);
    return buf[pos++];
  }

  private int i32() {
    need(4);
    int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16 | (buf[pos + 3] & 0xff) << 24;
    pos += 4;
    return v;
  }

  private long i64() {
    long lo = i32() & 0xffffffffL;
    long hi = i32() & 0xffffffffL;
    return lo | hi << 32;
  }

  private long bigEndian64() {
    need(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = v << 8 | (buf[pos++] & 0xff);
    }
    return v;
  }

  private SerializationException malformed(String why) {
    return new SerializationException("malformed value from Python at byte " + pos + ": " + why);
  }
}
