"""Frames of the wire protocol: header layout, kinds, ops, flags, and frame I/O on raw fds.

A frame is `u32 len | u8 kind | u8 flags | u16 reserved | u64 id | payload`, little-endian,
where len counts the bytes after the len field (12 + payload length).
"""

import os
import select
import struct
import threading
import time

HEADER = struct.Struct("<IBBHQ")  # len, kind, flags, reserved, id
HEADER_SIZE = HEADER.size  # 16
_LEN = struct.Struct("<I")
_KIND_FLAGS_ID = struct.Struct("<BBxxQ")
MIN_LEN = HEADER_SIZE - 4  # len of a frame with an empty payload
MAX_LEN = (1 << 30) - 4  # len of the largest frame, 1 GiB in all: FrameDescriptor.MAX_FRAME_BYTES

# Frame kinds.
REQUEST = 1
RESULT = 2
ERROR = 3
LOG = 4
HELLO = 5
CALLBACK = 6
CALLBACK_RESULT = 7
CALLBACK_ERROR = 8
CANCEL = 9
STREAM_ITEM = 10
CANCELLED = 11  # worker->JVM: a CANCEL arrived (wakes the JVM's reader at once)
TELEMETRY = 12  # worker->JVM: [name, measurements, metadata] from snakebridge.emit
CREDIT = 13  # JVM->worker: a push stream may send n more items
CALLBACKS_DROPPED = 14  # worker->JVM: [id, ...] of anonymous Java callables Python let go of

# Flag bits.
NO_REPLY = 0x01
# A request to run at once, never queued behind user calls for an execution slot: the JVM
# sets it on what it sends outside its admission (calls a Java callback makes while a call
# of this worker waits for it, and control requests).
UNQUEUED = 0x02

# Request operations: the first element of a REQUEST payload list.
OP_CALL = 1
OP_GET = 2
OP_METHOD = 3
OP_ATTR = 4
OP_SET_ATTR = 5
OP_RELEASE = 6
OP_RELEASE_SESSION = 7
OP_PING = 8
OP_BUILTIN = 9
OP_CALL_REF = 10
OP_ITER_OPEN = 11
OP_ITER_NEXT = 12
OP_ENTER = 13
OP_EXIT = 14
OP_STREAM = 15
OP_BATCH = 16

# Op modifiers: bits above the low 8 of an op. ARRAYS: numpy arrays in the result cross by
# value (NDARRAY) rather than as refs (CallOptions.arraysAsNDArray).
OP_MODIFIER_ARRAYS = 0x100
OP_MODIFIER_THREAD = 0x200  # run on the worker's one thread for thread-bound sessions (lanes.py)
# TRACE: [op, session, traceparent, *operands]: the caller's W3C trace context (tracing.py).
OP_MODIFIER_TRACE = 0x400
OP_MODIFIERS = OP_MODIFIER_ARRAYS | OP_MODIFIER_THREAD | OP_MODIFIER_TRACE

# Ops the reading thread handles itself without any hand-off machinery: cheap answers,
# and STREAM, which it only hands to a thread of the stream's own.
INLINE_OPS = frozenset((OP_RELEASE, OP_RELEASE_SESSION, OP_PING, OP_STREAM))

PROTOCOL_VERSION = 1

_READ_SIZE = 65536
# Frames at least this large are read straight into a buffer of their own size, so a
# large payload is neither copied piecewise nor copied again to cut it out.
_BIG_FRAME = 256 * 1024


class ProtocolError(Exception):
    """The byte stream does not hold valid frames: the stream cannot be trusted any more."""


def new_frame():
    """A buffer holding a blank header; encode the payload after it, then seal_frame()."""
    return bytearray(HEADER_SIZE)


def seal_frame(buf, kind, frame_id, flags=0):
    """Fill in the header of a buffer made by new_frame() once its payload is complete."""
    length = len(buf) - 4
    if length > MAX_LEN:
        # Refused here, by the sender, so that the peer never sees a length it must take for a
        # corrupt stream: the caller answers this as the call's ERROR and the worker serves on.
        raise ValueError("the value is too large to send: its frame of %d bytes exceeds the %d "
                         "bytes one frame may hold (docs/PROTOCOL.md). bytes, str and numpy arrays "
                         "above the large-buffer threshold travel through shared memory; return "
                         "long lists and dicts in parts, or as a ref" % (len(buf), MAX_LEN + 4))
    HEADER.pack_into(buf, 0, length, kind, flags, 0, frame_id)
    return buf


class FrameReader:
    """Reads whole frames from a raw fd through an internal buffer.

    Not thread-safe: only the thread that holds leadership (the server's read lock) reads.
    """

    # A pipe cannot tell the JVM how far it has been read, so there is nothing to mark
    # (ShmFrameReader has both).
    position = 0

    def mark_started(self, position):
        pass

    def __init__(self, fd, spin_us=0, spin_yield=False):
        self._fd = fd
        self._spin_yield = spin_yield
        self._buf = b""
        self._pos = 0
        # Optional busy-poll before blocking (see _spin); off unless spin_us > 0.
        self._spin_s = spin_us / 1e6 if spin_us > 0 and hasattr(select, "poll") else 0
        if self._spin_s:
            self._poller = select.poll()
            self._poller.register(fd, select.POLLIN)

    def read(self):
        """The next frame as (kind, flags, id, payload), or None at end of stream.

        The common case, a whole frame already buffered, costs two struct unpacks and
        one slice.
        """
        buf = self._buf
        pos = self._pos
        if pos == len(buf):  # nothing buffered: the usual case between requests
            if self._spin_s:
                self._spin()
            buf = self._buf = os.read(self._fd, _READ_SIZE)
            pos = self._pos = 0
            if not buf:
                return None
        if len(buf) - pos >= HEADER_SIZE:
            end = pos + 4 + _LEN.unpack_from(buf, pos)[0]
            if end <= len(buf) and end - pos >= HEADER_SIZE:
                kind, flags, frame_id = _KIND_FLAGS_ID.unpack_from(buf, pos + 4)
                self._pos = end
                return kind, flags, frame_id, buf[pos + HEADER_SIZE:end]
        return self._read_more()

    def _spin(self):
        """Poll for input for up to spin_us before sleeping in os.read.

        A process that sleeps between requests pays for waking up: the scheduler, and
        on a VM the vCPU's halt and cold caches. When requests come back to back, polling
        briefly catches the next one awake. It costs CPU (up to spin_us after each
        answer), which is why it is off unless asked for.
        """
        poll = self._poller.poll
        end = time.perf_counter() + self._spin_s
        # Oversubscribed: after 10 µs of plain polling, yield the core at every poll (shm.py).
        pause = os.sched_yield if self._spin_yield and hasattr(os, "sched_yield") else None
        plain_end = time.perf_counter() + 10e-6
        while not poll(0):
            now = time.perf_counter()
            if now >= end:
                break
            if pause is not None and now >= plain_end:
                pause()

    def _read_more(self):
        """Read until a whole frame is buffered (slow path of read())."""
        while True:
            rest = self._buf[self._pos:]
            if len(rest) >= 4:
                total = 4 + _LEN.unpack_from(rest, 0)[0]
                if total < HEADER_SIZE:
                    raise ProtocolError("frame length %d is shorter than a header" % (total - 4))
                if len(rest) >= total:
                    self._buf, self._pos = rest, 0
                    return self.read()
                if total >= _BIG_FRAME and len(rest) >= HEADER_SIZE:
                    self._buf, self._pos = b"", 0
                    return self._read_big(rest, total)
            data = os.read(self._fd, _READ_SIZE)
            if not data:
                return None
            self._buf, self._pos = rest + data if rest else data, 0

    def _read_big(self, head, total):
        """Read a large frame's payload straight into a bytearray of exactly its size."""
        kind, flags, frame_id = _KIND_FLAGS_ID.unpack_from(head, 4)
        payload = bytearray(total - HEADER_SIZE)
        have = len(head) - HEADER_SIZE
        payload[:have] = head[HEADER_SIZE:]
        view = memoryview(payload)
        while have < len(payload):
            n = _read_into(self._fd, view[have:])
            if n == 0:
                return None
            have += n
        view.release()
        return kind, flags, frame_id, payload


if hasattr(os, "readv"):

    def _read_into(fd, view):
        return os.readv(fd, [view])

else:  # Windows

    def _read_into(fd, view):
        data = os.read(fd, min(len(view), 1 << 20))
        view[:len(data)] = data
        return len(data)


class FrameWriter:
    """Writes whole frames to a raw fd; one lock keeps frames from interleaving."""

    def __init__(self, fd):
        self._fd = fd
        self._lock = threading.Lock()

    def write(self, frame):
        """Write one sealed frame (all of it: os.write may write only part of a big one)."""
        with self._lock:
            try:
                written = os.write(self._fd, frame)
                if written < len(frame):
                    self._write_rest(frame, written)
            except BrokenPipeError:
                # The JVM closed our output: it is gone, and so is any point in living.
                os._exit(0)

    def _write_rest(self, frame, written):
        view = memoryview(frame)
        try:
            while written < len(view):
                written += os.write(self._fd, view[written:])
        finally:
            view.release()
