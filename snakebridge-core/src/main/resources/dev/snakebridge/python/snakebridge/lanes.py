"""The worker's one thread for thread-bound work.

Some Python objects work only in the thread that made them: a sqlite3 connection opened
without check_same_thread=False, an asyncio loop, some GPU contexts. Requests flagged with
OP_MODIFIER_THREAD (a thread-bound session's calls, and calls on the objects it owns) are
queued here and run one after the other, in arrival order, on one long-lived thread, started
on first use. The leader hands them over and goes on reading, so callbacks, releases and
cancellation still find a reader while such a call runs.
"""

import threading
from collections import deque


class ThreadLane:
    """Runs `run(*request)` for each submitted request on one thread, in order; then the
    request's `done` callback, if it has one (the execution slot it held goes back)."""

    def __init__(self, run, name="snakebridge-bound"):
        self._run = run
        self._name = name
        self._queue = deque()
        self._ready = threading.Condition(threading.Lock())
        self._thread = None

    def submit(self, *request, done=None):
        with self._ready:
            self._queue.append((request, done))
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name=self._name, daemon=True)
                self._thread.start()
            self._ready.notify()

    def ident(self):
        """The lane thread's ident, or None before its first request."""
        thread = self._thread
        return thread.ident if thread is not None else None

    def _loop(self):
        queue = self._queue
        while True:
            with self._ready:
                while not queue:
                    self._ready.wait()
                request, done = queue.popleft()
            try:
                self._run(*request)
            finally:
                if done is not None:
                    done()
