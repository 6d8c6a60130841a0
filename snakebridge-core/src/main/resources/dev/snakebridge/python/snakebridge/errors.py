"""Exceptions of the worker and the ERROR payload built from any exception.

ERROR payload (docs/PROTOCOL.md, "Errors"):
    [type, qualified_name, bases, message, traceback, details]
"""

import os
import traceback


class RefNotFound(LookupError):
    """A ref id that the request's session does not hold (released, or never issued)."""


class JavaException(Exception):
    """Reserved for callbacks: an exception thrown by Java code that Python called."""


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


def _format_traceback(exc):
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
    return [
        cls.__name__,
        qualified_name(cls),
        [qualified_name(base) for base in cls.__mro__[1:]],
        _safe_str(exc),
        _format_traceback(exc),
        _shape_details(call_args) if call_args else {},
    ]
