"""Tags of the tagged binary value format (docs/PROTOCOL.md, "Values"), shared by the
encoder, the decoder and bulk.py. WireTag.java holds the same table.

The bottom of the codec: it imports nothing, so that encoder.py, decoder.py and bulk.py
can all depend on it, and bulk.py on nothing else of the codec.
"""

# Tags.
T_NONE = 0x00
T_FALSE = 0x01
T_TRUE = 0x02
T_INT = 0x03
T_BIGINT = 0x04
T_FLOAT = 0x05
T_STR = 0x06
T_BYTES = 0x07
T_LIST = 0x08
T_TUPLE = 0x09
T_DICT = 0x0A
T_SET = 0x0B
T_COMPLEX = 0x0C
T_DECIMAL = 0x0D
T_DATE = 0x0E
T_TIME = 0x0F
T_DATETIME = 0x10
T_DATETIME_TZ = 0x11
T_TIMEDELTA = 0x12
T_UUID = 0x13
T_REF_OUT = 0x14
T_REF_IN = 0x15
T_ARRAY = 0x16
T_CALLBACK = 0x17
T_NDARRAY = 0x18
T_TABLE = 0x19
T_LARGE_BYTES = 0x1A  # bytes of at least the bulk threshold, in a bulk buffer
T_LARGE_STR = 0x1B  # str whose UTF-8 is that large, likewise

MAX_DEPTH = 256  # containers nested one inside another (a top-level list is 1)
