"""A module whose function hides its signature; a stub beside it gives one with types."""

import functools


def _opaque(f):
    @functools.wraps(f, assigned=("__name__", "__qualname__", "__doc__", "__module__"))
    def wrapper(*args, **kwargs):
        return f(*args, **kwargs)
    del wrapper.__wrapped__  # hide the signature, as C extensions and some decorators do
    return wrapper


@_opaque
def typed(count, label="x"):
    """Repeats a label."""
    return label * count
