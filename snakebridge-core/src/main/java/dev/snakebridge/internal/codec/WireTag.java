package dev.snakebridge.internal.codec;

/** One-byte tags of the value encoding; docs/PROTOCOL.md has the table the Python codec mirrors. */
public final class WireTag {
  public static final byte NONE = 0x00;
  public static final byte FALSE = 0x01;
  public static final byte TRUE = 0x02;
  public static final byte INT = 0x03;
  public static final byte BIG_INT = 0x04;
  public static final byte FLOAT = 0x05;
  public static final byte STR = 0x06;
  public static final byte BYTES = 0x07;
  public static final byte LIST = 0x08;
  public static final byte TUPLE = 0x09;
  public static final byte DICT = 0x0A;
  public static final byte SET = 0x0B;
  public static final byte COMPLEX = 0x0C;
  public static final byte DECIMAL = 0x0D;
  public static final byte DATE = 0x0E;
  public static final byte TIME = 0x0F;
  public static final byte DATETIME = 0x10;
  public static final byte DATETIME_TZ = 0x11;
  public static final byte TIMEDELTA = 0x12;
  public static final byte UUID = 0x13;
  public static final byte REF_FROM_PYTHON = 0x14;
  public static final byte REF_TO_PYTHON = 0x15;
  public static final byte PRIMITIVE_ARRAY = 0x16;
  public static final byte CALLBACK = 0x17;
  /** An n-dimensional array, both ways (layout in {@link ArrayDescriptor}). */
  public static final byte NDARRAY = 0x18;
  /** A table of typed columns, both ways (layout in {@link ArrayDescriptor}). */
  public static final byte TABLE = 0x19;
  /** {@code bytes} / {@code byte[]} in a buffer, both ways: for those of at least the large-buffer threshold. */
  public static final byte LARGE_BYTES = 0x1A;
  /** {@code str} / {@code String} as UTF-8 in a buffer, both ways: as {@link #LARGE_BYTES}. */
  public static final byte LARGE_STR = 0x1B;

  /** Nesting deeper than this is refused by both encoders and decoders (bounded stack use). */
  public static final int MAX_DEPTH = 256;

  private WireTag() {}
}
