"""Tests of the fork server (snakebridge/forkserver.py), driven as the JVM drives it.

The template is started as ForkServer.java starts it (`<python> snakebridge_forkserver.py`, the
control protocol on its stdin/stdout), and each forked worker is connected the JVM's way: every
FIFO held open read-write first, then the one-way ends (see ForkServer.connect). Run through
test_worker (which imports this module), or alone: python3 -m unittest -v test_forkserver
"""

import os
import select
import signal
import struct
import subprocess
import sys
import time
import unittest

from test_worker import (CALL, HELLO, RESULT, SESSION, WORKER_DIR, encode_request, frame,
                         idecode)

FORK_SCRIPT = os.path.join(WORKER_DIR, "snakebridge_forkserver.py")


def _wait_gone(pid, timeout=5):
    """Whether process `pid` is gone (or a zombie of someone else) within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open("/proc/%d/stat" % pid) as f:
                if f.read().split(") ")[1].startswith("Z"):
                    return True
        except OSError:
            return True
        time.sleep(0.01)
    return False


class Template:
    """A fork-server template process and its control lines."""

    def __init__(self, env=None):
        full_env = dict(os.environ)
        full_env["PYTHONDONTWRITEBYTECODE"] = "1"
        full_env.update(env or {})
        self.proc = subprocess.Popen([sys.executable, FORK_SCRIPT], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=full_env, bufsize=0)
        self._pending = b""
        self.ready = self.line()

    def send(self, line):
        self.proc.stdin.write((line + "\n").encode("ascii"))

    def line(self, timeout=20):
        deadline = time.monotonic() + timeout
        while b"\n" not in self._pending:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.proc.stdout], [], [], max(0, left))
            if not ready:
                raise AssertionError("no line from the template within %s s" % timeout)
            data = os.read(self.proc.stdout.fileno(), 4096)
            if not data:
                raise AssertionError("template ended; stderr: %r" % self.proc.stderr.read())
            self._pending += data
        line, self._pending = self._pending.split(b"\n", 1)
        return line.decode("ascii").split(" ")

    def spawn(self, token, **env):
        self.send(" ".join(["spawn", token] + ["%s=%s" % kv for kv in env.items()]))
        words = self.line()
        if words[0] == "forked":  # the directory may hold spaces: it is the rest of the line
            words = words[:3] + [" ".join(words[3:])]
        return words

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(5)
        self.proc.stdout.close()
        self.proc.stderr.close()


class Connection:
    """The JVM's ends of a forked worker's FIFOs, opened without blocking."""

    def __init__(self, fifo_dir):
        names = ("req", "resp", "err")
        self.holders = [os.open(os.path.join(fifo_dir, n), os.O_RDWR) for n in names]
        self.req = os.open(os.path.join(fifo_dir, "req"), os.O_WRONLY)
        self.resp = os.open(os.path.join(fifo_dir, "resp"), os.O_RDONLY)
        self.err = os.open(os.path.join(fifo_dir, "err"), os.O_RDONLY)

    def connected(self):
        for fd in self.holders:
            os.close(fd)
        self.holders = []

    def read_exact(self, n):
        data = b""
        while len(data) < n:
            chunk = os.read(self.resp, n - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    def read_frame(self):
        head = self.read_exact(16)
        if head is None:
            return None
        length, kind, _, _, fid = struct.unpack("<IBBHQ", head)
        return kind, fid, idecode(self.read_exact(length - 12) if length > 12 else b"")

    def call(self, rid, module, function, *args):
        os.write(self.req, frame(1, rid, encode_request(CALL, SESSION, [module, function,
                                                                        list(args), {}])))
        kind, fid, value = self.read_frame()
        assert (kind, fid) == (RESULT, rid), (kind, fid, value)
        return value

    def close(self):
        for fd in self.holders + [self.req, self.resp, self.err]:
            try:
                os.close(fd)
            except OSError:
                pass


@unittest.skipUnless(sys.platform.startswith("linux"), "the fork server is Linux only")
class ForkServerTest(unittest.TestCase):

    def setUp(self):
        self.template = Template()
        self.addCleanup(self.template.close)

    def connect(self, token, **env):
        words = self.template.spawn(token, **env)
        self.assertEqual(words[:2], ["forked", token], words)
        pid, fifo_dir = int(words[2]), words[3]
        conn = Connection(fifo_dir)
        self.addCleanup(conn.close)
        return pid, fifo_dir, conn

    def test_ready_names_the_template_and_its_single_thread(self):
        self.assertEqual(self.template.ready, ["ready", str(self.template.proc.pid), "1"])

    def test_a_forked_worker_says_hello_answers_calls_and_exits_on_end_of_file(self):
        pid, fifo_dir, conn = self.connect("7", SNAKEBRIDGE_WORKER_ID="fork-test")
        kind, _, hello = conn.read_frame()
        self.assertEqual(kind, HELLO)
        self.assertEqual(hello["pid"], pid)
        conn.connected()
        self.assertEqual(conn.call(1, "os", "getppid"), self.template.proc.pid)
        self.assertEqual(conn.call(2, "os", "getenv", "SNAKEBRIDGE_WORKER_ID"), "fork-test")
        # The worker's fds 0-2 are its FIFOs: the names are no longer needed once all are open.
        self.assertTrue(os.path.isdir(fifo_dir))
        os.close(conn.req)
        conn.req = -1
        self.assertEqual(self.template.line(), ["exit", str(pid), "0"])
        self.assertFalse(os.path.exists(fifo_dir), "the template removes a reaped worker's FIFOs")

    def test_each_worker_has_its_own_random_state(self):
        draws = []
        for token in ("a", "b"):
            _, _, conn = self.connect(token)
            conn.read_frame()
            conn.connected()
            draws.append(conn.call(1, "random", "random"))
        self.assertNotEqual(draws[0], draws[1])

    def test_kill_ends_a_worker_with_sigkill_status(self):
        pid, _, conn = self.connect("k")
        conn.read_frame()
        conn.connected()
        self.template.send("kill %d" % pid)
        self.assertEqual(self.template.line(), ["exit", str(pid), str(128 + signal.SIGKILL)])
        self.assertIsNone(conn.read_frame(), "end of file on the response FIFO")

    def test_kill_of_a_pid_that_is_not_its_worker_does_nothing(self):
        sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
        self.addCleanup(sleeper.wait)
        self.addCleanup(sleeper.kill)
        self.template.send("kill %d" % sleeper.pid)
        pid, _, conn = self.connect("after")  # the kill line has been read by now
        self.assertEqual(conn.read_frame()[0], HELLO)
        self.assertIsNone(sleeper.poll())

    def test_end_of_input_kills_every_worker_and_removes_their_fifos(self):
        connected_pid, connected_dir, conn = self.connect("c")
        conn.read_frame()
        conn.connected()
        # A worker the JVM never connected: it waits in its first open, and must not outlive us.
        words = self.template.spawn("never")
        waiting_pid, waiting_dir = int(words[2]), words[3]
        self.template.proc.stdin.close()
        self.assertEqual(self.template.proc.wait(5), 0)
        for pid in (connected_pid, waiting_pid):
            self.assertTrue(_wait_gone(pid), "worker %d outlived its template" % pid)
        for fifo_dir in (connected_dir, waiting_dir):
            self.assertFalse(os.path.exists(fifo_dir))
        self.assertIsNone(conn.read_frame(), "end of file on the killed worker's responses")

    def test_a_worker_that_dies_before_it_connects_is_reported(self):
        # Its FIFOs are gone once it is reaped; a JVM that holds them open already is not stuck.
        words = self.template.spawn("dies")
        pid, fifo_dir = int(words[2]), words[3]
        conn = Connection(fifo_dir)
        self.addCleanup(conn.close)
        os.kill(pid, signal.SIGKILL)
        self.assertEqual(self.template.line(), ["exit", str(pid), str(128 + signal.SIGKILL)])
        conn.connected()  # what the JVM does when it learns of the exit
        first = conn.read_frame()
        if first is not None:  # it was quick enough to say HELLO before the kill
            self.assertEqual(first[0], HELLO)
            first = conn.read_frame()
        self.assertIsNone(first)

    def test_a_fifo_directory_with_spaces(self):
        import tempfile
        spaced = tempfile.mkdtemp(prefix="sb fork test ")
        self.addCleanup(os.rmdir, spaced)
        self.template.close()
        self.template = Template(env={"TMPDIR": spaced})
        self.addCleanup(self.template.close)
        pid, fifo_dir, conn = self.connect("s")
        self.assertTrue(fifo_dir.startswith(spaced), fifo_dir)
        self.assertEqual(conn.read_frame()[0], HELLO)


if __name__ == "__main__":
    unittest.main()
