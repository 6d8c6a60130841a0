"""A subpackage named in the root's __all__."""

from .tools import double

__all__ = ["double"]
