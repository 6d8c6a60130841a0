"""Bulk values: n-dimensional arrays, tables, and large buffers through shared memory.

Mirrors ArrayDescriptor.java (docs/PROTOCOL.md, "Bulk values"):

    NDARRAY (0x18): u8 dtype code, u8 order ('C'/'F'), u8 ndim, ndim x i64 shape, buffer
    TABLE (0x19):   u32 ncols, i64 nrows, then per column: str name, u8 kind, and
                    for kind 'd' / 'q' / '?' a buffer of nrows x (8 / 8 / 1) bytes,
                    for kind 's' one encoded list of nrows str-or-None values
    buffer:         u8 location: 0 INLINE: u64 n, n raw bytes
                                 1 SHARED: str path, u64 n
                                 2 SLOT:   str path, u64 lease, u64 n

A SHARED buffer is a file of exactly n bytes, named FILE_PREFIX + "<creator pid>-<16 hex>",
in the directory both sides were given (SNAKEBRIDGE_BULK_DIR: /dev/shm where it exists).
Buffers of at least SNAKEBRIDGE_BULK_THRESHOLD bytes go that way. When that directory has no
room (a container's small /dev/shm), files go to SNAKEBRIDGE_BULK_FALLBACK_DIR (the JVM's
java.io.tmpdir when it is another file system, "" for none; tempfile.gettempdir() when
unset), on disk, and a WARN says so once; each side accepts files from both directories. The receiver maps the file
and unlinks it at once; the mapping (and so the memory) lives as long as the arrays that
view it. Files this worker wrote that the JVM never took are removed by sweep_stale(),
which the heartbeat (PING) runs.

A SLOT buffer lies in a reusable file of the sender's arena (arena.py): the bytes at
arena.DATA_OFFSET of the file `path`, under lease number `lease`. Large buffers go that way
first; a full arena (SNAKEBRIDGE_BULK_ARENA_BYTES, default 256 MiB; 0 turns it off) falls
back to SHARED files.

The public functions to_ndarray, to_table and from_table are what the JVM's
SnakeBridge.toNDArray / toTable / fromTable call.
"""

import array
import collections
import mmap
import os
import struct
import sys
import threading
import time

from . import arena
from .errors import DecodeError
from .wire import T_LIST, T_NDARRAY, T_TABLE

LAYOUT_VERSION = 2
INLINE = 0
SHARED = 1
SLOT = 2
ORDER_C = ord("C")
ORDER_F = ord("F")
KIND_DOUBLE = ord("d")
KIND_LONG = ord("q")
KIND_BOOL = ord("?")
KIND_STRING = ord("s")
MAX_DIMENSIONS = 32
FILE_PREFIX = "snakebridge-bulk-"
STALE_AFTER_S = 60.0  # a file the JVM has not taken by then never will be

# dtype code -> (numpy dtype string, item size, array.array / memoryview format)
DTYPES = {
    ord("d"): ("<f8", 8, "d"),
    ord("f"): ("<f4", 4, "f"),
    ord("q"): ("<i8", 8, "q"),
    ord("i"): ("<i4", 4, "i"),
    ord("h"): ("<i2", 2, "h"),
    ord("b"): ("|i1", 1, "b"),
    ord("B"): ("|u1", 1, "B"),
    ord("?"): ("|b1", 1, "?"),
}
_CODE_OF_DTYPE = {v[0]: k for k, v in DTYPES.items()}
SUPPORTED = "float64, float32, int64, int32, int16, int8, uint8, bool"

_U32 = struct.Struct("<I")
_U64 = struct.Struct("<Q")
_HEAD = struct.Struct("<BBBB")  # tag, dtype, order, ndim
_TABLE_HEAD = struct.Struct("<BIq")
_INLINE_HEAD = struct.Struct("<BQ")


def _directory():
    configured = os.environ.get("SNAKEBRIDGE_BULK_DIR")
    if configured:
        return os.path.realpath(configured)
    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        return os.path.realpath("/dev/shm")
    import tempfile  # only here: its imports (shutil, random) cost ~2.5 ms of every start

    return os.path.realpath(tempfile.gettempdir())


def _threshold():
    try:
        return max(1, int(os.environ.get("SNAKEBRIDGE_BULK_THRESHOLD", "")))
    except ValueError:
        return 1 << 20


def _arena_bytes():
    try:
        return max(0, int(os.environ.get("SNAKEBRIDGE_BULK_ARENA_BYTES", "")))
    except ValueError:
        return 256 << 20


def _fallback_directory():
    """Where buffers go when DIRECTORY has no room: the JVM's choice, else the temporary directory."""
    configured = os.environ.get("SNAKEBRIDGE_BULK_FALLBACK_DIR")
    if configured == "":
        return None  # the JVM found none: the temporary directory shares DIRECTORY's file system
    if configured:
        found = os.path.realpath(configured)
    else:
        import tempfile

        found = os.path.realpath(tempfile.gettempdir())
    return None if found == DIRECTORY else found


DIRECTORY = _directory()
THRESHOLD = _threshold()
_fallback = []  # [FALLBACK directory or None], computed on first need (tempfile costs start-up time)
_ROOM_MARGIN = 2 << 20  # a slot's header and rounding, and the other side's transfers
_warned = []


def fallback_directory():
    if not _fallback:
        _fallback.append(_fallback_directory())
    return _fallback[0]


def _free_bytes():
    try:
        st = os.statvfs(DIRECTORY)
    except OSError:
        return -1
    return st.f_bavail * st.f_frsize


def has_room(n):
    """Whether DIRECTORY has room for n bytes now (another process may take it first: the arena's
    reservation is what makes a mapping safe)."""
    free = _free_bytes()
    return free < 0 or free >= n + _ROOM_MARGIN or fallback_directory() is None


def _warn_fallback(n, why):
    """Say once per worker that buffers go to disk, and what to change (the JVM says the same)."""
    if _warned:
        return
    _warned.append(True)
    import logging

    free = _free_bytes()
    logging.getLogger("snakebridge.bulk").warning(
        "%s has %s free, too little for a large buffer of %.1f MiB (%s): large buffers go through files "
        "in %s (on disk, slower) until it has room. Give the process more shared memory: docker run "
        "--shm-size=1g, or in Kubernetes an emptyDir volume with medium: Memory mounted at /dev/shm "
        "(docs/DEPLOYMENT.md). This is logged once.",
        DIRECTORY, "an unknown amount" if free < 0 else "%.1f MiB" % (free / 1048576.0), n / 1048576.0,
        why, fallback_directory())

# numpy is imported on first use: it costs start-up time most workers never need. Here,
# below the codec, so that the encoder, the decoder and this module share one import.
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
# Shared-memory files

_tracking = threading.local()  # .files: the list of files the current encoding wrote
_written = collections.deque()  # (monotonic time, path) of files written, oldest first
_written_lock = threading.Lock()
_MAX_REMEMBERED = 4096


def begin_tracking():
    """Start recording the files written by this thread; returns a token for end_tracking()."""
    previous = getattr(_tracking, "files", None)
    _tracking.files = []
    return previous


def is_tracking():
    """Whether this thread records the files it writes (between begin_ and end_tracking)."""
    return getattr(_tracking, "files", None) is not None


def discard_tracked():
    """Unlink the files recorded so far by this thread's tracking (an encoding that restarts)."""
    files = getattr(_tracking, "files", None)
    if files:
        discard(files)
        del files[:]


def end_tracking(previous, failed):
    """Stop recording; on failure unlink the files written since begin_tracking()."""
    files = _tracking.files
    _tracking.files = previous
    if failed:
        discard(files)
    elif previous is not None:
        previous.extend(files)


def discard(paths):
    """Unlink files; settle arena leases (their tokens are "path#lease")."""
    for path in paths:
        if "#" in path:
            ARENA.settle(path)
            continue
        try:
            os.unlink(path)
        except OSError:
            pass


def _new_path(directory=None):
    return os.path.join(directory or DIRECTORY, "%s%d-%s" % (FILE_PREFIX, os.getpid(), os.urandom(8).hex()))


def write_shared(data):
    """Write the bytes of `data` (a 1-D byte memoryview) into a new file; returns its path.

    The file goes into DIRECTORY while it has room, else into the fallback directory (on disk):
    write(2) fails cleanly with ENOSPC where a mapping would fault.
    """
    n = len(data)
    fallback = fallback_directory() if not has_room(n) else None
    if fallback is not None:
        _warn_fallback(n, "no room")
        path = _write_file(fallback, data)
    else:
        try:
            path = _write_file(DIRECTORY, data)
        except OSError as e:
            fallback = fallback_directory()
            if fallback is None:
                raise
            _warn_fallback(n, e.strerror or str(e))
            path = _write_file(fallback, data)
    files = getattr(_tracking, "files", None)
    if files is not None:
        files.append(path)
    with _written_lock:
        _written.append((time.monotonic(), path))
        while len(_written) > _MAX_REMEMBERED:
            discard([_written.popleft()[1]])
    return path


def _write_file(directory, data):
    path = _new_path(directory)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        done, n = 0, len(data)
        while done < n:
            done += os.write(fd, data[done:done + (1 << 30)])
    except BaseException:
        os.close(fd)
        discard([path])
        raise
    os.close(fd)
    return path


def sweep_stale(max_age=STALE_AFTER_S):
    """Unlink files written more than `max_age` seconds ago that are still there, and retire arena
    slots leased as long ago that the JVM never claimed; returns how many."""
    removed = ARENA.sweep(max_age)
    if not _written:
        return removed
    limit = time.monotonic() - max_age
    with _written_lock:
        while _written and _written[0][0] < limit:
            path = _written.popleft()[1]
            try:
                os.unlink(path)
                removed += 1
            except OSError:
                pass  # taken by the JVM, as it should be
    return removed


def _checked_path(path):
    """The path of a buffer file of our directory; anything else is refused (the peer names it)."""
    real = os.path.realpath(path)
    name = os.path.basename(real)
    parent = os.path.dirname(real)
    if not _is_buffer_name(name) or (parent != DIRECTORY and parent != fallback_directory()):
        raise DecodeError("refusing shared buffer path %r: not a %s* file of %s"
                          % (path, FILE_PREFIX, DIRECTORY))
    return real


def _is_buffer_name(name):
    """FILE_PREFIX + "<pid>-<16 hex>", as LargeBuffers.NAME (without importing re at start-up)."""
    pid, _, tail = name[len(FILE_PREFIX):].partition("-")
    return (name.startswith(FILE_PREFIX) and pid.isdigit() and pid.isascii() and len(tail) == 16
            and all(c in "0123456789abcdef" for c in tail))


def _track(token):
    files = getattr(_tracking, "files", None)
    if files is not None:
        files.append(token)


def write_slot(data):
    """Copy `data` (a 1-D byte memoryview) into an arena slot: (path, lease), or None when full."""
    leased = ARENA.lease(len(data)) if has_room(len(data)) else None
    if leased is None:
        return None
    token, path, gen, view = leased
    try:
        view[:] = data
    except BaseException:
        ARENA.settle(token)
        raise
    _track(token)
    return path, gen


def _slot_owner(mm, offset, n):
    """What the view of a received slot hangs on: its death gives the slot back."""
    np = numpy_module()
    if np is not None:
        return np.frombuffer(mm, dtype=np.uint8, count=n, offset=offset)
    return memoryview(mm)[offset:offset + n]


def map_slot(path, gen, n):
    """The n bytes of the JVM's slot `path` under lease `gen`: a uint8 ndarray (or memoryview) whose
    death gives the slot back."""
    try:
        return RECEIVED.take(path, gen, n, _slot_owner)
    except FileNotFoundError:
        raise DecodeError("shared slot %s is gone (its sender dropped it)" % path) from None
    except ValueError as e:
        raise DecodeError(str(e)) from None


def map_shared(path, n):
    """Map the file the JVM wrote (n bytes), writable and private to us now; unlink it."""
    path = _checked_path(path)
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        raise DecodeError("shared buffer %s is gone (its sender removed it: a call that timed "
                          "out?)" % path) from None
    try:
        os.unlink(path)
        if os.fstat(fd).st_size < n:
            raise DecodeError("shared buffer %s is shorter than %d bytes" % (path, n))
        if n == 0:
            return bytearray()
        flags = mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0)
        return mmap.mmap(fd, n, flags=flags, prot=mmap.PROT_READ | mmap.PROT_WRITE)
    finally:
        os.close(fd)


ARENA = arena.SendArena(DIRECTORY, FILE_PREFIX, _arena_bytes())
arena.register_exit(ARENA)
RECEIVED = arena.ReceiveSlots(_checked_path)


# ----------------------------------------------------------------------------------------
# Buffers

def write_buffer(buf, data):
    """Append a buffer body holding the bytes of `data` (a 1-D byte memoryview)."""
    n = len(data)
    slot = write_slot(data) if n >= THRESHOLD else None
    if slot is not None:
        path = slot[0].encode("utf-8")
        buf.append(SLOT)
        buf += _U32.pack(len(path))
        buf += path
        buf += _U64.pack(slot[1])
        buf += _U64.pack(n)
    elif n >= THRESHOLD:
        path = write_shared(data).encode("utf-8")
        buf.append(SHARED)
        buf += _U32.pack(len(path))
        buf += path
        buf += _U64.pack(n)
    else:
        buf += _INLINE_HEAD.pack(INLINE, n)
        buf += data


def read_buffer(buf, pos, nbytes):
    """(bytes-like of exactly nbytes, new pos): a slice of the frame, or a mapped file."""
    location = buf[pos]
    if location == INLINE:
        n = _U64.unpack_from(buf, pos + 1)[0]
        start = pos + 9
        if n != nbytes or start + n > len(buf):
            raise DecodeError("inline buffer of %d bytes where %d were announced" % (n, nbytes))
        return memoryview(buf)[start:start + n], start + n
    if location == SHARED:
        length = _U32.unpack_from(buf, pos + 1)[0]
        start = pos + 5
        if start + length + 8 > len(buf):
            raise DecodeError("shared buffer path runs past the end of the frame")
        path = bytes(buf[start:start + length]).decode("utf-8")
        n = _U64.unpack_from(buf, start + length)[0]
        if n != nbytes:
            raise DecodeError("shared buffer of %d bytes where %d were announced" % (n, nbytes))
        return map_shared(path, n), start + length + 8
    if location == SLOT:
        length = _U32.unpack_from(buf, pos + 1)[0]
        start = pos + 5
        if start + length + 16 > len(buf):
            raise DecodeError("shared slot path runs past the end of the frame")
        path = bytes(buf[start:start + length]).decode("utf-8")
        gen, n = struct.unpack_from("<QQ", buf, start + length)
        if n != nbytes:
            raise DecodeError("shared slot of %d bytes where %d were announced" % (n, nbytes))
        return map_slot(path, gen, n), start + length + 16
    raise DecodeError("unknown buffer location %d" % location)


def _as_numpy(np, data, dtype, count, shared):
    """A numpy array over `data`; inline frame bytes are read-only, so those are copied."""
    if count == 0:
        return np.empty(0, dtype=dtype)
    if isinstance(data, np.ndarray):
        return data.view(dtype)  # a slot: views of it keep `data`, whose death gives the slot back
    arr = np.frombuffer(data, dtype=dtype, count=count)
    if not shared and not (arr.flags.writeable and arr.flags.aligned):
        arr = arr.copy()
    return arr


# ----------------------------------------------------------------------------------------
# NDARRAY

def decode_ndarray(buf, pos):
    """(array, new pos) for the body of an NDARRAY at pos (just after the tag)."""
    code, order, ndim = buf[pos], buf[pos + 1], buf[pos + 2]
    kind = DTYPES.get(code)
    if kind is None:
        raise DecodeError("unknown array dtype code %r" % chr(code))
    if order != ORDER_C and order != ORDER_F:
        raise DecodeError("array order must be 'C' or 'F'")
    if ndim > MAX_DIMENSIONS:
        raise DecodeError("array of %d dimensions" % ndim)
    shape = struct.unpack_from("<%dq" % ndim, buf, pos + 3)
    count = 1
    for d in shape:
        if d < 0:
            raise DecodeError("negative array dimension")
        count *= d
    dtype, size, fmt = kind
    shared = buf[pos + 3 + 8 * ndim] != INLINE
    data, pos = read_buffer(buf, pos + 3 + 8 * ndim, count * size)
    np = numpy_module()
    if np is not None:
        arr = _as_numpy(np, data, dtype, count, shared)
        if ndim != 1:
            arr = arr.reshape(shape, order="C" if order == ORDER_C else "F")
        return arr, pos
    if ndim == 1:
        if fmt == "?":
            return [b != 0 for b in bytes(data)], pos
        arr = array.array(fmt)
        arr.frombytes(bytes(data))
        if sys.byteorder != "little":
            arr.byteswap()
        return arr, pos
    if order == ORDER_F and sum(1 for d in shape if d > 1) > 1:
        raise DecodeError("a column-major (F) array needs numpy, which is not installed")
    return memoryview(bytes(data)).cast(fmt, shape), pos


def ndarray_code(np, v):
    """(dtype code, array in little-endian) for an ndarray that crosses by value, or None."""
    code = _CODE_OF_DTYPE.get(v.dtype.str)
    if code is not None:
        return code, v
    if v.dtype.byteorder == ">":
        little = v.dtype.newbyteorder("<")
        code = _CODE_OF_DTYPE.get(little.str)
        if code is not None:
            return code, v.astype(little)
    return None


def encode_ndarray(buf, v):
    """Append an NDARRAY for the numpy array `v`; False when its dtype cannot cross by value."""
    np = numpy_module()
    found = ndarray_code(np, v)
    if found is None:
        return False
    code, v = found
    if v.flags.c_contiguous:
        order = ORDER_C
    elif v.flags.f_contiguous:
        order = ORDER_F
    else:
        v = np.ascontiguousarray(v)
        order = ORDER_C
    buf += _HEAD.pack(T_NDARRAY, code, order, v.ndim)
    buf += struct.pack("<%dq" % v.ndim, *v.shape)
    write_buffer(buf, memoryview(v.reshape(-1, order="A")).cast("B"))
    return True


def to_ndarray(obj):
    """numpy.asarray(obj), checked to be of a dtype that crosses as an NDArray (toNDArray)."""
    np = numpy_module()
    if np is None:
        raise ModuleNotFoundError("toNDArray needs numpy, which is not installed for this Python")
    arr = np.asarray(obj)
    if ndarray_code(np, arr) is None:
        raise TypeError("an array of dtype %s cannot become an NDArray; supported: %s (convert first, "
                        "e.g. arr.astype('float64'))" % (arr.dtype, SUPPORTED))
    return arr


# ----------------------------------------------------------------------------------------
# TABLE

class Table:
    """A DataFrame taken apart for the wire: [(name, kind, data)], data an ndarray or a list."""

    __slots__ = ("nrows", "columns")

    def __init__(self, nrows, columns):
        self.nrows = nrows
        self.columns = columns


def encode_table(buf, table, enc_str):
    """Append a TABLE; `enc_str(buf, s, None, 0)` is the codec's str encoder."""
    np = numpy_module()
    buf += _TABLE_HEAD.pack(T_TABLE, len(table.columns), table.nrows)
    for name, kind, data in table.columns:
        encoded = name.encode("utf-8", "replace")
        buf += _U32.pack(len(encoded))
        buf += encoded
        buf.append(kind)
        if kind == KIND_STRING:
            buf += struct.pack("<BI", T_LIST, len(data))
            for s in data:
                if s is None:
                    buf.append(0)
                else:
                    enc_str(buf, s, None, 0)
        else:
            write_buffer(buf, memoryview(np.ascontiguousarray(data)).cast("B"))


_COLUMN_DTYPES = {KIND_DOUBLE: ("<f8", 8), KIND_LONG: ("<i8", 8), KIND_BOOL: ("|b1", 1)}


def decode_table(buf, pos, decode_list):
    """(DataFrame, new pos) for a TABLE body; a dict of columns when pandas is missing.

    `decode_list(buf, pos)` decodes one value (the string columns' lists).
    """
    ncols, nrows = struct.unpack_from("<Iq", buf, pos)
    pos += 12
    if nrows < 0 or ncols > len(buf) - pos:
        raise DecodeError("table of %d columns and %d rows does not fit the frame" % (ncols, nrows))
    np = numpy_module()
    columns = {}
    for _ in range(ncols):
        length = _U32.unpack_from(buf, pos)[0]
        name = bytes(buf[pos + 4:pos + 4 + length]).decode("utf-8")
        pos += 4 + length
        kind = buf[pos]
        pos += 1
        if kind == KIND_STRING:
            values, pos = decode_list(buf, pos)
            if type(values) is not list or len(values) != nrows:
                raise DecodeError("string column %r must be a list of %d values" % (name, nrows))
            for s in values:
                if s is not None and type(s) is not str:
                    raise DecodeError("string column %r holds a %s" % (name, type(s).__name__))
            column = values
        else:
            spec = _COLUMN_DTYPES.get(kind)
            if spec is None:
                raise DecodeError("unknown table column kind %r" % chr(kind))
            shared = buf[pos] != INLINE
            data, pos = read_buffer(buf, pos, nrows * spec[1])
            if np is not None:
                column = _as_numpy(np, data, spec[0], nrows, shared)
            elif kind == KIND_BOOL:
                column = [b != 0 for b in bytes(data)]
            else:
                column = array.array("d" if kind == KIND_DOUBLE else "q")
                column.frombytes(bytes(data))
        if name in columns:
            raise DecodeError("duplicate table column %r" % name)
        columns[name] = column
    try:
        import pandas
    except ImportError:
        return columns, pos
    return pandas.DataFrame(columns) if columns else pandas.DataFrame(index=range(nrows)), pos


def to_table(frame):
    """A pandas DataFrame as a Table, column by column (SnakeBridge.toTable).

    float columns -> 'd' (NaN kept); int and uint columns -> 'q' ('d' for uint64 values past
    int64, and for nullable integer columns holding NA); bool -> '?' ('d' with NaN when a
    nullable boolean column holds NA); anything else -> 's', str(value) per cell, None for
    missing values. The index is not sent.
    """
    try:
        import pandas as pd
    except ImportError:
        raise ModuleNotFoundError("toTable needs pandas, which is not installed for this Python") from None
    if not isinstance(frame, pd.DataFrame):
        raise TypeError("toTable needs a pandas.DataFrame, not %s.%s"
                        % (type(frame).__module__, type(frame).__qualname__))
    np = numpy_module()
    names = [str(c) for c in frame.columns]
    seen = set()
    for name in names:
        if name in seen:
            raise ValueError("the DataFrame has two columns named %r; rename one first" % name)
        seen.add(name)
    columns = []
    for i, name in enumerate(names):
        series = frame.iloc[:, i]
        columns.append((name,) + _column(pd, np, series))
    return Table(len(frame), columns)


def _column(pd, np, series):
    dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "biuf":
        if dtype.kind == "b":
            return KIND_BOOL, series.to_numpy(dtype=np.bool_)
        if dtype.kind == "f":
            return KIND_DOUBLE, series.to_numpy(dtype=np.float64)
        if dtype.kind == "u" and dtype.itemsize == 8:
            values = series.to_numpy()
            if len(values) and values.max() > np.iinfo(np.int64).max:
                return KIND_DOUBLE, values.astype(np.float64)
        return KIND_LONG, series.to_numpy(dtype=np.int64)
    if isinstance(dtype, pd.api.extensions.ExtensionDtype) and (
            pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype)):
        if series.hasnans:
            return KIND_DOUBLE, series.to_numpy(dtype=np.float64, na_value=np.nan)
        if pd.api.types.is_bool_dtype(dtype):
            return KIND_BOOL, series.to_numpy(dtype=np.bool_)
        if pd.api.types.is_float_dtype(dtype):
            return KIND_DOUBLE, series.to_numpy(dtype=np.float64)
        return KIND_LONG, series.to_numpy(dtype=np.int64)
    values = series.to_numpy(dtype=object)
    missing = pd.isna(values)
    return KIND_STRING, [None if m else (v if type(v) is str else str(v))
                         for v, m in zip(values, missing)]


def from_table(frame):
    """The DataFrame a PyTable argument became (SnakeBridge.fromTable)."""
    try:
        import pandas as pd
    except ImportError:
        raise ModuleNotFoundError("fromTable needs pandas, which is not installed for this Python") from None
    if not isinstance(frame, pd.DataFrame):
        raise TypeError("fromTable needs a PyTable, not %s" % type(frame).__qualname__)
    return frame
