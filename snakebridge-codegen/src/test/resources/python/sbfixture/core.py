"""Functions and a class with each parameter kind and protocol."""

PI = 3.14159
NAME = "fixture"
DEBUG = False


def add(a: int, b: int = 2) -> int:
    """Add two integers.

    Parameters
    ----------
    a : int
        The first number.
    b : int, optional
        The second number.

    Returns
    -------
    int
        The sum ``a + b``.

    Raises
    ------
    TypeError
        When an argument is not a number.
    """
    return a + b


def greet(name, *, greeting="Hello", punctuation="!"):
    """Greets someone.

    Args:
        name (str): Who to greet.
        greeting (str): The word to use.

    Returns:
        str: The greeting.
    """
    return "%s, %s%s" % (greeting, name, punctuation)


def scale(values, factor=2.0, /, *rest, **options):
    """Scales values.

    :param values: the numbers
    :type values: list
    :param factor: the factor
    :returns: the scaled numbers
    :rtype: list
    """
    return [v * factor for v in values] + list(rest) + sorted(options)


def describe(values):
    """Describes values.

    The result has three parts:

    - the count,
    - the mean, and
    - the largest
      value.

    =====  ========
    part   meaning
    =====  ========
    count  how many
    mean   average
    =====  ========

    .. versionadded:: 1.1

    .. note:: Uses :func:`sbfixture.plain.mean`.

    Parameters
    ----------
    values : list
        The numbers.

    Returns
    -------
    dict
        The parts.

    Examples
    --------
    >>> describe([1, 2, 3])
    {'count': 3, 'mean': 2.0, 'max': 3}
    """
    return {"count": len(values), "mean": sum(values) / len(values), "max": max(values)}


def nap(seconds):
    """Sleeps ``seconds`` and returns them (for call timeouts)."""
    import time
    time.sleep(seconds)
    return seconds


def countdown(n):
    """Yields n, n-1, ..., 1."""
    while n > 0:
        yield n
        n -= 1


class _Base:
    """A private base: what it defines counts as declared by its public subclasses."""

    def base_method(self):
        """From the private base."""
        return "base"


class Counter(_Base):
    """Counts items; iterable, sized, indexable, a context manager and callable."""

    def __init__(self, items=(), *, start=0):
        self.items = list(items)
        self.start = start
        self.closed = False

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]

    def __setitem__(self, i, value):
        self.items[i] = value

    def __contains__(self, item):
        return item in self.items

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.closed = True
        self.exited_with = exc[0].__name__ if exc[0] is not None else None
        return False

    def exit_state(self):
        """What ``__exit__`` saw: ``"open"`` before, ``None`` after a block that completed, else the error type."""
        return getattr(self, "exited_with", "open")

    def __call__(self, extra):
        return len(self.items) + extra

    def total(self) -> int:
        """The sum of the items plus the start."""
        return sum(self.items) + self.start

    def append(self, item):
        """Appends ``item``."""
        self.items.append(item)

    def class_(self):
        """A method whose Java name needs escaping."""
        return "class"

    @property
    def size(self) -> int:
        """The number of items (a read-only property)."""
        return len(self.items)

    @property
    def label(self) -> str:
        """A writable label."""
        return getattr(self, "_label", "none")

    @label.setter
    def label(self, value):
        self._label = value

    @staticmethod
    def of(*items):
        """A counter of the given items.

        Returns
        -------
        Counter
            A new counter holding ``items``.
        """
        return Counter(items)

    @classmethod
    def empty(cls) -> "Counter":
        """An empty counter."""
        return cls()

    def copy(self):
        """A copy of this counter.

        Returns
        -------
        same type as caller
            The copy.
        """
        return type(self)(self.items, start=self.start)

    def first(self):
        """The first item, documented as a counter but a plain number (a wrong docstring).

        Returns
        -------
        Counter
            Documented so, but an int comes back.
        """
        return self.items[0]
