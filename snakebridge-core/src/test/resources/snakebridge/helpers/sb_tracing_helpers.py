"""Helpers for CallTracerIT: what the worker sees of the caller's trace context."""

import snakebridge


def seen():
    return snakebridge.current_traceparent()


def seen_twice():
    """A generator: the trace context while it is pulled (push streams)."""
    yield snakebridge.current_traceparent()
    yield snakebridge.current_traceparent()


def fail():
    raise KeyError("missing")
