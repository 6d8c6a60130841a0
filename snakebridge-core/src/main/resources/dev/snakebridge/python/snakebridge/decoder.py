"""Decoding of tagged binary values (docs/PROTOCOL.md, "Values"): the worker's side of
ValueDecoder.java's format, for requests and callback answers.

Decoder signature: f(buf, pos, refs, depth) -> (value, new_pos), pos just after the tag;
    refs is the session's table {ref id: object} used for JVM->worker refs. A callback
    (tag 0x17) becomes a callbacks.JavaCallable of the session in callbacks.serving.
Bounded: a length or count larger than the bytes left, or nesting deeper than MAX_DEPTH,
is a DecodeError, never an allocation of the size the peer claimed.
"""

import array
import struct
import sys

from . import bulk
from .bulk import numpy_module
from .callbacks import JavaCallable, serving
from .errors import DecodeError, RefNotFound
from .protocol import OP_MODIFIER_TRACE
from .wire import (
    MAX_DEPTH, T_ARRAY, T_BIGINT, T_BYTES, T_CALLBACK, T_COMPLEX, T_DATE, T_DATETIME,
    T_DATETIME_TZ, T_DECIMAL, T_DICT, T_FALSE, T_FLOAT, T_INT, T_LARGE_BYTES, T_LARGE_STR, T_LIST,
    T_NDARRAY, T_NONE,
    T_REF_IN, T_REF_OUT, T_SET, T_STR, T_TABLE, T_TIME, T_TIMEDELTA, T_TRUE, T_TUPLE, T_UUID,
)

_U32 = struct.Struct("<I")
_I64 = struct.Struct("<q")
_F64 = struct.Struct("<d")
_DATE = struct.Struct("<iBB")
_TIME = struct.Struct("<BBBI")
_DATETIME = struct.Struct("<iBBBBBI")
_DATETIME_TZ = struct.Struct("<iBBBBBIi")
_TIMEDELTA = struct.Struct("<qI")
_ARRAY_HEAD = struct.Struct("<BI")
_U64 = struct.Struct("<Q")

_unpack_u32 = _U32.unpack_from
_unpack_i64 = _I64.unpack_from
_unpack_f64 = _F64.unpack_from
_StructError = struct.error

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
    """The op of a REQUEST payload `[op:int, ...]` without decoding it, else None.

    Without its TRACE modifier: a traced request is served like an untraced one.
    """
    if len(payload) >= 14 and payload[0] == T_LIST and payload[5] == T_INT:
        return _unpack_i64(payload, 6)[0] & ~OP_MODIFIER_TRACE
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


def _large_buffer(buf, pos):
    """(the bytes-like body of LARGE_BYTES / LARGE_STR, new pos)."""
    return bulk.read_buffer(buf, pos + 8, _U64.unpack_from(buf, pos)[0])


def _done_with(data):
    """A mapped file's memory is freed now rather than at collection (the value was copied)."""
    close = getattr(data, "close", None)  # an mmap; a slot's view gives the slot back when dropped
    if close is not None:
        close()


def _dec_large_bytes(buf, pos, refs, depth):
    data, end = _large_buffer(buf, pos)
    value = bytes(data)
    _done_with(data)
    return value, end


def _dec_large_str(buf, pos, refs, depth):
    data, end = _large_buffer(buf, pos)
    try:
        value = str(data, "utf-8")
    finally:
        _done_with(data)
    return value, end


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
    (T_NDARRAY, _dec_ndarray), (T_TABLE, _dec_table), (T_LARGE_BYTES, _dec_large_bytes),
    (T_LARGE_STR, _dec_large_str),
):
    _DECODERS[_tag] = _f
del _tag, _f
