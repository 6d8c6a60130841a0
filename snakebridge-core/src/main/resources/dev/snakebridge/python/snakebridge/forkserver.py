"""The pre-warmed fork server: one template process per pool that forks ready workers.

A worker started from scratch pays for the interpreter's start-up and the import of this
package (~25 ms) and of its pool's start-up imports (numpy: ~45 ms more). The template
pays that once; each worker is then a fork() of it, ready in a few ms.

The template is single-threaded: fork() copies only the calling thread, so a thread
started before it (ours or a library's) would leave its locks held forever in the child.
It reports how many OS threads it has after its imports; the JVM restarts it without
the start-up imports when that is more than one (see docs/ARCHITECTURE.md).

Control protocol, one ASCII line per message. The JVM writes on our stdin:

    spawn <token> <NAME=value>...   fork a worker with these extra environment variables
    kill <pid>                      SIGKILL a worker of ours that has not been reaped yet

and reads on our stdout:

    ready <pid> <threads>           once, after the imports
    forked <token> <pid> <dir>      the worker's FIFOs are <dir>/{req,resp,err}
    failed <token> <reason>         the fork (or the FIFOs) failed
    exit <pid> <code>               a worker ended: its exit status, 128+N for signal N

A forked worker opens req (read), resp (write), err (write) in this order. The JVM first
holds each FIFO open for reading and writing (which never blocks), so its own ends open at
once even if the worker dies first and we remove its FIFOs; it lets go of them once the
worker has said HELLO or ended. End of file on our stdin (the JVM closed it or died) kills
the workers that are still ours and ends the template: nothing outlives the JVM.
"""

import os
import select
import _signal as signal  # the C module: signal.py adds only enums, and enum costs ~1 ms of start-up
import sys

from . import errors
from . import server
from . import shm  # noqa: F401 - imported for the workers of shared-memory pools

_FIFOS = ("req", "resp", "err")
_CONNECT_TIMEOUT_S = 60  # a forked worker whose FIFOs nobody opens in this time exits (SIGALRM)


def main():
    """Entry point (snakebridge_forkserver.py): warm up, then fork workers on request."""
    ctl_in, ctl_out = _take_control_fds()
    signal.signal(signal.SIGINT, lambda signum, frame: None)  # the JVM decides when we end
    path_before_helpers = list(sys.path)
    if os.environ.get("SNAKEBRIDGE_TEMPLATE_IMPORTS", "1") == "1":
        server._prepend_helper_paths(os.environ.get("SNAKEBRIDGE_HELPER_PATHS", ""))
        _try_imports(os.environ.get("SNAKEBRIDGE_STARTUP_IMPORTS", ""))
    try:
        # Each worker's HELLO asks for it: this fills the path finders' caches, which forks inherit.
        server.module_available("numpy")
    except BaseException:
        pass
    Template(ctl_in, ctl_out, path_before_helpers).run()


def _take_control_fds():
    """Move the control pipes to private fds; fd 0 becomes /dev/null and fd 1 a copy of stderr.

    So a start-up import that prints cannot corrupt the control stream.
    """
    ctl_in = os.dup(0)
    ctl_out = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    return ctl_in, ctl_out


def _try_imports(value):
    """Import the pool's start-up modules; a failure is left to each worker to report.

    The worker imports them again (a no-op when they are loaded), and one that fails
    there fails the worker's start with its traceback, exactly as without the template.
    """
    for name in (n.strip() for n in value.split(",")):
        if name:
            try:
                __import__(name)
            except BaseException:
                pass


def _make_fifo_dir():
    """A fresh directory only we can enter (tempfile would add ~5 ms of imports to every start)."""
    base = os.environ.get("TMPDIR") or "/tmp"
    while True:
        path = os.path.join(base, "snakebridge-fork-%d-%s" % (os.getpid(), os.urandom(6).hex()))
        try:
            os.mkdir(path, 0o700)
            return path
        except FileExistsError:
            continue


def _remove_fifo_dir(path):
    for name in _FIFOS:
        try:
            os.unlink(os.path.join(path, name))
        except OSError:
            pass
    try:
        os.rmdir(path)
    except OSError:
        pass


def _os_threads():
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 0  # unknown: the JVM only starts templates on Linux


def _exit_code(status):
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)  # as Java's Process.exitValue() reports it
    return os.WEXITSTATUS(status) if os.WIFEXITED(status) else 255


class Template:
    """The template's loop: spawn requests on the control pipe, SIGCHLD via a wake-up pipe."""

    def __init__(self, ctl_in, ctl_out, sys_path):
        self._in = ctl_in
        self._out = ctl_out
        self._sys_path = sys_path
        self._children = {}  # pid -> FIFO directory
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)

    def run(self):
        signal.set_wakeup_fd(self._wake_w)
        signal.signal(signal.SIGCHLD, lambda signum, frame: None)
        self._say("ready %d %d" % (os.getpid(), _os_threads()))
        pending = b""
        while True:
            ready, _, _ = select.select([self._in, self._wake_r], [], [])
            if self._wake_r in ready:
                os.read(self._wake_r, 4096)
            self._reap()
            if self._in in ready:
                data = os.read(self._in, 65536)
                if not data:
                    self._shut_down()
                lines = (pending + data).split(b"\n")
                pending = lines.pop()
                for line in lines:
                    self._command(line.decode("ascii", "replace").split())

    def _say(self, line):
        data = (line + "\n").encode("ascii", "replace")
        while data:
            data = data[os.write(self._out, data):]

    def _command(self, words):
        if not words:
            return
        if words[0] == "spawn" and len(words) >= 2:
            self._spawn(words[1], dict(w.split("=", 1) for w in words[2:] if "=" in w))
        elif words[0] == "kill" and len(words) == 2:
            pid = int(words[1])
            if pid in self._children:  # not reaped yet, so the pid is still that worker's
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass

    def _spawn(self, token, env):
        fifo_dir = None
        try:
            fifo_dir = _make_fifo_dir()
            for name in _FIFOS:
                os.mkfifo(os.path.join(fifo_dir, name), 0o600)
            sys.stderr.flush()
            pid = os.fork()
        except BaseException as exc:
            if fifo_dir is not None:
                _remove_fifo_dir(fifo_dir)
            self._say("failed %s %s" % (token, repr(exc).replace("\n", " ")))
            return
        if pid == 0:
            self._become_worker(fifo_dir, env)
        self._children[pid] = fifo_dir
        self._say("forked %s %d %s" % (token, pid, fifo_dir))

    def _become_worker(self, fifo_dir, env):
        """In the child: connect to the JVM through the FIFOs and serve; never returns."""
        try:
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            for fd in (self._in, self._out, self._wake_r, self._wake_w):
                os.close(fd)
            # A FIFO open waits for the JVM's end. The JVM holds it open before it even reads our
            # "forked" line, unless the template died before saying it: then nobody ever opens it, and
            # the alarm's default action ends this orphan instead of leaving it blocked forever.
            signal.alarm(_CONNECT_TIMEOUT_S)
            fds = [os.open(os.path.join(fifo_dir, "req"), os.O_RDONLY),
                   os.open(os.path.join(fifo_dir, "resp"), os.O_WRONLY),
                   os.open(os.path.join(fifo_dir, "err"), os.O_WRONLY)]
            signal.alarm(0)
            for target, fd in enumerate(fds):
                os.dup2(fd, target)
                os.close(fd)
            os.environ.update(env)
            # The worker prepends the helper paths itself; the template's copy would double them.
            sys.path[:] = self._sys_path
            _reseed()
            server.main()
        except BaseException:
            try:
                errors.print_exc()
                sys.stderr.flush()
            except BaseException:
                pass
        finally:
            os._exit(1)

    def _reap(self):
        while self._children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            fifo_dir = self._children.pop(pid, None)
            if fifo_dir is not None:
                _remove_fifo_dir(fifo_dir)
            self._say("exit %d %d" % (pid, _exit_code(status)))

    def _shut_down(self):
        """The JVM is gone or done with us: so are our workers."""
        for pid, fifo_dir in self._children.items():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
            _remove_fifo_dir(fifo_dir)
        os._exit(0)


def _reseed():
    """Give this worker its own random state: a fork copies the template's.

    Python's `random` reseeds itself after fork; numpy's global generator does not.
    """
    numpy_random = sys.modules.get("numpy.random")
    if numpy_random is not None:
        try:
            numpy_random.seed()
        except BaseException:
            pass
