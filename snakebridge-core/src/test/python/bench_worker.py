"""Round-trip latency of the worker vs a raw pipe echo (not a test; prints numbers).

Run pinned, client on CPU 0, children on CPU 1:
    cd snakebridge-core/src/test/python && taskset -c 0 python3 bench_worker.py [iterations]

Measures, with one request in flight at a time:
  raw echo  -- a 16-byte frame through a trivial Python child doing blocking os.read/os.write
  PING      -- a PING request through the worker
  sqrt      -- CALL math.sqrt(16) through the worker
  sqrt spin -- the same, with a worker started with SNAKEBRIDGE_SPIN_US=100 (BENCH_SPIN_US)
each once with a pre-encoded request (the worker's own cost) and once "+codec", encoding
the request and decoding the answer with the package's codec in the timed loop. The kinds
take turns in blocks (see run_round), so the machine's drifts affect them alike.
"""

import os
import statistics
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
WORKER_DIR = os.path.normpath(
    os.path.join(HERE, "..", "..", "main", "resources", "dev", "snakebridge", "python"))
BOOT = os.path.join(WORKER_DIR, "snakebridge_boot.py")
sys.dont_write_bytecode = True
sys.path.insert(0, WORKER_DIR)
from snakebridge import codec  # noqa: E402

ECHO = "import os\nwhile True:\n    d = os.read(0, 65536)\n    if not d: break\n    os.write(1, d)\n"
CHILD_CPU = os.environ.get("BENCH_CHILD_CPU", "1")
_HEADER = struct.Struct("<IBBHQ")


def _child(args, **env_vars):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", **env_vars)
    return subprocess.Popen(["taskset", "-c", CHILD_CPU, sys.executable] + args,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, bufsize=0)


def _read_exact(fd, n):
    data = os.read(fd, n)
    while len(data) < n:
        more = os.read(fd, n - len(data))
        if not more:
            raise EOFError
        data += more
    return data


class Echo:
    """A trivial child that echoes whatever it reads: the transport's own round trip."""

    def __init__(self):
        self.proc = _child(["-c", ECHO])
        self.out, self.inp = self.proc.stdout.fileno(), self.proc.stdin.fileno()
        self.msg = _HEADER.pack(12, 1, 0, 0, 1)

    def round_trip(self, i):
        os.write(self.inp, self.msg)
        _read_exact(self.out, 16)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


class WorkerClient:
    """The worker, driven one request at a time.

    `codec=True`: each request is encoded and each answer decoded with the package's
    codec (what a Python client would pay). `codec=False`: the request bytes are built
    once and the answer is only checked byte-wise, which leaves the worker's own cost,
    as seen by a client (like the JVM's) whose encoding is nearly free.
    """

    def __init__(self, spin_us=0):
        self.proc = _child([BOOT], SNAKEBRIDGE_SPIN_US=str(spin_us))
        self.out, self.inp = self.proc.stdout.fileno(), self.proc.stdin.fileno()
        head = _read_exact(self.out, 16)
        _read_exact(self.out, _HEADER.unpack(head)[0] - 12)  # HELLO

    def op(self, value, expected, use_codec):
        if use_codec:
            def round_trip(i):
                buf = bytearray(16)
                codec.encode_value(buf, value)
                _HEADER.pack_into(buf, 0, len(buf) - 4, 1, 0, 0, i)
                os.write(self.inp, buf)
                length, kind = _HEADER.unpack(_read_exact(self.out, 16))[:2]
                result = codec.decode_value(_read_exact(self.out, length - 12))
                if kind != 2 or (expected is not None and result != expected):
                    raise AssertionError((kind, result))
        elif expected is None:  # any RESULT will do (PING's facts vary)
            buf = bytearray(16)
            codec.encode_value(buf, value)
            _HEADER.pack_into(buf, 0, len(buf) - 4, 1, 0, 0, 7)
            request = bytes(buf)

            def round_trip(i):
                os.write(self.inp, request)
                length, kind = _HEADER.unpack(_read_exact(self.out, 16))[:2]
                _read_exact(self.out, length - 12)
                if kind != 2:
                    raise AssertionError("unexpected answer")
        else:
            buf = bytearray(16)
            codec.encode_value(buf, value)
            _HEADER.pack_into(buf, 0, len(buf) - 4, 1, 0, 0, 7)
            request = bytes(buf)
            answer = bytearray(16)
            codec.encode_value(answer, expected)
            _HEADER.pack_into(answer, 0, len(answer) - 4, 2, 0, 0, 7)
            answer = bytes(answer)
            size = len(answer)

            def round_trip(i):
                os.write(self.inp, request)
                if _read_exact(self.out, size) != answer:
                    raise AssertionError("unexpected answer")
        return round_trip

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


PING = ([8, "s"], None)  # answers {"rss": ..., "objects": ...}: any RESULT
SQRT = ([1, "s", "math", "sqrt", [16], {}], 4.0)


SPIN_US = int(os.environ.get("BENCH_SPIN_US", "100"))  # for the extra "sqrt spin" worker
BLOCK = 50  # round trips of one kind in a row: each child runs with warm caches


def run_round(n):
    """Medians (us) of n round trips of each kind.

    The kinds take turns in blocks of BLOCK round trips, so that the machine's slow drifts
    (this is a VM) hit all of them alike, while each child still serves back-to-back
    requests as it would under load. The first block of each kind is warm-up.
    """
    echo, worker = Echo(), WorkerClient()
    cases = [("raw echo", echo.round_trip)]
    for label, use_codec in (("", False), (" +codec", True)):
        cases.append(("PING" + label, worker.op(PING[0], PING[1], use_codec)))
        cases.append(("sqrt" + label, worker.op(SQRT[0], SQRT[1], use_codec)))
    spinning = WorkerClient(SPIN_US)
    cases.append(("sqrt spin%d" % SPIN_US, spinning.op(SQRT[0], SQRT[1], False)))
    samples = {name: [] for name, _ in cases}
    clock = time.perf_counter_ns
    for block in range(n // BLOCK + 1):
        for name, round_trip in cases:
            times = samples[name]
            for i in range(BLOCK):
                t0 = clock()
                round_trip(i + 1)
                if block:
                    times.append(clock() - t0)
    echo.close()
    worker.close()
    spinning.close()
    return {name: statistics.median(values) / 1000.0 for name, values in samples.items()}


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    print("python %s, %d iterations x %d rounds, client CPUs %s, child CPU %s"
          % (sys.version.split()[0], n, rounds, sorted(os.sched_getaffinity(0)), CHILD_CPU))
    for r in range(rounds):
        medians = run_round(n)
        base = medians["raw echo"]
        print("round %d: " % (r + 1) + " | ".join(
            "%s %.1f us" % (name, us) if name == "raw echo"
            else "%s %.1f us (%+.0f%%)" % (name, us, 100 * (us / base - 1))
            for name, us in medians.items()))


if __name__ == "__main__":
    main()
