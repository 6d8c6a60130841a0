"""The trace context of the call a thread serves: the JVM's W3C traceparent.

A request whose op has OP_MODIFIER_TRACE carries the caller's `traceparent` right after
its session. While the call runs, `snakebridge.current_traceparent()` returns it, the
spans of `snakebridge.span(...)` name it, and, when the `opentelemetry` package is
installed, it is the current OpenTelemetry context, so spans that Python code starts are
children of the JVM's client span. Without that package only the stdlib path runs.
"""

import contextvars

_current = contextvars.ContextVar("snakebridge_traceparent", default=None)
_otel = None  # None: not looked for yet; False: not installed; else (context module, propagator)


def current_traceparent():
    """The W3C traceparent of the call being served ('00-<trace>-<span>-<flags>'), or None."""
    return _current.get()


def take(request):
    """Remove the trace operand of a request whose op has OP_MODIFIER_TRACE; return it."""
    from .protocol import OP_MODIFIER_TRACE  # here: importing snakebridge must stay cheap
    request[0] &= ~OP_MODIFIER_TRACE
    traceparent = request.pop(2)
    return traceparent if type(traceparent) is str else None


class serving:
    """Context manager: `traceparent` is the trace context of the code run inside it."""

    __slots__ = ("_traceparent", "_token", "_otel_token")

    def __init__(self, traceparent):
        self._traceparent = traceparent
        self._token = self._otel_token = None

    def __enter__(self):
        self._token = _current.set(self._traceparent)
        self._otel_token = _attach_opentelemetry(self._traceparent)
        return self

    def __exit__(self, exc_type, exc, tb):
        if self._otel_token is not None:
            _otel[0].detach(self._otel_token)
        _current.reset(self._token)
        return False


def adopt(traceparent):
    """Make `traceparent` this thread's trace context for the rest of its life (a stream's own thread)."""
    _current.set(traceparent)
    _attach_opentelemetry(traceparent)


def _attach_opentelemetry(traceparent):
    """Attach the OpenTelemetry context of `traceparent`; its token, or None without the package."""
    global _otel
    if traceparent is None:
        return None
    if _otel is None:
        try:
            from opentelemetry import context
            from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
            _otel = (context, TraceContextTextMapPropagator())
        except Exception:  # not installed, or an incompatible version: the stdlib path only
            _otel = False
    if not _otel:
        return None
    try:
        context, propagator = _otel
        return context.attach(propagator.extract({"traceparent": traceparent}))
    except Exception:  # a broken tracing setup must not fail the call
        return None
