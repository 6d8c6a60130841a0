"""Push streams (op STREAM): a generator's items pushed to the JVM in STREAM_ITEM frames.

Each stream runs on a thread of its own, so the leader never waits for a generator: it
keeps reading, and handles CREDIT and CANCEL for streams inline (Streams.credit/cancel).

Flow control: the generator is advanced only while the stream has credit (CREDIT frames
add to it; a stream starts with none), so a consumer that grants credit slowly keeps the
worker's memory flat: no item is made before it may be sent.

Batching, for throughput: items are encoded one by one straight into the frame buffer
(the codec's exact-type table inline; refs and deep values take encode_value()), and a
frame goes out when it holds MAX_ITEMS items or MAX_BYTES, when credit runs out, when the
generator ends, and when the generator has spent more than ~1 ms on the next item. That
last one cannot be seen by the stream thread, which is inside the generator then; so the
Flusher thread polls each stream's progress every ms and sends the batch of a stream
that has not moved since its last look.

Locks of a stream:
* `_lock` (with `_cond` on it) guards credit, `cancelled`, `_interrupted` and `done`;
  it is never held while user code runs or a frame is written.
* `_buf_lock` guards the batch (buffer, count, budget). The stream thread holds it all
  the time except while it runs user code (the function call, each generator step); so
  whoever else gets it (the flusher) knows that the stream thread is in user code.

CANCEL: the stream stops at the next item boundary, and the generator's close() runs its
finally blocks. A generator stuck in one item for more than ~1 ms is interrupted instead:
the flusher raises Cancelled in it (as CANCEL does for calls), but only while it holds
`_buf_lock`, so never while a frame is being written; a Cancelled still pending when the
stream ends is cleared before the final answer is written.
"""

import struct
import threading
import time

from . import codec
from . import errors
from . import protocol as p
from . import tracing
from .errors import Cancelled

MAX_ITEMS = 512  # items per STREAM_ITEM frame
MAX_BYTES = 64 * 1024  # a frame is sent once its items reach this size
POLL = 0.001  # s between the flusher's looks: an item slower than this flushes the batch

_HEAD = p.HEADER_SIZE + 5  # frame header, then the list tag and its u32 count
_COUNT_AT = p.HEADER_SIZE + 1
_pack_count = struct.Struct("<I").pack_into


class _Stopped(Exception):
    """Internal: the stream was cancelled; unwind to the cancel path."""


class Streams:
    """The running push streams of a server, by request id."""

    def __init__(self, tables, dispatcher, write, send_result, send_error, async_raise):
        self.tables = tables
        self.dispatcher = dispatcher
        self.write = write
        self.send_result = send_result
        self.send_error = send_error
        self.async_raise = async_raise
        self.running = {}  # request id -> _Stream
        self.flusher = _Flusher(self.running)

    def start(self, rid, flags, payload, on_end=None):
        """Start the stream of a STREAM request on a thread of its own; `on_end`, if
        given, runs once the stream is over (in its thread), or now if it cannot start."""
        stream = _Stream(self, rid, flags, payload, on_end)
        self.running[rid] = stream  # before the leader reads on: CREDIT may come next
        try:
            self.flusher.start()
            threading.Thread(target=stream.run, name="snakebridge-stream",
                             daemon=True).start()
        except RuntimeError as exc:  # no more threads
            self.running.pop(rid, None)
            if not flags & p.NO_REPLY:
                self.send_error(rid, exc, None)
            if on_end is not None:
                on_end()

    def credit(self, rid, payload):
        """Leader: a CREDIT frame; unknown streams (ended already) are ignored."""
        stream = self.running.get(rid)
        if stream is None:
            return
        try:
            n = codec.decode_value(payload)
        except Exception:
            return
        if type(n) is int and n > 0:
            stream.add_credit(n)

    def cancel(self, rid):
        """Leader: a CANCEL frame; False when `rid` is no running stream."""
        stream = self.running.get(rid)
        if stream is None:
            return False
        stream.cancel()
        return True


class _Stream:
    """One push stream: its state, its batch, and the body of its thread (run)."""

    def __init__(self, owner, rid, flags, payload, on_end=None):
        self._owner = owner
        self._on_end = on_end  # the server's: frees the execution slot the stream held
        self._rid = rid
        self._flags = flags
        self._payload = payload
        self._request = None
        self._iterator = None
        self._ident = None  # the stream thread, once it runs
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._credit = 0  # granted and not yet taken into _budget
        self.cancelled = False
        self._interrupted = False  # Cancelled was raised in the stream thread
        self.done = False  # nothing can interrupt the stream thread any more
        self._buf_lock = threading.Lock()
        self._buf = bytearray(p.HEADER_SIZE) + bytes((codec.T_LIST, 0, 0, 0, 0))
        self.count = 0  # items in the batch
        self.sent = 0  # items sent
        self._sinks = []  # RefSinks of the batch's items that hold refs
        self._budget = 0  # items that may still be made (the batch's included)
        self._limit = 0  # the batch is full at min(MAX_ITEMS, _budget) items

    # ------------------------------------------------------------------ leader side

    def add_credit(self, n):
        with self._lock:
            self._credit += n
            self._cond.notify()

    def cancel(self):
        with self._lock:
            if self.done or self.cancelled:
                return
            self.cancelled = True
            self._cond.notify()  # a stream waiting for credit stops at once
        self._owner.flusher.wake()  # interrupts the generator if it stays stuck

    # ------------------------------------------------------------------ flusher side

    def interrupt(self):
        """Raise Cancelled in the stream thread if it is in user code (so not writing)."""
        if not self._buf_lock.acquire(False):
            return
        try:
            with self._lock:
                if not (self.done or self._interrupted) and self._ident is not None:
                    self._interrupted = True
                    self._owner.async_raise(self._ident, Cancelled)
        finally:
            self._buf_lock.release()

    def flush_stalled(self):
        """Send the batch while the generator is busy with the next item."""
        if not self._buf_lock.acquire(False):
            return
        try:
            if self.count and not self.done:
                self._flush()
        except _Stopped:
            pass
        finally:
            self._buf_lock.release()

    # ------------------------------------------------------------------ stream thread

    def run(self):
        """Thread body: run the stream, then answer RESULT (item count) or ERROR."""
        failure = None
        try:
            try:
                with self._lock:
                    self._ident = threading.get_ident()
                self._start()
                self._pump()
            except BaseException as exc:
                failure = exc
        except BaseException as exc:  # a pending Cancelled landed in the handler above
            if failure is None:
                failure = exc
        while True:
            try:
                self._settle()
                break
            except BaseException as exc:  # only a pending Cancelled can land here
                if failure is None:
                    failure = exc
        try:
            self._finish(failure)
        except BaseException:  # a bug of ours; the thread must not die silently
            errors.print_exc()
        finally:
            self._owner.running.pop(self._rid, None)
            if self._on_end is not None:
                self._on_end()

    def _start(self):
        """Decode the request and call the function: the iterator to push."""
        owner = self._owner
        payload, self._payload = self._payload, None
        self._request = request = codec.decode_request(payload, owner.tables.refs)
        if request[0] & p.OP_MODIFIER_TRACE:
            # The generator runs on this thread, which serves only this stream: its context
            # stays the stream's trace context while the generator is pulled.
            tracing.adopt(tracing.take(request))
        if self.cancelled:
            raise _Stopped
        self._iterator = owner.dispatcher.execute(self._request)

    def _pump(self):
        """Advance the generator while there is credit, batching its items into frames."""
        nxt = self._iterator.__next__
        buf = self._buf
        acquire = self._buf_lock.acquire
        release = self._buf_lock.release
        get = codec.ENCODERS.get
        resolve = codec.encoder_for
        needs_full = codec.NEEDS_FULL_ENCODE
        flusher = self._owner.flusher
        acquire()
        try:
            self._wait_credit()
            while True:
                if self.cancelled:
                    raise _Stopped
                release()
                try:
                    item = nxt()
                except StopIteration:
                    break
                finally:
                    acquire()
                start = len(buf)
                f = get(type(item))
                if f is None:
                    f = resolve(item)
                try:
                    f(buf, item, None, 1)
                except needs_full:
                    del buf[start:]
                    self._encode_full(item)
                except BaseException:
                    del buf[start:]
                    raise
                count = self.count = self.count + 1
                if count >= self._limit or len(buf) >= MAX_BYTES:
                    self._full()
                elif flusher.asleep:
                    flusher.wake()
            self._flush()
        except BaseException:
            if not self.cancelled:
                self._flush()  # the items before an error go out before the ERROR
            raise
        finally:
            if not self.cancelled:  # when cancelled the lock is not needed any more
                release()

    def _encode_full(self, item):
        sink = codec.encode_value(self._buf, item, self._owner.tables, self._request[1], 1)
        if sink is not None:
            self._sinks.append(sink)

    def _full(self):
        """The batch reached its limit: take credit that came meanwhile, or send it."""
        if self.count < MAX_ITEMS and len(self._buf) < MAX_BYTES:  # limited by credit
            with self._lock:
                extra, self._credit = self._credit, 0
            if extra:
                self._budget += extra
                self._limit = min(MAX_ITEMS, self._budget)
                if self.count < self._limit:
                    return
        self._flush()
        if not self._budget:
            self._wait_credit()

    def _wait_credit(self):
        """Block until credit arrives (the batch is empty); _Stopped when cancelled."""
        with self._lock:
            while True:
                if self.cancelled:
                    raise _Stopped
                if self._credit:
                    self._budget, self._credit = self._budget + self._credit, 0
                    self._limit = min(MAX_ITEMS, self._budget)
                    return
                self._cond.wait()

    def _flush(self):
        """Send the batch (the caller holds _buf_lock, so no Cancelled can be raised now)."""
        count = self.count
        if not count:
            return
        with self._lock:
            if self.cancelled:  # a Cancelled may be pending: never write now
                raise _Stopped
        buf = self._buf
        _pack_count(buf, _COUNT_AT, count)
        self._owner.write(p.seal_frame(buf, p.STREAM_ITEM, self._rid))
        del buf[_HEAD:]
        if self._sinks:
            self._sinks = []
        self.sent += count
        self.count = 0
        self._budget -= count
        self._limit = min(MAX_ITEMS, self._budget)

    def _settle(self):
        """Become done: no Cancelled will be raised in this thread, and none is pending."""
        with self._lock:
            self.done = True
            if self._interrupted:
                self._owner.async_raise(self._ident, None)

    def _finish(self, failure):
        """Close the generator when cancelled, then answer."""
        owner = self._owner
        if self.cancelled:
            for sink in self._sinks:  # the unsent batch: its refs were never seen
                sink.rollback(0)
            close = getattr(self._iterator, "close", None)
            if close is not None:
                try:
                    close()  # runs the generator's finally blocks
                except BaseException:
                    errors.print_exc()
            if not isinstance(failure, Cancelled):
                failure = Cancelled()
        self._iterator = None
        if self._flags & p.NO_REPLY:
            return
        if failure is None:
            owner.send_result(self._rid, self.sent, None)
        else:
            owner.send_error(self._rid, failure, self._request)


class _Flusher:
    """One thread for all streams: flushes stalled batches, interrupts stuck generators.

    It polls every POLL seconds while some stream has a batch waiting or a cancel not yet
    done; otherwise it sleeps on an Event (no CPU while streams only wait for credit).
    """

    def __init__(self, streams):
        self._streams = streams
        self._event = threading.Event()
        self._started = False
        self._start_lock = threading.Lock()
        self.asleep = True  # read by stream threads after each item: cheaper than the Event

    def start(self):
        if not self._started:
            with self._start_lock:
                if not self._started:
                    threading.Thread(target=self._run, name="snakebridge-flusher",
                                     daemon=True).start()
                    self._started = True

    def wake(self):
        self.asleep = False
        self._event.set()

    def _run(self):
        while True:
            try:
                self._poll_while_needed()
            except BaseException:  # a bug of ours must not stop the flushing
                try:
                    errors.print_exc()
                    time.sleep(POLL)
                except BaseException:
                    pass

    def _poll_while_needed(self):
        seen = {}
        while True:
            self._event.wait()
            while True:
                time.sleep(POLL)
                seen, needed = self._look(seen)
                if needed:
                    continue
                # Going to sleep: a stream thread that adds an item after this checks
                # `asleep` and wakes us; one that added it before is seen by _look.
                self._event.clear()
                self.asleep = True
                seen, needed = self._look(seen)
                if not needed:
                    break
                self.asleep = False
            seen = {}

    def _look(self, seen):
        """Act on streams that did not move since the last look; (marks, still needed)."""
        marks = {}
        needed = False
        for stream in list(self._streams.values()):
            mark = (stream.sent, stream.count)
            marks[stream] = mark
            if stream.done:
                continue
            stalled = seen.get(stream) == mark
            if stream.cancelled:
                needed = True
                if stalled:
                    stream.interrupt()
            elif mark[1]:
                needed = True
                if stalled:
                    stream.flush_stalled()
        return marks, needed
