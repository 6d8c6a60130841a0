package dev.snakebridge.internal.codec;

import dev.snakebridge.NDArray;
import dev.snakebridge.PyComplex;
import dev.snakebridge.PyTable;
import dev.snakebridge.PyTuple;
import dev.snakebridge.SerializationException;
import dev.snakebridge.internal.bulk.LargeBuffers;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Encodes Java values into the tagged binary format (docs/PROTOCOL.md). Types the codec does not know
 * (refs, callbacks) go to the {@link Extension} the caller supplies; anything else fails with a {@link
 * SerializationException} naming the value's class, before any byte is sent.
 */
public final class ValueEncoder {
  /** Encodes values the codec does not know, such as refs; returns false when it cannot either. */
  @FunctionalInterface
  public interface Extension {
    boolean encode(Object value, ByteSink out);
  }

  private static final Extension NO_EXTENSION = new Extension() { // not a lambda: it is linked at every start
    @Override
    public boolean encode(Object value, ByteSink out) {
      return false;
    }
  };

  private final ByteSink out;
  private final Extension extension;
  private final LargeBuffers large;
  private BulkWriter bulk;

  public ValueEncoder(ByteSink out, Extension extension) {
    this(out, extension, null);
  }

  /**
   * An encoder that sends buffers of at least {@code large.threshold()} bytes through shared-memory
   * files ({@code null}: everything inline); {@link #createdFiles()} lists the files it wrote.
   */
  public ValueEncoder(ByteSink out, Extension extension, LargeBuffers large) {
    this.out = out;
    this.extension = extension == null ? NO_EXTENSION : extension;
    this.large = large;
  }

  /** The shared-memory files written so far, for the sender to remove once the call is over. */
  public List<Path> createdFiles() {
    return bulk == null ? List.of() : bulk.created();
  }

  private BulkWriter bulk() {
    if (bulk == null) {
      bulk = new BulkWriter(out, large);
    }
    return bulk;
  }

  public ByteSink sink() {
    return out;
  }

  public void encode(Object value) {
    encode(value, 0);
  }

  /** Encodes a list header and the given elements, for request envelopes. */
  public void encodeListOf(Object... items) {
    out.u8(WireTag.LIST);
    out.i32(items.length);
    for (Object item : items) {
      encode(item, 1);
    }
  }

  private void encode(Object value, int depth) {
    if (depth > WireTag.MAX_DEPTH) {
      throw new SerializationException(
          "value nested deeper than " + WireTag.MAX_DEPTH + " levels (a collection that contains itself?)");
    }
    // A chain of instanceof tests, commonest types first, rather than a pattern switch: a switch's
    // bootstrap generates a class and loads every type it names (java.time, BigDecimal, UUID...) when
    // the first value is encoded, a cost each fresh JVM's first call would pay.
    if (value == null) {
      out.u8(WireTag.NONE);
    } else if (value instanceof String s) {
      if (large != null && s.length() >= large.threshold()) {
        bulk().largeString(s);
      } else {
        out.u8(WireTag.STR);
        out.utf8(s);
      }
    } else if (value instanceof Long l) {
      writeInt(l);
    } else if (value instanceof Integer i) {
      writeInt(i);
    } else if (value instanceof Double d) {
      writeFloat(d);
    } else if (value instanceof Boolean b) {
      out.u8(b ? WireTag.TRUE : WireTag.FALSE);
    } else if (value instanceof Short s) {
      writeInt(s);
    } else if (value instanceof Byte b) {
      writeInt(b);
    } else if (value instanceof Float f) {
      writeFloat(f);
    } else if (value instanceof Character c) {
      out.u8(WireTag.STR);
      out.utf8(String.valueOf(c));
    } else if (value instanceof BigInteger big) {
      writeBigInt(big);
    } else if (value instanceof byte[] bytes) {
      if (BulkWriter.isLarge(large, bytes.length, 1)) {
        bulk().largeBytes(WireTag.LARGE_BYTES, bytes);
      } else {
        out.u8(WireTag.BYTES);
        out.i32(bytes.length);
        out.bytes(bytes);
      }
    } else if (value instanceof PyTuple tuple) {
      writeSequence(WireTag.TUPLE, tuple, depth);
    } else if (value instanceof List<?> list) {
      writeSequence(WireTag.LIST, list, depth);
    } else if (value instanceof Set<?> set) {
      writeSequence(WireTag.SET, set, depth);
    } else if (value instanceof Map<?, ?> map) {
      writeMap(map, depth);
    } else if (value instanceof PyComplex c) {
      out.u8(WireTag.COMPLEX);
      out.f64(c.real());
      out.f64(c.imag());
    } else if (value instanceof BigDecimal dec) {
      out.u8(WireTag.DECIMAL);
      out.utf8(dec.toString());
    } else if (value instanceof LocalDate date) {
      out.u8(WireTag.DATE);
      writeDate(date);
    } else if (value instanceof LocalTime time) {
      out.u8(WireTag.TIME);
      writeTime(time);
    } else if (value instanceof LocalDateTime dt) {
      out.u8(WireTag.DATETIME);
      writeDate(dt.toLocalDate());
      writeTime(dt.toLocalTime());
    } else if (value instanceof OffsetDateTime odt) {
      writeAware(odt);
    } else if (value instanceof ZonedDateTime zdt) {
      writeAware(zdt.toOffsetDateTime());
    } else if (value instanceof Instant instant) {
      writeAware(instant.atOffset(ZoneOffset.UTC));
    } else if (value instanceof Duration duration) {
      writeDuration(duration);
    } else if (value instanceof UUID uuid) {
      out.u8(WireTag.UUID);
      writeBigEndian(uuid.getMostSignificantBits());
      writeBigEndian(uuid.getLeastSignificantBits());
    } else if (value instanceof double[] a) {
      if (BulkWriter.isLarge(large, a.length, 8)) {
        bulk().largeArray(NDArray.DType.FLOAT64, a.length, (into, from, n) -> into.asDoubleBuffer().put(a, (int) (from / 8), n / 8));
      } else {
        PrimitiveArrays.write(out, a);
      }
    } else if (value instanceof float[] a) {
      if (BulkWriter.isLarge(large, a.length, 4)) {
        bulk().largeArray(NDArray.DType.FLOAT32, a.length, (into, from, n) -> into.asFloatBuffer().put(a, (int) (from / 4), n / 4));
      } else {
        PrimitiveArrays.write(out, a);
      }
    } else if (value instanceof long[] a) {
      if (BulkWriter.isLarge(large, a.length, 8)) {
        bulk().largeArray(NDArray.DType.INT64, a.length, (into, from, n) -> into.asLongBuffer().put(a, (int) (from / 8), n / 8));
      } else {
        PrimitiveArrays.write(out, a);
      }
    } else if (value instanceof int[] a) {
      if (BulkWriter.isLarge(large, a.length, 4)) {
        bulk().largeArray(NDArray.DType.INT32, a.length, (into, from, n) -> into.asIntBuffer().put(a, (int) (from / 4), n / 4));
      } else {
        PrimitiveArrays.write(out, a);
      }
    } else if (value instanceof short[] a) {
      if (BulkWriter.isLarge(large, a.length, 2)) {
        bulk().largeArray(NDArray.DType.INT16, a.length, (into, from, n) -> into.asShortBuffer().put(a, (int) (from / 2), n / 2));
      } else {
        PrimitiveArrays.write(out, a);
      }
    } else if (value instanceof NDArray a) {
      bulk().ndarray(a);
    } else if (value instanceof PyTable t) {
      bulk().table(t, this);
    } else if (value instanceof Object[] array) {
      writeSequence(WireTag.LIST, Arrays.asList(array), depth);
    } else if (value instanceof Collection<?> other) {
      writeSequence(WireTag.LIST, other, depth);
    } else if (!extension.encode(value, out)) {
      throw unsupported(value);
    }
  }

  private static SerializationException unsupported(Object value) {
    return new SerializationException(
        "cannot pass a "
            + value.getClass().getName()
            + " to Python: it has no mapping. Accepted: null, Boolean, numbers (Byte..Long, BigInteger,"
            + " Float, Double, BigDecimal), String, Character, byte[], primitive number arrays, NDArray,"
            + " PyTable, List,"
            + " PyTuple, Set, Map, arrays, PyComplex, java.time dates/times/Duration, UUID, PyRef and"
            + " callbacks (docs/TYPES.md)");
  }

  private void writeInt(long v) {
    out.u8(WireTag.INT);
    out.i64(v);
  }

  private void writeFloat(double v) {
    out.u8(WireTag.FLOAT);
    out.f64(v);
  }

  private void writeBigInt(BigInteger big) {
    if (big.bitLength() < 64) {
      writeInt(big.longValue());
      return;
    }
    byte[] twosComplement = big.toByteArray();
    out.u8(WireTag.BIG_INT);
    out.i32(twosComplement.length);
    out.bytes(twosComplement);
  }

  private void writeSequence(byte tag, Collection<?> items, int depth) {
    out.u8(tag);
    int countAt = out.position();
    out.i32(0);
    int count = 0;
    for (Object item : items) {
      encode(item, depth + 1);
      count++;
    }
    // Counted while writing: a concurrently modified collection must not produce a corrupt frame.
    out.putI32At(countAt, count);
  }

  private void writeMap(Map<?, ?> map, int depth) {
    out.u8(WireTag.DICT);
    int countAt = out.position();
    out.i32(0);
    int count = 0;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      encode(e.getKey(), depth + 1);
      encode(e.getValue(), depth + 1);
      count++;
    }
    out.putI32At(countAt, count);
  }

  private void writeDate(LocalDate date) {
    if (date.getYear() < 1 || date.getYear() > 9999) {
      throw new SerializationException("date " + date + " is outside Python's range (years 1..9999)");
    }
    out.i32(date.getYear());
    out.u8(date.getMonthValue());
    out.u8(date.getDayOfMonth());
  }

  /** Python keeps microseconds: nanoseconds below that are truncated (documented in docs/TYPES.md). */
  private void writeTime(LocalTime time) {
    out.u8(time.getHour());
    out.u8(time.getMinute());
    out.u8(time.getSecond());
    out.i32(time.getNano() / 1000);
  }

  private void writeAware(OffsetDateTime odt) {
    out.u8(WireTag.DATETIME_TZ);
    writeDate(odt.toLocalDate());
    writeTime(odt.toLocalTime());
    out.i32(odt.getOffset().getTotalSeconds());
  }

  private void writeDuration(Duration d) {
    out.u8(WireTag.TIMEDELTA);
    out.i64(d.getSeconds());
    out.i32(d.getNano() / 1000);
  }

  private void writeBigEndian(long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.u8((int) (v >>> shift));
    }
  }
}
