"""What the guide's tests need in a worker and a user program would not."""
import ctypes

import snakebridge


def hold_gil(seconds):
    """Holds the GIL for `seconds` (libc sleep called through PyDLL, which keeps it), after saying so.

    While it runs, the worker cannot answer anything, such as the release of a session: the release then
    times out, which is what the guide's monitoring example watches for.
    """
    snakebridge.emit("guide.gil_held")
    ctypes.PyDLL(None).sleep(int(seconds))
    return seconds
