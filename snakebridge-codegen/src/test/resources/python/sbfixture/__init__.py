"""A small library for the generator's tests: every discovery mode, guardrail and docstring style."""

from .core import Counter, add, greet, scale, PI, NAME, DEBUG
from . import exported

__all__ = ["add", "greet", "scale", "Counter", "PI", "NAME", "DEBUG", "exported"]
