"""Encoding of tagged binary values (docs/PROTOCOL.md, "Values"): the worker's side of
ValueEncoder.java's format, for results, stream items, callback arguments and errors.

Encoding is on the hot path of every call, so it dispatches on the exact type through a
dict first (`_ENCODERS`) and only falls back to isinstance checks for subclasses, numpy
scalars and everything that becomes a ref; the decision for such a type is then cached
in the same dict. Each encoder appends to a bytearray.

Encoder signature: f(buf, value, sink, depth)
    sink  -- where objects that cross as refs are stored (objects.RefSink), or None on
             the first, optimistic pass: most values hold no ref, so no sink is made
             unless one is needed (_NeedSink restarts the encoding with one).
    depth -- number of containers around `value`.
"""

import struct
import threading

from . import bulk
from .bulk import numpy_module
from .errors import qualified_name
from .wire import (
    MAX_DEPTH, T_BIGINT, T_BYTES, T_COMPLEX, T_DATE, T_DATETIME, T_DATETIME_TZ, T_DECIMAL, T_DICT,
    T_FALSE, T_FLOAT, T_INT, T_LARGE_BYTES, T_LARGE_STR, T_LIST, T_NONE, T_REF_OUT, T_SET, T_STR,
    T_TIME, T_TIMEDELTA, T_TRUE, T_TUPLE, T_UUID,
)

REPR_LIMIT = 200

_U32 = struct.Struct("<I")
_TAG_U32 = struct.Struct("<BI")
_TAG_I64 = struct.Struct("<Bq")
_TAG_F64 = struct.Struct("<Bd")
_TAG_F64_F64 = struct.Struct("<Bdd")
_TAG_DATE = struct.Struct("<BiBB")
_TAG_TIME = struct.Struct("<BBBBI")
_TAG_DATETIME = struct.Struct("<BiBBBBBI")
_TAG_DATETIME_TZ = struct.Struct("<BiBBBBBIi")
_TAG_TIMEDELTA = struct.Struct("<BqI")
_TAG_U64 = struct.Struct("<BQ")

_pack_tag_u32 = _TAG_U32.pack
_pack_tag_i64 = _TAG_I64.pack
_pack_tag_f64 = _TAG_F64.pack
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


# .arrays: True while an ArraysByValue is being encoded; .inline_large: True while a value
# without a session is, whose large bytes and str stay in the frame (_encode_tracked)
_mode = threading.local()


class _NeedSink(Exception):
    """The optimistic pass met a value that must become a ref; restart with a sink."""


class _NeedTracking(Exception):
    """A pass without file tracking met a value bound for shared memory; restart with it.

    The optimistic pass may be redone (_NeedSink), and any pass may fail later on: a slot
    or file written without tracking would stay leased until the sweep. Large values are
    rare, so redoing the encoding before them costs little next to copying them.
    """


class _TooDeep(Exception):
    """More than MAX_DEPTH containers: deep nesting or a container holding itself."""


class _Cycle(Exception):
    """Guarded pass: the container with id `key` contains itself."""

    def __init__(self, key):
        Exception.__init__(self)
        self.key = key


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
        except _NeedTracking:
            del buf[start:]
            return _encode_tracked(buf, value, tables, session, depth)
        del buf[start:]
    # else: arrays by value may be large (shared-memory files): no optimistic pass that a
    # ref would make us redo.
    return _encode_with_sink(buf, value, tables, session, depth, start, guarded)


def _encode_tracked(buf, value, tables, session, depth):
    """encode_value() for a value holding large bytes or str: with a sink from the start (no
    optimistic pass to redo), and the files it writes unlinked (or settled) again on failure.

    Without tables there is no session: a control frame (LOG, TELEMETRY, HELLO) or an ERROR,
    which the JVM may read without its shared directory. Those keep large values inline.
    """
    if tables is None:
        _mode.inline_large = True
        try:
            return encode_value(buf, value, None, session, depth)
        finally:
            _mode.inline_large = False
    token = bulk.begin_tracking()
    failed = True
    try:
        sink = _encode_with_sink(buf, value, tables, session, depth, len(buf), False)
        failed = False
        return sink
    finally:
        bulk.end_tracking(token, failed)


def _encode_with_sink(buf, value, tables, session, depth, start, guarded):
    """The slow path of encode_value(): refs go into a sink; self-containing values are guarded."""
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
                bulk.discard_tracked()  # the guarded pass writes its own
        _encode_guarded(buf, value, sink, depth, set())
        return sink
    except _NeedSink:
        del buf[start:]
        raise TypeError("%s must cross as a ref, but no session can hold it"
                        % qualified_name(type(value)))
    except _NeedTracking:
        del buf[start:]
        if sink is not None:
            sink.rollback(0)
        return _encode_tracked(buf, value, tables, session, depth)
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
    n = len(data)
    if n >= bulk.THRESHOLD:
        _enc_large(buf, T_LARGE_STR, data)
        return
    buf += _pack_tag_u32(T_STR, n)
    buf += data


def _enc_bytes(buf, v, sink, depth):
    n = len(v)
    if n >= bulk.THRESHOLD:
        _enc_large(buf, T_LARGE_BYTES, v)
        return
    buf += _pack_tag_u32(T_BYTES, n)
    buf += v


def _enc_large(buf, tag, data):
    """bytes (or a str's UTF-8) through shared memory: too large to copy through the frame."""
    if not bulk.is_tracking():
        if getattr(_mode, "inline_large", False):
            buf += _pack_tag_u32(T_BYTES if tag == T_LARGE_BYTES else T_STR, len(data))
            buf += data
            return
        raise _NeedTracking
    buf += _TAG_U64.pack(tag, len(data))
    bulk.write_buffer(buf, memoryview(data))


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
# the full encode_value() (it holds a ref, is nested too deep to trust, or goes through
# shared memory).
ENCODERS = _ENCODERS
encoder_for = _encoder_for
NEEDS_FULL_ENCODE = (_NeedSink, _TooDeep, _NeedTracking)


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
