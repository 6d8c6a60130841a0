"""Python calling Java: JavaCallable, snakebridge.invoke and snakebridge.callback.

A call sends a CALLBACK frame and blocks the calling thread until the leader reads the
CALLBACK_RESULT or CALLBACK_ERROR with the same id and wakes it (CallbackRouter.answer).
Why the caller first makes sure another thread reads: the answer, and any REQUEST that
Java sends while it runs the callback (a nested call into this worker), arrive on the
one request stream; if the caller were the leader and simply blocked, nobody would read
them and the worker would deadlock. So every caller asks the server to hand leadership
on at once (`hand_off`), as the watchdog does for a long call; nested callbacks then
each hold one blocked thread, and the pool always has a reader.

The session a CALLBACK names is the one of the request the calling thread serves (kept in
`serving.session`, set when that request is decoded), else the one the callable arrived
with: a thread the user started has no request of its own.
"""

import collections
import itertools
import threading

from .errors import DecodeError, JavaException

# .session: the session of the request this thread is serving (set by codec.decode_request).
serving = threading.local()

_HIGH_BIT = 1 << 63  # CALLBACK ids chosen by the worker have the high bit set
_ids = itertools.count(1)  # next() on a count is atomic under the GIL
_WAIT_SLICE = 0.05  # s; a waiting thread wakes this often, so that CANCEL can reach it

_router = None  # the server's CallbackRouter, set by install()

# Ids of anonymous callables that were garbage-collected: the server sends them to the JVM
# (CALLBACKS_DROPPED) before its next answer, so that the JVM lets go of the Java function.
# A deque: append and popleft are atomic, and __del__ may run on any thread.
dropped_ids = collections.deque()


def install(router):
    """Called by the server once it serves: from then on callables can reach the JVM."""
    global _router
    _router = router


class JavaCallable:
    """A Java function: a callback id (tag 0x17) or the name of a registered callback.

    Calling it runs the Java function and returns its result; a Java exception arrives as
    snakebridge.JavaException.
    """

    __slots__ = ("target", "session", "__weakref__")

    def __init__(self, target, session=None):
        self.target = target
        self.session = session

    def __call__(self, *args, **kwargs):
        return _call(self.target, self.session, args, kwargs)

    def __del__(self):
        # Only anonymous ones (an int id) hold a JVM table entry; a name is the registry's.
        # A JavaCallable never travels back to the JVM by its id (it crosses as a ref), and
        # a call holds `self` until its answer, so the JVM is done with the id by now.
        if type(self.target) is int:
            try:
                dropped_ids.append(self.target)
            except Exception:  # interpreter shutdown: nobody to tell
                pass

    def __repr__(self):
        return "<JavaCallable %r>" % (self.target,)


JavaCallable.__module__ = "snakebridge"


def invoke(name, *args, **kwargs):
    """Call the Java callback registered under `name` and return its result."""
    return _call(str(name), None, args, kwargs)


def callback(name):
    """A callable for the Java callback registered under `name` (resolved at each call)."""
    return JavaCallable(str(name))


def take_dropped():
    """The ids dropped since the last call (a list, maybe empty)."""
    ids = []
    popleft = dropped_ids.popleft
    while True:
        try:
            ids.append(popleft())
        except IndexError:
            return ids


def _call(target, session, args, kwargs):
    router = _router
    if router is None:
        raise RuntimeError("Java callbacks can only be called inside a SnakeBridge worker")
    current = getattr(serving, "session", None)
    if current is None:
        current = session if session is not None else ""
    return router.call(target, current, list(args), kwargs)


class _Waiter:
    """One pending CALLBACK: its lock is released when the answer is filed in it."""

    __slots__ = ("lock", "kind", "payload")

    def __init__(self):
        self.lock = threading.Lock()
        self.lock.acquire()
        self.kind = 0
        self.payload = None


class CallbackRouter:
    """The server's side of callbacks: sends CALLBACK frames, files the answers.

    encode(kind, id, value, session) -> sealed frame (refs in args go to `session`);
    write(frame); hand_off() makes sure a thread other than the caller reads;
    decode(payload, session) -> value (refs resolved, tag 0x17 made callables).
    """

    def __init__(self, encode, write, hand_off, decode, kinds):
        self._encode = encode
        self._write = write
        self._hand_off = hand_off
        self._decode = decode
        self._callback, self._result, self._error = kinds
        self._pending = {}  # CALLBACK id -> _Waiter

    def call(self, target, session, args, kwargs):
        """Send one CALLBACK and wait for its answer (in the calling thread)."""
        cid = next(_ids) | _HIGH_BIT
        frame = self._encode(self._callback, cid, [target, session, args, kwargs], session)
        waiter = _Waiter()
        self._pending[cid] = waiter
        try:
            self._hand_off()
            self._write(frame)
            acquire = waiter.lock.acquire
            while not acquire(timeout=_WAIT_SLICE):  # timed: a Cancelled can land between
                pass
        except BaseException:  # Cancelled: an answer that comes later is ignored
            self._pending.pop(cid, None)
            raise
        if waiter.kind == self._result:
            return self._decode(waiter.payload, session)
        raise _java_exception(self._decode(waiter.payload, None))

    def answer(self, kind, cid, payload):
        """Leader: file a CALLBACK_RESULT / CALLBACK_ERROR and wake its caller."""
        waiter = self._pending.pop(cid, None)
        if waiter is None:  # unknown id, or the caller was cancelled: nobody waits
            return
        waiter.kind = kind
        waiter.payload = payload
        waiter.lock.release()


def _java_exception(value):
    """The JavaException for a CALLBACK_ERROR payload [java_class, message, stack, id]."""
    try:
        java_class, message, stack, exception_id = value
    except (TypeError, ValueError):
        raise DecodeError("CALLBACK_ERROR payload must be [java_class, message, stack, id]")
    return JavaException(java_class, message, stack, exception_id)
