"""Executes one decoded REQUEST: `[op, session, *operands]` -> value (or raises).

Ops are listed in docs/PROTOCOL.md, "Request operations". Imported modules are cached in
a dict, which is cheaper than importlib.import_module's lookup through sys.modules.
"""

import importlib
import itertools
import os
import sys
import types

from . import bulk, protocol as p, tracing
from .decoder import decode_request
from .encoder import ArraysByValue, AsRef, Encoded, encode_value
from .errors import Cancelled, error_value, exception_from_java

_BUILTINS = {"repr": repr, "str": str, "len": len}
_MAX_ITER_ERRORS = 1024  # pending ITER_NEXT errors kept; the oldest goes first


def resident_bytes():
    """This process's resident memory in bytes (Linux /proc; else the peak from getrusage)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        import resource
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


class Dispatcher:
    """Runs ops against Python, holding refs in `tables` (objects.ObjectTables)."""

    def __init__(self, tables):
        self._tables = tables
        self._modules = {}
        self._handlers = {
            p.OP_CALL: self._call,
            p.OP_GET: self._get,
            p.OP_METHOD: self._method,
            p.OP_ATTR: self._attr,
            p.OP_SET_ATTR: self._set_attr,
            p.OP_RELEASE: self._release,
            p.OP_RELEASE_SESSION: self._release_session,
            p.OP_PING: self._ping,
            p.OP_BUILTIN: self._builtin,
            p.OP_CALL_REF: self._call_ref,
            p.OP_ITER_OPEN: self._iter_open,
            p.OP_ITER_NEXT: self._iter_next,
            p.OP_ENTER: self._enter,
            p.OP_EXIT: self._exit,
            p.OP_STREAM: self._stream,
            p.OP_BATCH: self._batch,
        }
        # id(iterator) -> (iterator, exception): an error met after some items of an
        # ITER_NEXT batch, kept for the next ITER_NEXT so that those items still arrive.
        self._iter_errors = {}

    def execute(self, request):
        """Run a decoded request and return its result."""
        handler = self._handlers.get(request[0])
        if handler is None:
            return self._execute_modified(request)
        return handler(request)

    def _execute_modified(self, request):
        """An op with modifier bits (p.OP_MODIFIERS) above its low 8 bits."""
        op = request[0]
        if type(op) is int and op & p.OP_MODIFIER_TRACE and len(request) > 2:
            with tracing.serving(tracing.take(request)):
                return self.execute(request)
        handler = None
        if type(op) is int and op > 0xFF and not op & ~(0xFF | p.OP_MODIFIERS):
            handler = self._handlers.get(op & 0xFF)
        if handler is None or op & 0xFF in (p.OP_STREAM, p.OP_BATCH):
            raise ValueError("unknown op %r" % (op,))
        value = handler(request)
        if op & p.OP_MODIFIER_ARRAYS:
            value = ArraysByValue(value)
        return value

    # Each handler unpacks the whole request, so a wrong number of operands fails loudly.

    def _call(self, request):
        _, _, module_name, function, args, kwargs = request
        module = self._modules.get(module_name)  # the common case of _lookup(), inline
        if module is None or "." in function:
            return self._lookup(module_name, function)(*args, **kwargs)
        return getattr(module, function)(*args, **kwargs)

    def _get(self, request):
        _, _, module, name = request
        return self._lookup(module, name)

    def _method(self, request):
        _, _, target, name, args, kwargs = request
        return getattr(target, name)(*args, **kwargs)

    def _attr(self, request):
        _, _, target, name = request
        return getattr(target, name)

    def _set_attr(self, request):
        _, _, target, name, value = request
        setattr(target, name, value)

    def _release(self, request):
        _, session, ids = request
        self._tables.release(session, ids)

    def _release_session(self, request):
        _, session = request
        self._tables.release_session(session)

    def _ping(self, request):
        """A heartbeat: answers with facts the JVM uses for recycling."""
        bulk.sweep_stale()
        return {"rss": resident_bytes(), "objects": self._tables.count()}

    def _builtin(self, request):
        _, _, name, target = request
        function = _BUILTINS.get(name)
        if function is None:
            raise ValueError("unknown builtin %r: expected repr, str or len" % (name,))
        return function(target)

    def _call_ref(self, request):
        _, _, target, args, kwargs = request
        return target(*args, **kwargs)

    def _iter_open(self, request):
        _, _, target = request
        return AsRef(iter(target))

    def _iter_next(self, request):
        """`[items, done]`: up to `max` items; done once StopIteration was met.

        Exhaustion releases nothing: the JVM's handle stays valid (and answers
        `[[], True]` again). An exception after some items answers those items first
        and is raised by the next ITER_NEXT, as a Python `for` loop would see them.
        """
        _, _, iterator, max_items = request
        if self._iter_errors:
            pending = self._iter_errors.pop(id(iterator), None)
            if pending is not None and pending[0] is iterator:
                raise pending[1]
        items = []
        append = items.append
        try:
            for item in itertools.islice(iterator, max_items):
                append(item)
        except Exception as exc:
            if not items or isinstance(exc, Cancelled):
                raise
            if len(self._iter_errors) >= _MAX_ITER_ERRORS:  # iterators dropped meanwhile
                del self._iter_errors[next(iter(self._iter_errors))]
            self._iter_errors[id(iterator)] = (iterator, exc)
            return [items, False]
        return [items, len(items) < max_items]

    def _enter(self, request):
        _, _, target = request
        return AsRef(target.__enter__())

    def _exit(self, request):
        _, _, target, error = request
        exc = exception_from_java(error)
        if exc is None:
            return bool(target.__exit__(None, None, None))
        return bool(target.__exit__(type(exc), exc, exc.__traceback__))

    def _batch(self, request):
        """`[[ok, value or error], ...]`: each call (a request payload, as bytes) in turn.

        A call fails alone: its operands are decoded, it runs and its result is encoded
        only when its turn comes, so a ref that is gone or a result that cannot cross
        makes an error entry and the next call still runs. Only a Cancelled stops the batch.
        """
        _, session, calls = request
        tables = self._tables
        outcomes = []
        for payload in calls:
            call = None
            try:
                if type(payload) is not bytes:
                    raise TypeError("a batched call must be an encoded request (bytes)")
                call = decode_request(payload, tables.refs)
                if call[0] & 0xFF in (p.OP_BATCH, p.OP_STREAM) or call[1] != session:
                    raise ValueError("op %r in session %r cannot be part of a batch of session %r"
                                     % (call[0], call[1], session))
                value = self.execute(call)
                buf = bytearray()
                encode_value(buf, value, tables, session)
                outcomes.append([True, Encoded(buf)])
            except Cancelled:
                raise
            except BaseException as exc:  # SystemExit too: an error like any other
                outcomes.append([False, error_value(exc, call_arguments(call) if call else ())])
        return outcomes

    def _stream(self, request):
        """For the stream's own thread (streams.py): the iterator whose items it pushes."""
        return iter(self._call(request))

    # Name resolution.

    def _lookup(self, module_name, name):
        """`module_name` imported, then the (possibly dotted) attribute `name` of it."""
        module = self._modules.get(module_name)
        if module is None:
            module = importlib.import_module(module_name)
            self._modules[module_name] = module
        if "." not in name:
            return getattr(module, name)
        obj = module
        for part in name.split("."):
            obj = _child(obj, part)
        return obj


def _child(obj, part):
    """getattr, also importing a submodule not yet loaded (`xml` + `etree.ElementTree`)."""
    try:
        return getattr(obj, part)
    except AttributeError:
        if isinstance(obj, types.ModuleType):
            try:
                return importlib.import_module(obj.__name__ + "." + part)
            except ImportError:
                pass
        raise


def call_arguments(request):
    """The arguments of a call request (the target first for METHOD), for error details."""
    op = request[0] if request else None
    if type(op) is int:
        op &= 0xFF
    try:
        if op == p.OP_CALL or op == p.OP_STREAM:
            return list(request[4]) + list(request[5].values())
        if op == p.OP_METHOD:
            return [request[2]] + list(request[4]) + list(request[5].values())
        if op == p.OP_CALL_REF:
            return list(request[3]) + list(request[4].values())
    except Exception:  # malformed operands: the error itself says what was wrong
        pass
    return []
