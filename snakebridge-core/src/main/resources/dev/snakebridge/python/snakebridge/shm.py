"""Frames through shared memory, mirroring RingDescriptor.java / ShmChannel.java.

The JVM creates a file with two single-producer, single-consumer rings (JVM->worker, then
worker->JVM) and passes its path in SNAKEBRIDGE_SHM_PATH. A ring:

    0    u32 magic "SBR1"   4  u32 version
    8    u64 capacity of the data area (a power of two)
    64   u64 write position (bytes ever written; the producer's)
    128  u64 read position (bytes ever consumed; the consumer's)
    192  u32 consumer sleeping (1 while it blocks on the pipe, its doorbell)
    200  u64 started position (the consumer's): every queueable user request that ends at
         or before it has been started; one that ends after it never was
    256  data[capacity]: wire frames, each padded to 8 bytes

Records of kind PAD skip to the end of the data area; a SPILL record means "the frame is on
the pipe"; WAKE frames travel on the pipe only, as doorbells. A reader that finds its ring
empty polls it for a while (SNAKEBRIDGE_SPIN_US), then marks itself sleeping and blocks on the
pipe; a writer that sees the mark after publishing writes a WAKE. The pipe also still tells
that the JVM is gone (end of file).

Ordering: x86 keeps stores in order and loads in order, so data written before the position
is seen before it. The sleeping handshake needs a full barrier between a store and a load on
each side; a lock's acquire and release (a locked instruction) provides it.

Atomicity: the positions and the sleeping flag are shared words that the other process reads
while they change, so each must be loaded and stored as one machine access. struct cannot do
that: pack_into first zeroes its target (a reader could see a position of 0 and replay a lap
of old frames) and the "<" codes convert byte by byte. A memoryview cast to "Q" (or "I")
copies one item with a single memcpy of the word: one aligned move. Native order is
little-endian on every platform this transport runs on (checked in open_rings).
"""

import mmap
import os
import struct
import sys
import threading
import time

from . import protocol as p

MAGIC = 0x31524253
HEADER_LENGTH = 256
CAPACITY_OFFSET = 8
WRITE_POSITION = 64
READ_POSITION = 128
SLEEPING = 192
STARTED = 200
KIND_PAD = 0xF0
KIND_SPILL = 0xF1
KIND_WAKE = 0xF2

_HEADER = struct.Struct("<IIQ")  # magic, version, capacity: written once, before the worker maps
_RECORD = struct.Struct("<IBBHQ")  # length, kind, flags, reserved, id: the wire header
_PAD = struct.Struct("<IB")  # length and kind: all a padding record needs (it may be 8 bytes)
PLAIN_SPIN_S = 10e-6  # SpinPolicy.PLAIN_SPIN_NANOS
_fence_lock = threading.Lock()
# Releases the GIL for a moment without sleeping (sched_yield runs with the GIL released).
_yield = getattr(os, "sched_yield", lambda: time.sleep(0))


def _fence():
    """A full memory barrier (see the module docstring)."""
    _fence_lock.acquire()
    _fence_lock.release()


def _marker(kind):
    return _RECORD.pack(p.HEADER_SIZE - 4, kind, 0, 0, 0)


SPILL = _marker(KIND_SPILL)
WAKE = _marker(KIND_WAKE)


def open_rings(path):
    """Map the JVM's file; returns (jvm_to_worker, worker_to_jvm) rings."""
    fd = os.open(path, os.O_RDWR)
    try:
        mm = mmap.mmap(fd, os.fstat(fd).st_size)
    finally:
        os.close(fd)
    if sys.byteorder != "little":
        raise ValueError("the shared-memory transport needs a little-endian machine")
    magic, _, capacity = _HEADER.unpack_from(mm, 0)
    if magic != MAGIC:
        raise ValueError("%s is not a SnakeBridge shared-memory file" % path)
    return Ring(mm, 0, capacity), Ring(mm, HEADER_LENGTH + capacity, capacity)


class Ring:
    """One ring of the shared file. Producer methods and consumer methods are each called
    by one thread at a time (the writer's lock, the reader's leadership)."""

    def __init__(self, mm, base, capacity):
        self._mm = mm
        self._base = base
        self._capacity = capacity
        self._mask = capacity - 1
        self._data = base + HEADER_LENGTH
        self.capacity = capacity
        # Word views for the shared words (see Atomicity in the module docstring).
        words = memoryview(mm).cast("B").cast("Q")
        self._positions = words
        self._write_index = (base + WRITE_POSITION) // 8
        self._read_index = (base + READ_POSITION) // 8
        self._flags = memoryview(mm).cast("B").cast("I")
        self._sleeping_index = (base + SLEEPING) // 4
        self._started_index = (base + STARTED) // 8

    # producer ------------------------------------------------------------

    def offer(self, frame):
        """Copy one frame in; False when it does not fit now."""
        mm = self._mm
        length = len(frame)
        record = (length + 7) & ~7
        positions = self._positions
        write = positions[self._write_index]
        read = positions[self._read_index]
        at = write & self._mask
        to_end = self._capacity - at
        needed = record if record <= to_end else to_end + record
        if self._capacity - (write - read) < needed:
            return False
        start = self._data + at
        if record > to_end:  # records are contiguous: pad out the end, start again at 0
            # Only length and kind: as little as 8 bytes may be left before the end.
            _PAD.pack_into(mm, start, to_end - 4, KIND_PAD)
            write += to_end
            start = self._data
        mm[start:start + length] = frame
        positions[self._write_index] = write + record
        return True

    def consumer_sleeping(self):
        """Whether the consumer sleeps on its doorbell. The caller must have executed a full
        barrier since publishing (ShmFrameWriter releases its lock in between)."""
        return self._flags[self._sleeping_index] == 1

    # consumer ------------------------------------------------------------

    def is_empty(self):
        positions = self._positions
        return positions[self._write_index] == positions[self._read_index]

    def poll(self):
        """The next frame as (kind, flags, id, payload), or None when the ring is empty."""
        mm = self._mm
        positions = self._positions
        read_index = self._read_index
        write_index = self._write_index
        while True:
            read = positions[read_index]
            if read == positions[write_index]:
                return None
            at = read & self._mask
            start = self._data + at
            if self._capacity - at >= p.HEADER_SIZE:  # room for a whole header: one unpack
                length, kind, flags, _, frame_id = _RECORD.unpack_from(mm, start)
            else:  # only a padding record fits in the last 8 bytes
                length, kind = _PAD.unpack_from(mm, start)
            if kind == KIND_PAD:
                positions[read_index] = read + self._capacity - at
                continue
            total = length + 4
            if total < p.HEADER_SIZE or total > self._capacity - at:
                raise p.ProtocolError("corrupt shared-memory ring: record of %d bytes" % total)
            payload = mm[start + p.HEADER_SIZE:start + total]
            positions[read_index] = read + ((total + 7) & ~7)
            return kind, flags, frame_id, payload

    def read_position(self):
        return self._positions[self._read_index]

    def set_started(self, position):
        """Publish that the request ending at ring position `position` has started."""
        self._positions[self._started_index] = position

    def set_sleeping(self, sleeping):
        self._flags[self._sleeping_index] = 1 if sleeping else 0
        _fence()


class ShmFrameReader:
    """FrameReader's interface over a ring, with the pipe as doorbell and for spilled frames."""

    def __init__(self, ring, pipe_reader, spin_us=0, spin_yield=False):
        self._ring = ring
        self._pipe = pipe_reader
        self._spin_s = spin_us / 1e6
        # Oversubscribed (SpinPolicy.java): spin plainly for PLAIN_SPIN_S, then sched_yield
        # at every poll, so that a spinner gives the core to a party with work.
        self._plain_s = min(PLAIN_SPIN_S, self._spin_s) if spin_yield else self._spin_s
        self._spilled = []
        # The ring position just after the last frame read (after its SPILL marker for a
        # spilled one): what mark_started publishes when that frame's request starts.
        self.position = 0
        self.mark_started = ring.set_started

    def read(self):
        """The next frame as (kind, flags, id, payload), or None once the JVM is gone."""
        ring = self._ring
        poll = ring.poll
        spin_end = 0.0
        plain_end = 0.0
        polls = 0
        while True:
            frame = poll()
            if frame is not None:
                self.position = ring.read_position()
                return self._take_spilled() if frame[0] == KIND_SPILL else frame
            if self._spin_s:
                now = time.perf_counter()
                if not spin_end:
                    spin_end = now + self._spin_s
                    plain_end = now + self._plain_s
                if now < spin_end:
                    polls += 1
                    if polls % 64 == 0 or now >= plain_end:
                        # Let other Python threads have the GIL now and then. Not time.sleep(0):
                        # that is a nanosleep, which the kernel's timer slack (50 µs) turns into
                        # a real sleep of 50-100 µs, and it made ~1 % of calls 100+ µs slow.
                        _yield()
                    continue
            ring.set_sleeping(True)
            try:
                if ring.is_empty():
                    woke = self._pipe.read()
                    if woke is None:
                        return None
                    if woke[0] != KIND_WAKE:
                        self._spilled.append(woke)
            finally:
                ring.set_sleeping(False)
            spin_end = 0.0

    def _take_spilled(self):
        if self._spilled:
            return self._spilled.pop(0)
        while True:
            frame = self._pipe.read()
            if frame is None or frame[0] != KIND_WAKE:
                return frame


class ShmFrameWriter:
    """FrameWriter's interface over a ring; large frames and a full ring go on the pipe."""

    def __init__(self, ring, pipe_writer):
        self._ring = ring
        self._pipe = pipe_writer
        self._lock = threading.Lock()
        self._spill_above = ring.capacity // 4

    def write(self, frame):
        ring = self._ring
        lock = self._lock
        lock.acquire()
        try:
            if len(frame) > self._spill_above or not ring.offer(frame):
                while not ring.offer(SPILL):
                    _yield()  # the JVM is draining the ring; a 16-byte marker fits soon
                self._pipe.write(frame)
        finally:
            # Releasing the lock is a locked instruction (sem_post): the full barrier between
            # publishing the write position and reading the sleep flag, so no _fence() here.
            lock.release()
        if ring.consumer_sleeping():
            with lock:  # a WAKE must not land inside a spilled frame another thread writes
                self._pipe.write(WAKE)
