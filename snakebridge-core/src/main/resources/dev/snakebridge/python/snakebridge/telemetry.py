"""Python's side of SnakeBridge telemetry: events that reach the JVM's handlers and JFR.

    import snakebridge
    snakebridge.emit("model.loaded", {"bytes": 1234}, {"name": "resnet"})
    with snakebridge.span("preprocess", {"rows": 10}):
        ...   # emits preprocess.start, then preprocess.stop (or preprocess.exception) with duration_us
"""

import time

from .tracing import current_traceparent

_send = None  # set by the server: send(name, measurements, metadata)


def install(send):
    global _send
    _send = send


def emit(name, measurements=None, metadata=None):
    """Send an event to the JVM's telemetry handlers. Numbers go in `measurements`."""
    if _send is None:  # not running inside a worker (e.g. imported by a test): nothing to do
        return
    _send(name, measurements or {}, metadata or {})


class span:
    """Context manager emitting `<name>.start` and `<name>.stop` / `<name>.exception`."""

    def __init__(self, name, metadata=None):
        self._name = name
        self._metadata = dict(metadata or {})
        self._start = 0

    def __enter__(self):
        traceparent = current_traceparent()
        if traceparent is not None:  # the JVM's tracer makes this span a child of the call's span
            self._metadata["traceparent"] = traceparent
        emit(self._name + ".start", {}, self._metadata)
        self._start = time.perf_counter_ns()
        return self

    def __exit__(self, exc_type, exc, tb):
        duration = {"duration_us": (time.perf_counter_ns() - self._start) // 1000}
        if exc_type is None:
            emit(self._name + ".stop", duration, self._metadata)
        else:
            meta = dict(self._metadata, exception=exc_type.__name__, message=str(exc))
            emit(self._name + ".exception", duration, meta)
        return False
