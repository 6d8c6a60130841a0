"""Tagged binary values (docs/PROTOCOL.md, "Values").

Encoding is on the hot path of every call, so it dispatches on the exact type through a
dict first (`_ENCODERS`) and only falls back to isinstance checks for subclasses, numpy
scalars and everything that becomes a ref; the decision for such a type is then cached
in the same dict. Each encoder appends to a bytearray.

Encoder signature: f(buf, value, sink, depth)
    sink  -- where objects that cross as refs are stored (objects.RefSink), or None on
             the first, optimistic pass: most values hold no ref, so no sink is made
             unless one is needed (_NeedSink restarts the encoding with one).
    depth -- number of containers around `value`.
Decoder signature: f(buf, pos, refs, depth) -> (value, new_pos), pos just after the tag;
    refs is the session's table {ref id: object} used for JVM->worker refs. A callback
    (tag 0x17) becomes a callbacks.JavaCallable of the session in callbacks.serving.
"""

import array
import struct
import sys
import threading

from . import bulk
from .callbacks import JavaCallable, serving
from .errors import DecodeError, RefNotFound, qualified_name

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

MAX_DEPTH = 256  # containers nested one inside another (a top-level list is 1)
REPR_LIMIT = 200

_U32 = struct.Struct("<I")
_I64 = struct.Struct("<q")
_F64 = struct.Struct("<d")
_TAG_U32 = struct.Struct("<BI")
_TAG_I64 = struct.Struct("<Bq")
_TAG_F64 = struct.Struct("<Bd")
_TAG_F64_F64 = struct.Struct("<Bdd")
_TAG_DATE = struct.Struct("<BiBB")
_TAG_TIME = struct.Struct("<BBBBI")
_TAG_DATETIME = struct.Struct("<BiBBBBBI")
_TAG_DATETIME_TZ = struct.Struct("<BiBBBBBIi")
_TAG_TIMEDELTA = struct.Struct("<BqI")
_DATE = struct.Struct("<iBB")
_TIME = struct.Struct("<BBBI")
_DATETIME = struct.Struct("<iBBBBBI")
_DATETIME_TZ = struct.Struct("<iBBBBBIi")
_TIMEDELTA = struct.Struct("<qI")
_ARRAY_HEAD = struct.Struct("<BI")

_pack_tag_u32 = _TAG_U32.pack
_pack_tag_i64 = _TAG_I64.pack
_pack_tag_f64 = _TAG_F64.pack
_unpack_u32 = _U32.unpack_from
_unpack_i64 = _I64.unpack_from
_unpack_f64 = _F64.unpack_from
_StructError = struct.error


class AsRef:
    """Wraps a result that must cross as a ref even when it is plain data (ENTER, ITER_OPEN).

    A wrapper rather than a flag on encode_value(): the result travels through the same
    path as every other, and the hot path pays nothing for it.
    """

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class ArraysByValue:
    """Wraps a result whose numpy arrays cross by value (NDARRAY), not as refs.

    What the op modifier ARRAYS (CallOptions.arraysAsNDArray) makes of a result. Only
    plain numpy.ndarray objects of the dtypes in bulk.DTYPES do; others stay refs.
    """

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


class Encoded:
    """Bytes already encoded as one value (a batched call's result), sent as they are."""

    __slots__ = ("data",)

    def __init__(self, data):
        self.data = data


_mode = threading.local()  # .arrays: True while an ArraysByValue is being encoded


class _NeedSink(Exception):
    """The optimistic pass met a value that must become a ref; restart with a sink."""


class _TooDeep(Exception):
    """More than MAX_DEPTH containers: deep nesting or a container holding itself."""


class _Cycle(Exception):
    """Guarded pass: the container with id `key` contains itself."""

    def __init__(self, key):
        Exception.__init__(self)
        self.key = key


# ----------------------------------------------------------------------------------------
# Lazy imports: numpy, decimal and uuid cost start-up time most workers never need.

_numpy = None
_numpy_tried = False


def numpy_module():
    """numpy, imported on first use; None when it is not installed (or does not import)."""
    global _numpy, _numpy_tried
    if not _numpy_tried:
        try:
            import numpy
            _numpy = numpy
        except Exception:
            _numpy = None
        _numpy_tried = True
    return _numpy


# ----------------------------------------------------------------------------------------
# Encoding

def encode_value(buf, value, tables=None, session=None, depth=0):
    """Append the encoding of `value` to `buf`.

    Objects that cross as refs are put into `tables` under `session`; on failure every ref
    made so far is released again and `buf` is left as it was.
    `depth` is the number of containers around the value (1 for a stream item).
    Returns the RefSink used, or None when the value held no ref.
    """
    start = len(buf)
    guarded = False
    if type(value) is not ArraysByValue or tables is None:
        try:
            f = _ENCODERS.get(type(value))
            if f is None:
                f = _encoder_for(value)
            f(buf, value, None, depth)
            return None
        except _NeedSink:
            pass
        except _TooDeep:
            guarded = True
        del buf[start:]
    # else: arrays by value may be large (shared-memory files): no optimistic pass that a
    # ref would make us redo.
    sink = tables.sink(session) if tables is not None else None
    try:
        if not guarded:
            try:
                _encode(buf, value, sink, depth)
                return sink
            except _TooDeep:
                del buf[start:]
                if sink is not None:
                    sink.rollback(0)
        _encode_guarded(buf, value, sink, depth, set())
        return sink
    except _NeedSink:
        del buf[start:]
        raise TypeError("%s must cross as a ref, but no session can hold it"
                        % qualified_name(type(value)))
    except BaseException:
        del buf[start:]
        if sink is not None:
            sink.rollback(0)
        raise


def _encode(buf, v, sink, depth):
    """Encode any value (the fast path's entry point for one value)."""
    f = _ENCODERS.get(type(v))
    if f is None:
        f = _encoder_for(v)
    f(buf, v, sink, depth)


def _enc_none(buf, v, sink, depth):
    buf.append(T_NONE)


def _enc_bool(buf, v, sink, depth):
    buf.append(T_TRUE if v else T_FALSE)


def _enc_int(buf, v, sink, depth):
    try:
        buf += _pack_tag_i64(T_INT, v)
    except _StructError:  # outside i64: two's complement, like BigInteger.toByteArray
        v = int(v)
        data = v.to_bytes(v.bit_length() // 8 + 1, "big", signed=True)
        buf += _pack_tag_u32(T_BIGINT, len(data))
        buf += data


def _enc_float(buf, v, sink, depth):
    buf += _pack_tag_f64(T_FLOAT, v)


def _enc_str(buf, v, sink, depth):
    try:
        data = v.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: send U+FFFD rather than fail the call
        data = v.encode("utf-16", "surrogatepass").decode("utf-16", "replace").encode("utf-8")
    buf += _pack_tag_u32(T_STR, len(data))
    buf += data


def _enc_bytes(buf, v, sink, depth):
    buf += _pack_tag_u32(T_BYTES, len(v))
    buf += v


def _enc_list(buf, v, sink, depth):
    if depth >= MAX_DEPTH:
        raise _TooDeep
    n = len(v)
    buf += _pack_tag_u32(T_LIST, n)
    depth += 1
    get = _ENCODERS.get
    for x in v:
        f = get(type(x))
        if f is None:
            f = _encoder_for(x)
        f(buf, x, sink, depth)
    if len(v) != n:  # another thread changed it: the count already written is wrong
        raise RuntimeError("list changed size during encoding")


def _items_encoder(tag):
    """An encoder for a container written as its tag, a count and its items (tuple, set)."""

    def encode(buf, v, sink, depth):
        if depth >= MAX_DEPTH:
            raise _TooDeep
        buf += _pack_tag_u32(tag, len(v))
        depth += 1
        get = _ENCODERS.get
        for x in v:
            f = get(type(x))
            if f is None:
                f = _encoder_for(x)
            f(buf, x, sink, depth)

    return encode


_enc_tuple = _items_encoder(T_TUPLE)
_enc_set = _items_encoder(T_SET)


def _enc_dict(buf, v, sink, depth):
    if depth >= MAX_DEPTH:
        raise _TooDeep
    buf += _pack_tag_u32(T_DICT, len(v))
    depth += 1
    get = _ENCODERS.get
    for k, x in dict.items(v):  # dict iteration itself fails if the size changes
        f = get(type(k))
        if f is None:
            f = _encoder_for(k)
        f(buf, k, sink, depth)
        f = get(type(x))
        if f is None:
            f = _encoder_for(x)
        f(buf, x, sink, depth)


def _enc_complex(buf, v, sink, depth):
    buf += _TAG_F64_F64.pack(T_COMPLEX, v.real, v.imag)


def _enc_date(buf, v, sink, depth):
    buf += _TAG_DATE.pack(T_DATE, v.year, v.month, v.day)


def _enc_time(buf, v, sink, depth):
    if v.tzinfo is not None:  # no tag for an aware time
        _enc_ref(buf, v, sink, depth)
        return
    buf += _TAG_TIME.pack(T_TIME, v.hour, v.minute, v.second, v.microsecond)


def _enc_datetime(buf, v, sink, depth):
    offset = v.utcoffset()
    if offset is None:
        buf += _TAG_DATETIME.pack(T_DATETIME, v.year, v.month, v.day,
                                  v.hour, v.minute, v.second, v.microsecond)
    elif offset.microseconds:  # Java's ZoneOffset has whole seconds only
        _enc_ref(buf, v, sink, depth)
    else:
        buf += _TAG_DATETIME_TZ.pack(T_DATETIME_TZ, v.year, v.month, v.day,
                                     v.hour, v.minute, v.second, v.microsecond,
                                     offset.days * 86400 + offset.seconds)


def _enc_timedelta(buf, v, sink, depth):
    buf += _TAG_TIMEDELTA.pack(T_TIMEDELTA, v.days * 86400 + v.seconds, v.microseconds)


def _enc_decimal(buf, v, sink, depth):
    if not v.is_finite():  # BigDecimal has no NaN or infinity
        _enc_ref(buf, v, sink, depth)
        return
    data = str(v).encode("ascii")
    buf += _pack_tag_u32(T_DECIMAL, len(data))
    buf += data


def _enc_uuid(buf, v, sink, depth):
    buf.append(T_UUID)
    buf += v.bytes


def _enc_numpy_scalar(buf, v, sink, depth):
    """A numpy scalar crosses by value when .item() gives a plain Python value."""
    item = v.item()
    f = _PLAIN_ITEM_ENCODERS.get(type(item))
    if f is None and type(item).__module__ == "datetime":  # datetime64's item(), first seen
        _resolve_encoder(type(item), item)  # registers datetime's types in _PLAIN_ITEM_ENCODERS
        f = _PLAIN_ITEM_ENCODERS.get(type(item))
    if f is None:
        _enc_ref(buf, v, sink, depth)
    else:
        f(buf, item, sink, depth)


def _enc_ref(buf, v, sink, depth):
    """Store `v` in the session's table under a fresh id and send a ref to it."""
    if sink is None:
        raise _NeedSink
    ref_id = sink.put(v)
    _put_str(buf, T_REF_OUT, ref_id)
    _put_str(buf, None, qualified_name(type(v)))
    _put_str(buf, None, _short_repr(v))


def _enc_as_ref(buf, v, sink, depth):
    _enc_ref(buf, v.value, sink, depth)


def _enc_ndarray(buf, v, sink, depth):
    """A numpy array: by value inside an ArraysByValue when its dtype allows, else a ref."""
    if getattr(_mode, "arrays", False):
        start = len(buf)
        if bulk.encode_ndarray(buf, v):
            return
        del buf[start:]
    _enc_ref(buf, v, sink, depth)


def _enc_arrays_by_value(buf, v, sink, depth):
    previous = getattr(_mode, "arrays", False)
    _mode.arrays = True
    try:
        _with_files_tracked(buf, v.value, sink, depth)
    finally:
        _mode.arrays = previous


def _enc_table(buf, v, sink, depth):
    _with_files_tracked(buf, v, sink, depth, _encode_table_body)


def _encode_table_body(buf, v, sink, depth):
    bulk.encode_table(buf, v, _enc_str)


def _with_files_tracked(buf, v, sink, depth, encode=None):
    """Encode v; the shared-memory files written for it are unlinked again if that fails."""
    token = bulk.begin_tracking()
    failed = True
    try:
        (encode or _encode)(buf, v, sink, depth)
        failed = False
    finally:
        bulk.end_tracking(token, failed)


def _enc_encoded(buf, v, sink, depth):
    buf += v.data


def _put_str(buf, tag, text):
    data = text.encode("utf-8", "replace")
    if tag is None:
        buf += _U32.pack(len(data))
    else:
        buf += _pack_tag_u32(tag, len(data))
    buf += data


def _short_repr(v):
    try:
        text = repr(v)
    except Exception:
        return "<%s object (repr failed)>" % qualified_name(type(v))
    if type(text) is not str:
        return "<%s object>" % qualified_name(type(v))
    if len(text) > REPR_LIMIT:
        text = text[:REPR_LIMIT - 3] + "..."
    return text


# Exact types that cross by value. Subclasses are resolved by _encoder_for().
_ENCODERS = {
    type(None): _enc_none,
    bool: _enc_bool,
    int: _enc_int,
    float: _enc_float,
    str: _enc_str,
    bytes: _enc_bytes,
    bytearray: _enc_bytes,
    list: _enc_list,
    tuple: _enc_tuple,
    dict: _enc_dict,
    set: _enc_set,
    frozenset: _enc_set,
    complex: _enc_complex,
}
# datetime's four types join _ENCODERS through _resolve_encoder() on first sight: importing
# datetime at start-up would cost every worker ~1 ms, and no value can be a datetime before
# some code has imported the module.
_DATETIME_ENCODERS = {
    "date": _enc_date,
    "time": _enc_time,
    "datetime": _enc_datetime,
    "timedelta": _enc_timedelta,
}

# What numpy's .item() may give that crosses by value.
_PLAIN_ITEM_ENCODERS = dict(_ENCODERS)
for _t in (list, tuple, dict, set, frozenset):
    del _PLAIN_ITEM_ENCODERS[_t]
del _t

_ENCODERS[AsRef] = _enc_as_ref
_ENCODERS[ArraysByValue] = _enc_arrays_by_value
_ENCODERS[Encoded] = _enc_encoded
_ENCODERS[bulk.Table] = _enc_table

# Base classes whose subclasses cross by value as the base; bool cannot be subclassed.
_BASE_ENCODERS = (
    (int, _enc_int),
    (float, _enc_float),
    (str, _enc_str),
    (bytes, _enc_bytes),
    (bytearray, _enc_bytes),
    (list, _enc_list),
    (tuple, _enc_tuple),
    (dict, _enc_dict),
    (set, _enc_set),
    (frozenset, _enc_set),
)

_CACHE_LIMIT = 4096  # resolved types cached in _ENCODERS; bounded for dynamic classes


def _encoder_for(v):
    """Choose (and cache) the encoder for a type that is not in _ENCODERS yet."""
    cls = type(v)
    f = _resolve_encoder(cls, v)
    if len(_ENCODERS) < _CACHE_LIMIT:
        _ENCODERS[cls] = f
    return f


def _resolve_encoder(cls, v):
    module = getattr(cls, "__module__", None) or ""
    if module == "datetime":
        import datetime
        f = _DATETIME_ENCODERS.get(cls.__name__)
        if f is not None and getattr(datetime, cls.__name__) is cls:
            _PLAIN_ITEM_ENCODERS[cls] = f
            return f
    elif module == "decimal" or module == "_decimal" or module == "_pydecimal":
        import decimal
        if cls is decimal.Decimal:
            return _enc_decimal
    elif module == "uuid":
        import uuid
        if cls is uuid.UUID:
            return _enc_uuid
    elif module == "numpy" or module.startswith("numpy."):
        np = numpy_module()
        if np is not None and isinstance(v, np.generic):
            if isinstance(v, np.float64):  # a float subclass, but item() is simpler
                return _enc_float
            return _enc_numpy_scalar
        if np is not None and cls is np.ndarray:
            return _enc_ndarray
    for base, f in _BASE_ENCODERS:
        if isinstance(v, base):
            return f
    return _enc_ref


# For streams.py, which encodes items one by one straight into a frame: the exact-type
# table, the resolver for other types, and what that fast path raises when an item needs
# the full encode_value() (it holds a ref, or it is nested too deep to trust).
ENCODERS = _ENCODERS
encoder_for = _encoder_for
NEEDS_FULL_ENCODE = (_NeedSink, _TooDeep)


# ----------------------------------------------------------------------------------------
# Guarded encoding: only after the fast path found more than MAX_DEPTH containers. It
# tracks the containers being encoded, so that a container holding itself becomes one ref
# (and so does one nested deeper than MAX_DEPTH).

_CONTAINER_TAGS = ((dict, T_DICT), (list, T_LIST), (tuple, T_TUPLE),
                   (set, T_SET), (frozenset, T_SET))


def _container_tag(v):
    for base, tag in _CONTAINER_TAGS:
        if isinstance(v, base):
            return tag
    return None


def _encode_guarded(buf, v, sink, depth, active):
    tag = _container_tag(v)
    if tag is None:
        _encode(buf, v, sink, depth)  # not a container: nothing below it can recurse
        return
    key = id(v)
    if key in active:
        raise _Cycle(key)
    if depth >= MAX_DEPTH:
        _enc_ref(buf, v, sink, depth)
        return
    start = len(buf)
    mark = sink.mark() if sink is not None else 0
    active.add(key)
    try:
        if tag == T_DICT:
            items = list(dict.items(v))
            buf += _pack_tag_u32(tag, len(items))
            for k, x in items:
                _encode_guarded(buf, k, sink, depth + 1, active)
                _encode_guarded(buf, x, sink, depth + 1, active)
        else:
            items = list(v)
            buf += _pack_tag_u32(tag, len(items))
            for x in items:
                _encode_guarded(buf, x, sink, depth + 1, active)
    except _Cycle as cycle:
        if cycle.key != key:
            raise
        del buf[start:]
        if sink is not None:
            sink.rollback(mark)
        _enc_ref(buf, v, sink, depth)
    finally:
        active.discard(key)


# ----------------------------------------------------------------------------------------
# Decoding

_NO_REFS = {}


def decode_value(buf, refs=None, session=None):
    """Decode the one value that fills `buf` (bytes or bytearray).

    `session`, when given, is the session of the callables (tag 0x17) in the value.
    """
    if session is not None:
        previous = getattr(serving, "session", None)
        serving.session = session
    try:
        value, pos = _decode(buf, 0, refs if refs is not None else _NO_REFS, 0)
    except _MALFORMED as exc:
        raise _decode_error(exc) from exc
    finally:
        if session is not None:
            serving.session = previous
    if pos != len(buf):
        raise DecodeError("%d bytes after the value" % (len(buf) - pos))
    return value


def peek_op(payload):
    """The op of a REQUEST payload `[op:int, ...]` without decoding it, else None."""
    if len(payload) >= 14 and payload[0] == T_LIST and payload[5] == T_INT:
        return _unpack_i64(payload, 6)[0]
    return None


def decode_request(buf, session_refs):
    """Decode a REQUEST payload `[op, session, *operands]` into a list.

    `session_refs(session)` gives the table {ref id: object} that resolves the refs in
    the operands; op and session are read first to know which table that is. The session
    also becomes this thread's `callbacks.serving.session`: the thread that decodes a
    request is the one that runs it, and a callback it calls names that session.
    """
    try:
        if buf[0] != T_LIST or buf[5] != T_INT or buf[14] != T_STR:
            raise DecodeError("a request must be a list [op:int, session:str, ...]")
        n = _unpack_u32(buf, 1)[0]
        if n < 2 or n > len(buf):
            raise DecodeError("a request needs at least [op, session]")
        op = _unpack_i64(buf, 6)[0]
        pos = 19 + _unpack_u32(buf, 15)[0]
        if pos > len(buf):
            raise DecodeError("session id runs past the end of the frame")
        session = buf[19:pos].decode("utf-8")
        serving.session = session
        request = [op, session]
        _decode_items(buf, pos, n - 2, session_refs(session), 1, request)
        pos = request.pop()
    except _MALFORMED as exc:
        raise _decode_error(exc) from exc
    if pos != len(buf):
        raise DecodeError("%d bytes after the request" % (len(buf) - pos))
    return request


# What a malformed value makes the decoders raise (a RefNotFound is no such thing).
_MALFORMED = (_StructError, IndexError, ValueError, OverflowError)


def _decode_error(exc):
    """The DecodeError to report for an exception raised while decoding."""
    if isinstance(exc, DecodeError):
        return exc
    if isinstance(exc, (_StructError, IndexError)):
        return DecodeError("truncated value")
    return DecodeError("malformed value: %s" % exc)  # bad UTF-8, a 13th month, ...


def _decode(buf, pos, refs, depth):
    return _DECODERS[buf[pos]](buf, pos + 1, refs, depth)


def _decode_items(buf, pos, n, refs, depth, out):
    """Decode n values from pos, appending them to `out`, then append the end position.

    The hot loop of decoding: strings, ints and floats are decoded inline rather than
    through a function per value (that call is most of their cost). `depth` is the depth
    of the values themselves.
    """
    size = len(buf)
    append = out.append
    decoders = _DECODERS
    for _ in range(n):
        tag = buf[pos]
        if tag == T_STR:
            start = pos + 5
            pos = start + _unpack_u32(buf, pos + 1)[0]
            if pos > size:
                raise DecodeError("string runs past the end of the frame")
            append(buf[start:pos].decode("utf-8"))
        elif tag == T_INT:
            append(_unpack_i64(buf, pos + 1)[0])
            pos += 9
        elif tag == T_FLOAT:
            append(_unpack_f64(buf, pos + 1)[0])
            pos += 9
        elif tag == T_LIST:  # call arguments: always there, often short
            items = []
            _decode_items(buf, pos + 5, _count(buf, pos + 1, depth), refs, depth + 1, items)
            pos = items.pop()
            append(items)
        elif tag == T_DICT and buf[pos + 1:pos + 5] == _ZERO_U32:  # no kwargs
            append({})
            pos += 5
        else:
            value, pos = decoders[tag](buf, pos + 1, refs, depth)
            append(value)
    append(pos)


_ZERO_U32 = bytes(4)


def _dec_bad(buf, pos, refs, depth):
    raise DecodeError("unknown value tag 0x%02x" % buf[pos - 1])


def _dec_none(buf, pos, refs, depth):
    return None, pos


def _dec_false(buf, pos, refs, depth):
    return False, pos


def _dec_true(buf, pos, refs, depth):
    return True, pos


def _dec_int(buf, pos, refs, depth):
    return _unpack_i64(buf, pos)[0], pos + 8


def _dec_float(buf, pos, refs, depth):
    return _unpack_f64(buf, pos)[0], pos + 8


def _span(buf, pos):
    """(start, end) of a u32-length-prefixed byte string at pos, bounds-checked."""
    start = pos + 4
    end = start + _unpack_u32(buf, pos)[0]
    if end > len(buf):
        raise DecodeError("length %d runs past the end of the frame" % (end - start))
    return start, end


def _dec_str(buf, pos, refs, depth):
    start, end = _span(buf, pos)
    return buf[start:end].decode("utf-8"), end


def _dec_bytes(buf, pos, refs, depth):
    start, end = _span(buf, pos)
    return bytes(buf[start:end]), end


def _dec_bigint(buf, pos, refs, depth):
    start, end = _span(buf, pos)
    return int.from_bytes(buf[start:end], "big", signed=True), end


def _count(buf, pos, depth, min_item_size=1):
    """Read a container count, checking it against the bytes left and the depth limit."""
    if depth >= MAX_DEPTH:
        raise DecodeError("values nested deeper than %d" % MAX_DEPTH)
    n = _unpack_u32(buf, pos)[0]
    if n * min_item_size > len(buf) - pos - 4:
        raise DecodeError("count %d runs past the end of the frame" % n)
    return n


def _dec_list(buf, pos, refs, depth):
    out = []
    _decode_items(buf, pos + 4, _count(buf, pos, depth), refs, depth + 1, out)
    return out, out.pop()


def _dec_tuple(buf, pos, refs, depth):
    out, pos = _dec_list(buf, pos, refs, depth)
    return tuple(out), pos


def _dec_dict(buf, pos, refs, depth):
    n = _count(buf, pos, depth, 2)
    pos += 4
    depth += 1
    decoders = _DECODERS
    out = {}
    for _ in range(n):
        key, pos = _decode_key(buf, pos, refs, depth)
        value, pos = decoders[buf[pos]](buf, pos + 1, refs, depth)
        try:
            out[key] = value
        except TypeError as exc:
            raise DecodeError("unhashable dict key: %s" % exc) from None
    return out, pos


def _dec_set(buf, pos, refs, depth, kind=set):
    n = _count(buf, pos, depth)
    pos += 4
    depth += 1
    items = []
    for _ in range(n):
        value, pos = _decode_key(buf, pos, refs, depth)
        items.append(value)
    try:
        return kind(items), pos
    except TypeError as exc:
        raise DecodeError("unhashable set element: %s" % exc) from None


def _decode_key(buf, pos, refs, depth):
    """Decode a dict key or set element: sets there become frozensets (they must hash)."""
    tag = buf[pos]
    if tag == T_SET:
        return _dec_set(buf, pos + 1, refs, depth, frozenset)
    if tag == T_TUPLE:
        n = _count(buf, pos + 1, depth)
        pos += 5
        items = []
        for _ in range(n):
            value, pos = _decode_key(buf, pos, refs, depth + 1)
            items.append(value)
        return tuple(items), pos
    return _DECODERS[tag](buf, pos + 1, refs, depth)


def _dec_complex(buf, pos, refs, depth):
    return complex(_unpack_f64(buf, pos)[0], _unpack_f64(buf, pos + 8)[0]), pos + 16


def _dec_decimal(buf, pos, refs, depth):
    import decimal
    start, end = _span(buf, pos)
    try:
        value = decimal.Decimal(buf[start:end].decode("ascii"))
    except (decimal.InvalidOperation, UnicodeDecodeError):
        raise DecodeError("malformed decimal") from None
    if not value.is_finite():
        raise DecodeError("a decimal must be finite")
    return value, end


def _dec_date(buf, pos, refs, depth):
    import datetime
    return datetime.date(*_DATE.unpack_from(buf, pos)), pos + _DATE.size


def _dec_time(buf, pos, refs, depth):
    import datetime
    return datetime.time(*_TIME.unpack_from(buf, pos)), pos + _TIME.size


def _dec_datetime(buf, pos, refs, depth):
    import datetime
    return datetime.datetime(*_DATETIME.unpack_from(buf, pos)), pos + _DATETIME.size


_timezones = {}


def _timezone(seconds):
    tz = _timezones.get(seconds)
    if tz is None:
        import datetime
        # An offset of 0 gives datetime.timezone.utc itself.
        tz = datetime.timezone(datetime.timedelta(seconds=seconds))
        if len(_timezones) < 1024:
            _timezones[seconds] = tz
    return tz


def _dec_datetime_tz(buf, pos, refs, depth):
    import datetime
    y, mo, d, h, mi, s, us, offset = _DATETIME_TZ.unpack_from(buf, pos)
    value = datetime.datetime(y, mo, d, h, mi, s, us, _timezone(offset))
    return value, pos + _DATETIME_TZ.size


def _dec_timedelta(buf, pos, refs, depth):
    seconds, micros = _TIMEDELTA.unpack_from(buf, pos)
    if micros > 999999:
        raise DecodeError("timedelta microseconds out of range")
    import datetime
    return datetime.timedelta(seconds=seconds, microseconds=micros), pos + _TIMEDELTA.size


def _dec_uuid(buf, pos, refs, depth):
    import uuid
    end = pos + 16
    if end > len(buf):
        raise DecodeError("truncated UUID")
    return uuid.UUID(bytes=bytes(buf[pos:end])), end


def _dec_ref_in(buf, pos, refs, depth):
    start, end = _span(buf, pos)
    ref_id = buf[start:end].decode("utf-8")
    obj = refs.get(ref_id, _NO_REFS)  # _NO_REFS doubles as a "missing" marker
    if obj is _NO_REFS:
        raise RefNotFound("no object with ref id %r in this session" % ref_id)
    return obj, end


_ARRAY_TYPES = {  # type code -> (numpy dtype, item size)
    ord("d"): ("<f8", 8),
    ord("f"): ("<f4", 4),
    ord("q"): ("<i8", 8),
    ord("i"): ("<i4", 4),
    ord("h"): ("<i2", 2),
}


def _dec_array(buf, pos, refs, depth):
    code, n = _ARRAY_HEAD.unpack_from(buf, pos)
    kind = _ARRAY_TYPES.get(code)
    if kind is None:
        raise DecodeError("unknown primitive array type code %r" % chr(code))
    dtype, size = kind
    start = pos + _ARRAY_HEAD.size
    end = start + n * size
    if end > len(buf):
        raise DecodeError("primitive array runs past the end of the frame")
    np = numpy_module()
    if np is not None:
        if n == 0:
            return np.empty(0, dtype=dtype), end
        arr = np.frombuffer(buf, dtype=dtype, count=n, offset=start)
        if not (arr.flags.writeable and arr.flags.aligned):
            arr = arr.copy()  # a payload held as bytes is read-only
        return arr, end
    arr = array.array(chr(code))
    if arr.itemsize != size:
        raise DecodeError("array type %r has no %d-byte C type here" % (chr(code), size))
    arr.frombytes(bytes(buf[start:end]))
    if sys.byteorder != "little":
        arr.byteswap()
    return arr, end


def _dec_ndarray(buf, pos, refs, depth):
    return bulk.decode_ndarray(buf, pos)


def _dec_table(buf, pos, refs, depth):
    if depth >= MAX_DEPTH:
        raise DecodeError("values nested deeper than %d" % MAX_DEPTH)
    return bulk.decode_table(buf, pos, lambda b, p: _decode(b, p, _NO_REFS, depth + 1))


def _dec_callback(buf, pos, refs, depth):
    return JavaCallable(_unpack_i64(buf, pos)[0], getattr(serving, "session", None)), pos + 8


def _dec_unsupported(buf, pos, refs, depth):
    raise DecodeError("value tag 0x%02x is not accepted by the worker" % buf[pos - 1])


_DECODERS = [_dec_bad] * 256
for _tag, _f in (
    (T_NONE, _dec_none), (T_FALSE, _dec_false), (T_TRUE, _dec_true),
    (T_INT, _dec_int), (T_BIGINT, _dec_bigint), (T_FLOAT, _dec_float),
    (T_STR, _dec_str), (T_BYTES, _dec_bytes), (T_LIST, _dec_list),
    (T_TUPLE, _dec_tuple), (T_DICT, _dec_dict), (T_SET, _dec_set),
    (T_COMPLEX, _dec_complex), (T_DECIMAL, _dec_decimal), (T_DATE, _dec_date),
    (T_TIME, _dec_time), (T_DATETIME, _dec_datetime), (T_DATETIME_TZ, _dec_datetime_tz),
    (T_TIMEDELTA, _dec_timedelta), (T_UUID, _dec_uuid), (T_REF_IN, _dec_ref_in),
    (T_ARRAY, _dec_array), (T_REF_OUT, _dec_unsupported), (T_CALLBACK, _dec_callback),
    (T_NDARRAY, _dec_ndarray), (T_TABLE, _dec_table),
):
    _DECODERS[_tag] = _f
del _tag, _f
