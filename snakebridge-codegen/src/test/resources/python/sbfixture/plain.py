"""A public module without __all__."""

from .core import add as imported_add  # re-export: a member of this module too


def mean(values):
    """The mean of ``values``."""
    return sum(values) / len(values)


def _helper():
    return None


class Shape:
    """A base with many methods, for the maxClassMethods guardrail."""

    def m01(self): return 1
    def m02(self): return 2
    def m03(self): return 3
    def m04(self): return 4
    def m05(self): return 5
    def m06(self): return 6


class Square(Shape):
    """Declares two methods and inherits six."""

    def __init__(self, side):
        self.side = side

    def area(self):
        """side * side"""
        return self.side * self.side

    def default(self):
        """A Java keyword as a name."""
        return "default"
