"""The worker's start-up and serving loop.

Serving is leader/follower with lazy promotion, so that one short call at a time never
pays a thread hand-off:

* `read_lock` is leadership: its holder, the leader, is the only thread reading frames.
* The leader answers PING / RELEASE / RELEASE_SESSION and handles CANCEL, CREDIT and
  callback answers at once, starts STREAMs on threads of their own (streams.py), and
  executes every other request itself, still holding `read_lock`: no other thread is
  woken in the common case.
* A watchdog thread polls every ~1 ms while calls are being made. When it sees the leader
  in the same call at two polls in a row (so for about 1 ms or more), it hands leadership
  on: it makes sure a follower thread is waiting on `read_lock` (spawning one if none is)
  and releases `read_lock` on the leader's behalf. The old leader finishes its call,
  answers, and then waits on `read_lock` like any follower.
* The `state` lock makes the leader (finishing its call) and the watchdog (handing it
  off) agree on which of them decides; `watched` holds the sequence number of the
  leader's call while it may be handed off, 0 otherwise.
* When no call has been made for ~0.5 s the watchdog blocks on the `busy` Event, which
  the leader sets only when a call starts after such a pause: no CPU while idle, and no
  Event cost per call.
* A thread about to wait for a callback's answer (callbacks.py) calls hand_off_now(),
  which hands leadership on at once if the leader is in a call: the answer, and the
  nested requests Java may send meanwhile, need a reader.

Execution slots: the JVM pipelines many user requests to a worker (PoolConfig
pipelineDepth) but the worker executes at most SNAKEBRIDGE_SLOTS of them at once (1 for
a PROCESS worker; 0 means no limit). A user request read while every slot is taken waits
in `_queue`, and whichever thread frees a slot runs the next one, in arrival order; the
leader reads on meanwhile, so PING, RELEASE, CANCEL, CREDIT and callback answers are never
stuck behind queued calls. A CANCEL of a queued request answers it with the Cancelled
ERROR a running one gets. Requests flagged UNQUEUED (calls a Java callback makes while a
call of this worker waits for it) run at once, outside the slots: queued behind the call
that waits for them they would deadlock. On the shared-memory transport the worker
publishes how far into the request ring it has started user requests (shm.py), so that
the JVM can resend the ones a dead worker never started.

End of file on the request stream ends the process at once (os._exit), even while calls
are running: the JVM closed the stream or died.
"""

import faulthandler
import importlib
import os
import _signal as signal  # the C module: signal.py adds only enums, and enum costs ~1 ms of start-up
import sys
import threading
import time
from collections import deque

from . import callbacks
from . import codec
from . import errors
from . import protocol as p
from . import stdio
from . import telemetry
from .dispatch import Dispatcher, call_arguments
from .errors import Cancelled, error_value
from .lanes import ThreadLane
from .objects import ObjectTables
from .streams import Streams

BOUND = "bound"  # a queued request's kind: it runs on the thread-bound lane, not inline
HANDOFF_POLL = 0.001  # s between the watchdog's looks at the leader's call
IDLE_AFTER = 0.5  # s without calls after which the watchdog sleeps on the busy Event
FOLLOWER_IDLE = 30.0  # s after which a surplus follower thread ends

_get_ident = threading.get_ident
_monotonic = time.monotonic


def main():
    """Entry point (snakebridge_boot.py): set up the process, say HELLO, serve forever."""
    in_fd, out_fd, capture_fd = stdio.take_protocol_fds()
    faulthandler.enable(file=sys.stderr)
    spin_us = _int_env("SNAKEBRIDGE_SPIN_US", 0)
    # More spinning readers than processors (the JVM counts them): back off to sched_yield.
    spin_yield = _int_env("SNAKEBRIDGE_SPIN_YIELD", 0) == 1
    server = Server(*_transport(in_fd, out_fd, spin_us, spin_yield),
                    slots=_int_env("SNAKEBRIDGE_SLOTS", 0))
    stdio.start_stdout_forwarder(capture_fd, server.send_log)
    stdio.install_logging(server.send_log, os.environ.get("SNAKEBRIDGE_LOG_LEVEL", "INFO"))
    _prepend_helper_paths(os.environ.get("SNAKEBRIDGE_HELPER_PATHS", ""))
    _ignore_sigint()
    if os.environ.get("SNAKEBRIDGE_PDEATHSIG") == "1":
        _die_with_parent()
    _startup_imports(os.environ.get("SNAKEBRIDGE_STARTUP_IMPORTS", ""))
    telemetry.install(server.send_telemetry)
    callbacks.install(server.callbacks)
    server.send_hello()
    # Threads that serving needs but HELLO does not start after it: the JVM waits for HELLO.
    _watch_heartbeats(server, _int_env("SNAKEBRIDGE_HEARTBEAT_TIMEOUT_S", 0))
    server.serve()


def _transport(in_fd, out_fd, spin_us, spin_yield):
    """The frame reader and writer: shared memory when the JVM set it up, else the pipes."""
    path = os.environ.get("SNAKEBRIDGE_SHM_PATH")
    if not path:
        return p.FrameReader(in_fd, spin_us, spin_yield), p.FrameWriter(out_fd)
    from . import shm
    to_worker, to_jvm = shm.open_rings(path)
    try:
        # Mapped: the name is no longer needed. Unlinked here too (the JVM also does after HELLO) so a
        # JVM that dies before HELLO leaves nothing behind in /dev/shm.
        os.unlink(path)
    except OSError:
        pass
    pipe_writer = p.FrameWriter(out_fd)
    return (shm.ShmFrameReader(to_worker, p.FrameReader(in_fd), spin_us, spin_yield),
            shm.ShmFrameWriter(to_jvm, pipe_writer))


def module_available(name):
    """Whether top-level module `name` can be imported, without importing it.

    importlib.util.find_spec does the same for a top-level name (sys.modules, then each
    meta path finder), but importing importlib.util costs ~2.7 ms of every start.
    """
    if name in sys.modules:
        return True
    for finder in sys.meta_path:
        find_spec = getattr(finder, "find_spec", None)
        if find_spec is not None and find_spec(name, None) is not None:
            return True
    return False


def _fatal(message):
    """The request stream cannot be trusted any more: say why on stderr and exit (2)."""
    try:
        sys.stderr.write("snakebridge worker: %s\n" % message)
        sys.stderr.flush()
    finally:
        os._exit(2)


def _int_env(name, default):
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def _startup_imports(value):
    """Import the pool's start-up modules before HELLO; a failure fails the start, with its traceback."""
    for name in (n.strip() for n in value.split(",")):
        if name:
            try:
                importlib.import_module(name)
            except BaseException:
                errors.print_exc()
                sys.stderr.write("snakebridge: start-up import of %r failed\n" % (name,))
                sys.stderr.flush()
                os._exit(3)


def _watch_heartbeats(server, timeout_s):
    """Exit when the JVM has sent nothing (it pings every few seconds) for `timeout_s`.

    End of file on our input covers a JVM that died; this covers one that hangs or whose
    pipe is held open by someone else. One wake-up per second: no measurable idle CPU.
    """
    if timeout_s <= 0:
        return

    def watch():
        while True:
            time.sleep(1.0)
            if _monotonic() - server.last_heard > timeout_s:
                sys.stderr.write("snakebridge: no heartbeat from the JVM for %d s; exiting\n" % timeout_s)
                sys.stderr.flush()
                os._exit(4)

    threading.Thread(target=watch, name="snakebridge-heartbeat", daemon=True).start()


def _prepend_helper_paths(value):
    paths = [path for path in value.split(os.pathsep) if path]
    sys.path[0:0] = paths


def _ignore_sigint():
    """A Ctrl-C in the JVM's terminal reaches the worker too; the JVM decides when we end.

    A no-op handler (rather than SIG_IGN) keeps child processes' SIGINT at its default.
    """
    try:
        signal.signal(signal.SIGINT, lambda signum, frame: None)
    except (ValueError, OSError):
        pass


def _die_with_parent():
    """Linux, best effort: SIGKILL us when the thread that started us ends.

    The real mechanism is EOF on the request stream; this also covers a worker stuck in a
    C call that holds the GIL, where no thread can read that EOF. But Linux ties it to the
    parent *thread*, not process: a worker started from a thread that then ends (a pool's
    one-off start thread, a virtual thread's carrier) would be killed at once. Hence it is
    only done when the JVM asks for it (SNAKEBRIDGE_PDEATHSIG=1), promising a long-lived
    starting thread.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    except Exception:
        pass


def _async_raise(thread_id, exc_class):
    """Raise exc_class in another thread at its next bytecode (None clears a pending one)."""
    import ctypes

    set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
    set_async_exc.argtypes = (ctypes.c_ulong, ctypes.py_object)
    set_async_exc.restype = ctypes.c_int
    target = ctypes.py_object(exc_class) if exc_class is not None else ctypes.py_object()
    return set_async_exc(thread_id, target)


class Server:
    """Serves frames from a FrameReader, answering through a FrameWriter."""

    def __init__(self, reader, writer, slots=0):
        self._reader = reader
        self._writer = writer
        self._tables = ObjectTables()
        self._dispatcher = Dispatcher(self._tables)
        self._read_lock = threading.Lock()  # leadership (see the module docstring)
        self._state = threading.Lock()  # guards the fields below
        self._calls = 0  # sequence number of the last watched call started
        self._watched = 0  # sequence number of the leader's call under watch, or 0
        self._waiting = 0  # threads waiting on read_lock
        self._running = {}  # request id -> thread ident, for CANCEL
        self._cancelled = set()  # request ids in which Cancelled has been raised
        self._slots = slots if slots > 0 else sys.maxsize  # user calls executed at once
        self._executing = 0  # user calls holding a slot (guarded by _state)
        # (rid, flags, payload, position, stream) of user requests read while the slots were full
        self._queue = deque()
        # CREDIT payloads for queued push streams (rid -> list), replayed once each starts
        self._queued_credit = {}
        self._busy = threading.Event()  # wakes the watchdog after an idle period
        self._watchdog_asleep = True  # mirrors "waiting on _busy" (cheaper to test)
        self.last_heard = _monotonic()  # when the JVM last sent a frame (heartbeats included)
        self._bound = ThreadLane(self._answer)  # thread-bound sessions' calls, in order (lanes.py)
        self._streams = Streams(self._tables, self._dispatcher, writer.write,
                                self._send_result, self._send_error, _async_raise)
        self.callbacks = callbacks.CallbackRouter(
            self._encode_frame, writer.write, self.hand_off_now, self._decode_answer,
            (p.CALLBACK, p.CALLBACK_RESULT, p.CALLBACK_ERROR))

    # ---------------------------------------------------------------- sending frames

    def send_hello(self):
        self._send(p.HELLO, 0, {
            "protocol": p.PROTOCOL_VERSION,
            "pid": os.getpid(),
            "python": sys.version.split()[0],  # what platform.python_version() says, without its import
            "executable": sys.executable,
            "numpy": module_available("numpy"),
        })

    def send_telemetry(self, name, measurements, metadata):
        """Send a TELEMETRY frame (snakebridge.emit)."""
        self._send(p.TELEMETRY, 0, [str(name), dict(measurements or {}), dict(metadata or {})])

    def send_log(self, level, logger, message):
        """Send a LOG frame (used by the logging handler and the stdout forwarder)."""
        self._send(p.LOG, 0, [int(level), str(logger), str(message)])

    def _encode_frame(self, kind, frame_id, value, session):
        """A sealed frame for `value`; objects in it become refs of `session`."""
        buf = p.new_frame()
        sink = codec.encode_value(buf, value, self._tables, session)
        try:
            return p.seal_frame(buf, kind, frame_id)
        except BaseException:
            if sink is not None:
                sink.rollback(0)
            raise

    def _decode_answer(self, payload, session):
        """Decode a CALLBACK_RESULT / CALLBACK_ERROR payload (in the thread that waited)."""
        return codec.decode_value(payload, self._tables.refs(session), session)

    def _send(self, kind, frame_id, value):
        buf = p.new_frame()
        codec.encode_value(buf, value)
        self._writer.write(p.seal_frame(buf, kind, frame_id))

    def _send_dropped_callbacks(self):
        """Tell the JVM which anonymous callables were collected (before an answer: bounded lag)."""
        ids = callbacks.take_dropped()
        if ids:
            self._send(p.CALLBACKS_DROPPED, 0, ids)

    def _send_result(self, rid, value, session):
        if callbacks.dropped_ids:
            self._send_dropped_callbacks()
        buf = p.new_frame()
        sink = None
        try:
            sink = codec.encode_value(buf, value, self._tables, session)
            p.seal_frame(buf, p.RESULT, rid)
        except BaseException as exc:  # the value cannot cross: say so, keep the stream whole
            if sink is not None:
                sink.rollback(0)
            self._send_error(rid, exc, None)
            return
        self._writer.write(buf)

    def _send_error(self, rid, exc, request):
        if callbacks.dropped_ids:
            self._send_dropped_callbacks()
        try:
            value = error_value(exc, call_arguments(request) if request else ())
            buf = p.new_frame()
            codec.encode_value(buf, value)
        except BaseException:  # e.g. MemoryError formatting a huge message: keep it short
            cls = type(exc)
            value = [cls.__name__, "%s.%s" % (cls.__module__, cls.__qualname__), [],
                     "(the error could not be formatted)", "", {}]
            buf = p.new_frame()
            codec.encode_value(buf, value)
        self._writer.write(p.seal_frame(buf, p.ERROR, rid))

    # ---------------------------------------------------------------- serving

    def serve(self):
        """Serve on the calling thread until EOF ends the process."""
        threading.Thread(target=self._watchdog, name="snakebridge-watchdog",
                         daemon=True).start()
        self._serve_loop(may_retire=False)

    def _serve_loop(self, may_retire):
        """Body of every serving thread: wait for leadership, lead until handed off, repeat."""
        while self._follow(may_retire):
            self._lead()

    def _follow(self, may_retire):
        """Wait on read_lock; False if this surplus follower should end instead."""
        with self._state:
            self._waiting += 1
        while True:
            if self._read_lock.acquire(timeout=FOLLOWER_IDLE if may_retire else -1):
                with self._state:
                    self._waiting -= 1
                return True
            with self._state:
                if self._waiting > 1:  # another follower is waiting: this one may go
                    self._waiting -= 1
                    return False

    def _lead(self):
        """Read and serve frames as leader; return once leadership has been handed off."""
        read = self._reader.read
        peek_op = codec.peek_op
        inline_ops = p.INLINE_OPS
        while True:
            try:
                frame = read()
            except BaseException as exc:  # corrupt stream, fd trouble, no memory for a frame
                _fatal("cannot read the request stream: %r" % (exc,))
            if frame is None:  # EOF: the JVM closed our input or died
                os._exit(0)
            kind, flags, rid, payload = frame
            self.last_heard = _monotonic()
            if kind == p.REQUEST:
                op = peek_op(payload)
                if op in inline_ops:
                    if op != p.OP_STREAM:
                        self._answer(rid, flags, payload, False)
                    elif flags & p.UNQUEUED:
                        self._streams.start(rid, flags, payload)
                    elif self._take_slot(rid, flags, payload, True):
                        self._streams.start(rid, flags, payload, self._slot_freed)
                elif op is not None and op & p.OP_MODIFIER_THREAD:
                    if flags & p.UNQUEUED:
                        self._bound.submit(rid, flags, payload, True)
                    elif self._take_slot(rid, flags, payload, BOUND):
                        self._bound.submit(rid, flags, payload, True, done=self._slot_freed)
                elif flags & p.UNQUEUED:
                    if not self._serve_watched(rid, flags, payload, False):
                        return
                elif self._take_slot(rid, flags, payload, False):
                    if not self._serve_watched(rid, flags, payload, True):
                        return
            elif kind == p.CALLBACK_RESULT or kind == p.CALLBACK_ERROR:
                self.callbacks.answer(kind, rid, payload)
            elif kind == p.CREDIT:
                if not self._hold_credit(rid, payload):
                    self._streams.credit(rid, payload)
            elif kind == p.CANCEL:
                if not self._streams.cancel(rid) and not self._cancel_queued(rid):
                    self._cancel(rid)
                # The JVM's reader may be the timed-out caller itself: an answer wakes it now.
                self._send(p.CANCELLED, rid, None)
            # Any other kind is reserved or not for us: ignored, as the spec says.

    def _take_slot(self, rid, flags, payload, stream):
        """Leader: True if a user request (a push stream's too: its generator is user
        code) may run now, holding a slot; else it is queued."""
        position = self._reader.position
        with self._state:
            if self._executing < self._slots:
                self._executing += 1
                self._reader.mark_started(position)
                return True
            self._queue.append((rid, flags, payload, position, stream))
            if stream:
                self._queued_credit[rid] = []
            return False

    def _hold_credit(self, rid, payload):
        """Leader: keep a CREDIT for a stream still queued (Streams knows only started
        ones); False if `rid` is no queued stream."""
        with self._state:
            held = self._queued_credit.get(rid)
            if held is None:
                return False
            held.append(payload)
            return True

    def _start_queued_stream(self, rid, flags, payload):
        """Start a push stream that waited for a slot, then hand it the credit it got meanwhile:
        registered first, so that a CREDIT arriving from now on finds it."""
        self._streams.start(rid, flags, payload, self._slot_freed)
        with self._state:
            held = self._queued_credit.pop(rid, ())
        for credit in held:
            self._streams.credit(rid, credit)

    def _next_queued(self):
        """Under _state, from a thread whose call ended: the next queued request
        (rid, flags, payload, stream), which inherits its slot, or None (slot freed)."""
        if self._queue:
            rid, flags, payload, position, stream = self._queue.popleft()
            self._reader.mark_started(position)
            return rid, flags, payload, stream
        self._executing -= 1
        return None

    def _slot_freed(self):
        """A push stream ended (in its thread): its slot goes to the next queued request."""
        with self._state:
            queued = self._next_queued()
        if queued is not None:
            self._run_queued(*queued)

    def _serve_watched(self, rid, flags, payload, slot):
        """Execute a request inline, then the queued ones its slot goes to; False if
        leadership was handed off meanwhile."""
        while True:
            # Only the leader writes _calls and sets _watched, so no lock is needed here:
            # the watchdog reads _watched under _state, and a call's end decides under _state.
            self._calls += 1
            seq = self._watched = self._calls
            if self._watchdog_asleep:  # first call after an idle period: wake the watchdog
                self._watchdog_asleep = False
                self._busy.set()
            queued = None
            try:
                self._answer(rid, flags, payload, True)
            finally:
                with self._state:
                    still_leader = self._watched == seq
                    if still_leader:
                        self._watched = 0
                    if slot:
                        queued = self._next_queued()
            if queued is None:
                return still_leader
            rid, flags, payload, stream = queued
            if stream is BOUND:  # the slot goes to the thread-bound lane
                self._bound.submit(rid, flags, payload, True, done=self._slot_freed)
                return still_leader
            if stream:  # the slot goes to the stream's thread
                self._start_queued_stream(rid, flags, payload)
                return still_leader
            if not still_leader:  # a follower leads now: run the queue's share of this slot
                self._run_queued(rid, flags, payload, False)
                return False

    def _run_queued(self, rid, flags, payload, stream):
        """Run queued requests on this thread (not the leader) while its slot has some."""
        while not stream:
            self._answer(rid, flags, payload, True)
            with self._state:
                queued = self._next_queued()
            if queued is None:
                return
            rid, flags, payload, stream = queued
        if stream is BOUND:
            self._bound.submit(rid, flags, payload, True, done=self._slot_freed)
        else:
            self._start_queued_stream(rid, flags, payload)

    def _cancel_queued(self, rid):
        """Leader: answer a queued request's CANCEL like a running one's; False if not queued."""
        with self._state:  # a queued stream too: Streams knows only started ones
            for item in self._queue:
                if item[0] == rid:
                    self._queue.remove(item)
                    self._queued_credit.pop(rid, None)
                    break
            else:
                return False
        if not item[1] & p.NO_REPLY:
            self._send_error(rid, Cancelled("cancelled before it started"), None)
        return True

    def _answer(self, rid, flags, payload, cancellable):
        """Decode, execute and answer one request. Never raises."""
        request = failure = None
        try:
            if cancellable:
                self._running[rid] = _get_ident()
            try:
                request = codec.decode_request(payload, self._tables.refs)
                value = self._dispatcher.execute(request)
            except BaseException as exc:  # SystemExit, KeyboardInterrupt too: errors here
                failure = exc
            if cancellable:
                self._running.pop(rid, None)
                if self._cancelled:
                    self._stop_cancel(rid)
            if flags & p.NO_REPLY:
                if failure is not None:
                    import logging  # installs the LOG frame handler, if first imported here
                    logging.getLogger("snakebridge").debug(
                        "request %d (no reply) failed: %r", rid, failure)
            elif failure is None:
                self._send_result(rid, value, request[1])
            else:
                self._send_error(rid, failure, request)
        except Cancelled as exc:  # landed just after the call ended, before any answer
            self._running.pop(rid, None)
            self._stop_cancel(rid)
            if not flags & p.NO_REPLY:
                self._send_error(rid, exc, request)
        except BaseException:  # a bug in the worker itself; keep serving
            try:
                errors.print_exc()
            except BaseException:
                pass
        finally:
            failure = None  # its traceback holds this frame: break the cycle now

    # ---------------------------------------------------------------- CANCEL
    #
    # A CANCEL marks the request in _cancelled *before* it looks it up in _running; a call
    # removes itself from _running *before* it looks at _cancelled. So either the CANCEL
    # finds the call gone and raises nothing, or the call sees the mark and clears any
    # Cancelled still pending (under _state, after the CANCEL is done with it). The
    # common path, a call that nobody cancels, takes no lock.

    def _cancel(self, rid):
        """Raise Cancelled in the thread running request `rid` (best effort; no answer)."""
        with self._state:
            if rid in self._cancelled:
                return
            self._cancelled.add(rid)
            thread_id = self._running.get(rid)
            raised = False
            if thread_id is not None:
                try:
                    raised = _async_raise(thread_id, Cancelled) == 1
                except Exception:
                    pass
            if not raised:
                self._cancelled.discard(rid)

    def _stop_cancel(self, rid):
        """The call `rid` is over: clear a Cancelled raised into it that has not fired."""
        with self._state:
            if rid in self._cancelled:
                self._cancelled.discard(rid)
                _async_raise(_get_ident(), None)

    # ---------------------------------------------------------------- hand-off

    def _watchdog(self):
        """Thread body: run the watchdog, surviving its own bugs (a dead one stalls calls)."""
        while True:
            try:
                self._watch()
            except BaseException:
                try:
                    errors.print_exc()
                    self._busy.set()  # restart polling rather than wait for a wake-up
                    time.sleep(HANDOFF_POLL)
                except BaseException:
                    pass

    def _watch(self):
        """Hand leadership on when the leader's call runs ~1 ms; sleep when idle."""
        seen = 0  # the watched call seen at the previous poll
        while True:
            self._busy.wait()
            calls_seen = self._calls
            quiet_since = time.monotonic()
            while True:
                time.sleep(HANDOFF_POLL)
                with self._state:
                    watched = self._watched
                    hand_off = watched != 0 and watched == seen
                    if hand_off:
                        self._watched = 0
                seen = watched
                if hand_off:
                    self._hand_off()
                if watched or self._calls != calls_seen:
                    calls_seen = self._calls
                    quiet_since = time.monotonic()
                elif time.monotonic() - quiet_since > IDLE_AFTER:
                    self._busy.clear()
                    self._watchdog_asleep = True
                    # The leader sets _watched before it looks at _watchdog_asleep; so if
                    # no call is watched now, the next call sees True and sets _busy.
                    with self._state:
                        if not self._watched:
                            break
                    self._watchdog_asleep = False

    def hand_off_now(self):
        """Make sure a thread other than the caller reads frames, at once.

        For a thread about to block until a frame arrives (a callback's answer): if the
        leader is in a call (perhaps the caller's own), leadership is handed on now, as
        the watchdog would do after ~1 ms. A leader that is reading needs nothing.
        """
        with self._state:
            in_call = self._watched != 0
            if in_call:
                self._watched = 0
        if in_call:
            self._hand_off()

    def _hand_off(self):
        """Make sure a follower waits, then release read_lock for the busy leader."""
        with self._state:
            have_follower = self._waiting > 0
        if not have_follower:
            try:
                threading.Thread(target=self._serve_loop, args=(True,),
                                 name="snakebridge-follower", daemon=True).start()
            except RuntimeError:  # no more threads: the old leader will read again later
                pass
        self._read_lock.release()
