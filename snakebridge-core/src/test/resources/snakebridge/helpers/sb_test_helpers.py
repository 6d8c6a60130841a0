"""Helper functions the integration tests call in real workers (found on the classpath)."""
import ctypes
import gc
import logging
import os
import sys
import threading
import time


def identity(x):
    return x


def type_name(x):
    t = type(x)
    return t.__module__ + "." + t.__qualname__


def describe(x):
    """Type and repr, to check what a Java value became in Python."""
    return [type_name(x), repr(x)]


def add(a, b):
    return a + b


def echo_args(*args, **kwargs):
    return [list(args), kwargs]


def pid():
    return os.getpid()


def thread_count():
    return threading.active_count()


def noisy(tag):
    """Writes to stdout in every way user code can, then answers."""
    print("print from python", tag)
    sys.stdout.write("sys.stdout.write " + tag + "\n")
    os.write(1, ("os.write fd1 " + tag + "\n").encode())
    libc = ctypes.CDLL(None)
    libc.printf(("C printf " + tag + "\n").encode())
    libc.fflush(None)
    logging.getLogger("sb.test").warning("logging warning %s", tag)
    print("stderr line", tag, file=sys.stderr)
    return "answer " + tag


def exit_now(code):
    os._exit(code)


def segfault():
    ctypes.string_at(0)


def sleep_then(value, seconds):
    time.sleep(seconds)
    return value


def busy_loop(seconds):
    end = time.time() + seconds
    n = 0
    while time.time() < end:
        n += 1
    return n


def make_cycle():
    items = [1]
    items.append(items)
    return items


def with_object(value):
    """A plain container holding a non-plain element: the element comes back as a ref."""
    return [value, Box(value), {"k": Box(value)}]


def live_objects():
    """Objects held for Java across every session of this worker."""
    from snakebridge.objects import ObjectTables
    tables = [o for o in gc.get_objects() if isinstance(o, ObjectTables)]
    return sum(t.count() for t in tables)


def collect():
    gc.collect()
    return None


class Box:
    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value

    def __len__(self):
        return 3

    def __repr__(self):
        return "Box(%r)" % (self.value,)

    def __call__(self, x):
        return self.value + x


class MyInt(int):
    pass


class MyStr(str):
    pass


def subclass_values():
    from collections import OrderedDict
    return [MyInt(5), MyStr("s"), OrderedDict([("b", 1), ("a", 2)]), True]


def live_objects_with(_ref):
    """live_objects(), run on the worker holding `_ref`."""
    return live_objects()


def gil_hog(n):
    """A loop in C that holds the GIL (catastrophic regex backtracking): only killing stops it."""
    import re
    return re.match(r"(a+)+$", "a" * n + "b") is None


def env_var(name):
    return os.environ.get(name)


def utf8_mode():
    return sys.flags.utf8_mode


def emit_events(tag):
    import snakebridge
    snakebridge.emit("python.custom", {"value": 42}, {"tag": tag})
    with snakebridge.span("python.work", {"tag": tag}):
        time.sleep(0.01)
    return "emitted"


# ---- iteration and push streams

def count(n):
    """A generator of 0..n-1."""
    for i in range(n):
        yield i


def naturals():
    """An infinite generator; `pulled` counts how far it was advanced."""
    global pulled
    pulled = 0
    i = 0
    while True:
        pulled += 1
        yield i
        i += 1


pulled = 0


def how_far_pulled():
    return pulled


finally_ran = []


def guarded(n, tag):
    """Yields n items; records `tag` in finally_ran when the generator is closed or ends."""
    try:
        for i in range(n):
            yield i
    finally:
        finally_ran.append(tag)


def did_finally_run(tag):
    return tag in finally_ran


def fails_after(n):
    for i in range(n):
        yield i
    raise ValueError("generator failed after %d items" % n)


def with_nones():
    yield None
    yield 1
    yield None


# ---- context managers

class Recorder:
    """A context manager that records what __exit__ saw and may suppress."""

    last = None

    def __init__(self, suppress):
        self.suppress = suppress
        self.entered = False

    def __enter__(self):
        self.entered = True
        return 42

    def __exit__(self, exc_type, exc, tb):
        Recorder.last = None if exc_type is None else [exc_type.__name__, str(exc)]
        return self.suppress


def last_exit():
    return Recorder.last


# ---- callbacks

def apply(fn, *args, **kwargs):
    return fn(*args, **kwargs)


def nest(fn, depth):
    """Calls fn(depth); Java's fn calls nest again with depth - 1."""
    return fn(depth)


def call_concurrently(fn, n):
    """Calls fn(i) from n Python threads at once; returns the results in order."""
    results = [None] * n
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait()
        results[i] = fn(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def invoke_named(name, *args, **kwargs):
    import snakebridge
    return snakebridge.invoke(name, *args, **kwargs)


def catch_java(fn):
    """Calls fn(); returns what a JavaException said, caught in Python."""
    import snakebridge
    try:
        fn()
        return None
    except snakebridge.JavaException as e:
        return [type(e).__name__, e.java_class, str(e)]


# ---- bulk values (numpy arrays, pandas tables)

def describe_array(a):
    """[type, dtype, shape, memory order, writeable, values] of an array argument."""
    order = "F" if a.flags.f_contiguous and not a.flags.c_contiguous else "C"
    return [type(a).__module__ + "." + type(a).__qualname__, str(a.dtype), list(a.shape), order,
            bool(a.flags.writeable), a.tolist()]


def make_frame():
    import numpy as np
    import pandas as pd
    return pd.DataFrame({
        "f": [1.5, float("nan"), 3.0],
        "i": np.array([1, 2, 3], dtype="int32"),
        "b": [True, False, True],
        "s": ["a", None, "c"],
        "na": pd.array([1, None, 3], dtype="Int64"),
    })


def describe_frame(df):
    """[column names, dtypes, {column: values with NaN as None}] of a DataFrame."""
    import math

    def plain(v):
        return None if isinstance(v, float) and math.isnan(v) else v

    return [[str(c) for c in df.columns], [str(t) for t in df.dtypes],
            {str(c): [plain(v) for v in df[c].tolist()] for c in df.columns}]


def array_then_unencodable(n):
    """A result whose large array is encoded before an element that cannot be."""
    import datetime
    import numpy as np

    class BadTz(datetime.tzinfo):
        def utcoffset(self, dt):
            raise RuntimeError("broken tz")

    return [np.arange(n, dtype=float), datetime.datetime(2020, 1, 1, tzinfo=BadTz())]


def stubborn_box(seconds):
    """Sleeps, ignoring even the cancellation of a timed-out call, then returns a new object."""
    try:
        time.sleep(seconds)
    except BaseException:
        pass
    return Box(seconds)


def slow_items(n, seconds):
    """A generator that waits `seconds` before each of its `n` items."""
    for i in range(n):
        time.sleep(seconds)
        yield i


# --- Faults (FaultSuiteIT) ---------------------------------------------------------------

def pid_after(seconds, token):
    """[this worker's pid, token] after `seconds`: an in-flight call that must survive a fault elsewhere."""
    time.sleep(seconds)
    return [os.getpid(), token]


def real_memory_error(nbytes):
    """A genuine MemoryError from the allocator: the address space is capped just above its use
    for one allocation of `nbytes`, then the cap is lifted again."""
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as f:
        in_use = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    resource.setrlimit(resource.RLIMIT_AS, (in_use + (64 << 20), hard))
    try:
        return len(bytearray(nbytes))
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _protocol_fd():
    """The fd the worker writes its frames to (a private copy of its original stdout)."""
    from snakebridge import protocol
    writers = [o for o in gc.get_objects() if isinstance(o, protocol.FrameWriter)]
    return writers[0]._fd


def write_garbage(then_sleep):
    """Bytes that are no frame on the protocol channel, then a pause so the JVM reads them first."""
    os.write(_protocol_fd(), b"\xff\xff\xff\x7fnot a frame at all" * 4)
    time.sleep(then_sleep)
    return "unreachable"


def write_truncated_frame_and_exit():
    """The start of a frame (a header announcing 4 KiB) and nothing more: the worker dies mid-frame."""
    header = (4096).to_bytes(4, "little") + bytes([2, 0, 0, 0]) + (1).to_bytes(8, "little")
    os.write(_protocol_fd(), header + b"partial")
    os._exit(7)


def flood_stdout(mib):
    """Writes `mib` MiB to stdout in every way user code can, then answers."""
    line = "x" * 1023 + "\n"
    for _ in range(mib * 512):
        sys.stdout.write(line)
    sys.stdout.flush()
    chunk = (line * 64).encode()
    for _ in range(mib * 8):
        os.write(1, chunk)
    return "flooded"


def big_answer(n):
    """A list of n distinct strings: an answer that takes a lot of JVM heap to decode."""
    return ["item-%d-%s" % (i, "y" * 64) for i in range(n)]
