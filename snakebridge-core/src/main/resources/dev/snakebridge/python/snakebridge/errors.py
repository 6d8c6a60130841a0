"""Exceptions of the worker and the ERROR payload built from any exception.

ERROR payload (docs/PROTOCOL.md, "Errors"):
    [type, qualified_name, bases, message, traceback, details]
"""

import importlib
import os

# traceback is imported when first needed: with linecache, tokenize and re it costs ~5 ms of
# every worker's start-up, and most workers never format an error.


class RefNotFound(LookupError):
    """A ref id that the request's session does not hold (released, or never issued)."""


class JavaException(Exception):
    """An exception thrown by Java code: by a callback Python called (CALLBACK_ERROR), or
    the one a Java `with` block ended with (EXIT), when no Python type stands for it.

    `java_exception_id` names the Throwable on the JVM side (None when there is none), so
    that the JVM can rethrow the original when this exception travels back to it.
    """

    def __init__(self, java_class="", java_message="", java_stack="", java_exception_id=None):
        Exception.__init__(self, java_class, java_message, java_stack, java_exception_id)
        self.java_class = java_class
        self.java_message = java_message
        self.java_stack = java_stack
        self.java_exception_id = java_exception_id

    def __str__(self):
        head = "%s: %s" % (self.java_class, self.java_message)
        return head + "\n" + self.java_stack if self.java_stack else head


class Cancelled(Exception):
    """Raised inside a running call when the JVM sends CANCEL for it (best effort)."""


class DecodeError(ValueError):
    """A value in a frame is malformed (truncated, unknown tag, nested too deep, ...)."""


# The public names are spelt snakebridge.X on the wire, whatever module defines them.
for _cls in (RefNotFound, JavaException, Cancelled, DecodeError):
    _cls.__module__ = "snakebridge"
del _cls

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def qualified_name(cls):
    """`module.qualname` of a class, as the protocol spells type names."""
    module = getattr(cls, "__module__", None) or "builtins"
    return module + "." + getattr(cls, "__qualname__", cls.__name__)


def _safe_str(exc):
    try:
        return str(exc)
    except BaseException:  # a broken __str__ must not hide the error itself
        return "<unprintable %s>" % type(exc).__name__


def _user_traceback(tb):
    """Skip the worker's own frames, keeping the last one: the line that called user code.

    Keeping that frame means even an error raised directly by a C function (math.sqrt)
    has a traceback that starts with "Traceback (most recent call last):".
    """
    while tb is not None and tb.tb_next is not None:
        filename = tb.tb_next.tb_frame.f_code.co_filename
        if os.path.dirname(os.path.abspath(filename)) != _PACKAGE_DIR:
            break
        tb = tb.tb_next
    return tb


def print_exc():
    """traceback.print_exc(), importing traceback on first use."""
    import traceback
    traceback.print_exc()


def _format_traceback(exc):
    import traceback
    try:
        tb = _user_traceback(exc.__traceback__)
        return "".join(traceback.format_exception(type(exc), exc, tb))
    except BaseException:
        return "".join(traceback.format_exception_only(type(exc), exc))


def _shape_details(call_args):
    """`arg_shapes` / `arg_dtypes` of the call arguments that have them (array-like errors)."""
    shapes, dtypes = [], []
    for arg in call_args:
        try:
            shape = getattr(arg, "shape", None)
            if shape is not None and not callable(shape):
                shapes.append([int(n) for n in shape])
            dtype = getattr(arg, "dtype", None)
            if dtype is not None and not callable(dtype):
                dtypes.append(str(dtype))
        except Exception:  # a strange .shape is no reason to lose the real error
            continue
    details = {}
    if shapes:
        details["arg_shapes"] = shapes
    if dtypes:
        details["arg_dtypes"] = dtypes
    return details


def error_value(exc, call_args=()):
    """The ERROR payload list for `exc`; `call_args` feed `details` (may be empty)."""
    cls = type(exc)
    details = _shape_details(call_args) if call_args else {}
    if isinstance(exc, JavaException):  # lets the JVM rethrow its original Throwable
        details["java_exception_id"] = exc.java_exception_id
    return [
        cls.__name__,
        qualified_name(cls),
        [qualified_name(base) for base in cls.__mro__[1:]],
        _safe_str(exc),
        _format_traceback(exc),
        details,
    ]


def exception_from_java(error):
    """The exception object for EXIT's `error` operand, or None when there is none.

    `error` is `[python_type or None, message, java_class, java_stack]`. The named Python
    type is used when it resolves to an exception class that can be made from the message
    alone (so that `__exit__` methods testing `issubclass(exc_type, ValueError)` work);
    otherwise the exception is a JavaException. Either way it carries java_class and
    java_stack.
    """
    if error is None:
        return None
    python_type, message, java_class, java_stack = error
    cls = _exception_class(python_type) if python_type else None
    exc = None
    if cls is not None and cls is not JavaException:
        try:
            exc = cls(message)
        except Exception:  # a constructor that wants more (UnicodeDecodeError, ...)
            exc = None
    if exc is None:
        return JavaException(java_class, message, java_stack)
    try:
        exc.java_class = java_class
        exc.java_stack = java_stack
    except Exception:  # a class with __slots__: the Python type matters more
        pass
    return exc


def _exception_class(name):
    """The exception class `module.qualname` names, importing the module; else None."""
    parts = str(name).split(".")
    for cut in range(len(parts) - 1, 0, -1):  # the longest importable module prefix
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except Exception:
            continue
        try:
            for part in parts[cut:]:
                obj = getattr(obj, part)
        except AttributeError:
            return None
        if isinstance(obj, type) and issubclass(obj, BaseException):
            return obj
        return None
    return None
