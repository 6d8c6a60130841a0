"""Keeps user output off the protocol stream, and turns it and logging into LOG frames.

fd 1 is the protocol's output when the JVM starts us, but anything may write to fd 1:
print(), C printf, child processes. So the protocol moves to private duplicates of fds
0 and 1, fd 0 becomes /dev/null and fd 1 the write end of a pipe whose lines a daemon
thread forwards as LOG frames (level 20, logger "stdout"). fd 2 is left alone: the JVM
reads the worker's stderr itself.
"""

import io
import os
import sys
import threading

try:
    import select
except ImportError:  # pragma: no cover - every supported platform has it
    select = None

STDOUT_LOGGER = "stdout"
STDOUT_LEVEL = 20  # logging.INFO
_READ_SIZE = 65536
_PARTIAL_LINE_WAIT = 0.1  # seconds an unterminated line waits for its end before it is sent
_MAX_LINE = 65536  # longer lines are sent in pieces


def take_protocol_fds():
    """Move the protocol off fds 0/1; returns (in_fd, out_fd, capture_fd).

    in_fd/out_fd are private (non-inheritable) copies of the original fds 0/1, so child
    processes do not inherit the protocol streams. capture_fd is the read end of the pipe
    now installed as fd 1; pass it to start_stdout_forwarder().
    """
    in_fd = os.dup(0)
    out_fd = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.close(devnull)
    capture_fd, pipe_write = os.pipe()
    os.dup2(pipe_write, 1)  # fd 1 stays inheritable: child processes' output is captured too
    os.close(pipe_write)
    sys.stdin = open(os.devnull, "r")
    # Like `python -u`: every write reaches the pipe at once, so output is never stuck in
    # a buffer (a line without its newline is sent by the forwarder after a short wait).
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8",
                                  errors="backslashreplace", line_buffering=True,
                                  write_through=True)
    return in_fd, out_fd, capture_fd


def start_stdout_forwarder(capture_fd, send_log):
    """Start the daemon thread that sends each line written to fd 1 as a LOG frame."""
    thread = threading.Thread(target=_forward_lines, args=(capture_fd, send_log),
                              name="snakebridge-stdout", daemon=True)
    thread.start()
    return thread


def _forward_lines(fd, send_log):
    def send(data):
        if data.endswith(b"\r"):
            data = data[:-1]
        send_log(STDOUT_LEVEL, STDOUT_LOGGER, data.decode("utf-8", "replace"))

    pending = b""
    while True:
        if pending and select is not None:
            # A line without its newline yet: send it anyway if nothing follows soon,
            # so that a prompt-like `print(..., end="")` is not held back forever.
            ready, _, _ = select.select([fd], [], [], _PARTIAL_LINE_WAIT)
            if not ready:
                send(pending)
                pending = b""
                continue
        data = os.read(fd, _READ_SIZE)
        if not data:
            if pending:
                send(pending)
            return
        lines = (pending + data).split(b"\n")
        pending = lines.pop()
        for line in lines:
            send(line)
        while len(pending) > _MAX_LINE:
            send(pending[:_MAX_LINE])
            pending = pending[_MAX_LINE:]


def install_logging(send_log, level_name):
    """Route the root logger to LOG frames at the level named by SNAKEBRIDGE_LOG_LEVEL.

    logging (with the traceback module it imports) costs ~4 ms of start-up, and a worker
    whose code never logs never needs it: unless something imported it already, the
    handler is installed the moment some code imports logging, before that code runs on.
    """
    logging = sys.modules.get("logging")
    if logging is not None:
        _install_handler(logging, send_log, level_name)
    else:
        sys.meta_path.insert(0, _OnImport("logging", lambda module: _install_handler(
            module, send_log, level_name)))


class _OnImport:
    """A meta path entry that finds nothing itself: it lets the finders after it find
    `name`, and runs `then(module)` right after that module has been executed."""

    def __init__(self, name, then):
        self._name = name
        self._then = then

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self._name:
            return None
        try:
            sys.meta_path.remove(self)
        except ValueError:  # another thread's import of the same name got here first
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = find(fullname, path, target) if find is not None else None
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        then = self._then

        class Loader:
            def create_module(self, spec):
                return loader.create_module(spec)

            def exec_module(self, module):
                loader.exec_module(module)
                then(module)

            def __getattr__(self, attr):  # get_source, is_package, ... as the real loader
                return getattr(loader, attr)

        spec.loader = Loader()
        return spec


def _install_handler(logging, send_log, level_name):
    class LogFrameHandler(logging.Handler):
        """Sends each log record as a LOG frame [levelno, logger name, formatted message]."""

        def __init__(self):
            logging.Handler.__init__(self)
            self.setFormatter(logging.Formatter("%(message)s"))  # adds exception text itself

        def emit(self, record):
            try:
                send_log(record.levelno, record.name, self.format(record))
            except Exception:
                self.handleError(record)

    root = logging.getLogger()
    root.addHandler(LogFrameHandler())
    root.setLevel(_parse_level(logging, level_name))


def _parse_level(logging, name):
    name = (name or "").strip().upper()
    if name.isdigit():
        return int(name)
    level = logging.getLevelName(name)
    return level if isinstance(level, int) else logging.INFO
