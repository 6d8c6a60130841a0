"""A module whose import fails, as with a missing optional dependency; the ast fallback reads its source."""

raise ImportError("this module is broken on purpose")


def shout(text: str, times: int = 1) -> str:
    """Upper-cases ``text``, ``times`` times."""
    return (text.upper() + "!") * times


def _private():
    return None


class Gadget:
    """A class only the source shows.

    Parameters
    ----------
    size : int
        How big.
    """

    def __init__(self, size: int = 1):
        self.size = size

    def grow(self, by: int) -> int:
        """Grows by ``by`` and returns the new size."""
        self.size += by
        return self.size

    @property
    def label(self) -> str:
        """A label."""
        return "gadget"

    @staticmethod
    def make() -> "Gadget":
        """A new gadget."""
        return Gadget()

    def __len__(self):
        return self.size
