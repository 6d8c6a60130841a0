"""Tests of bulk values: NDARRAY, TABLE, shared-memory buffers, op modifiers and BATCH.

Run with the rest: cd snakebridge-core/src/test/python && python3 -m unittest -v test_worker
(test_worker imports this module). Tests that need numpy or pandas skip without them; the
paths for a Python without numpy are tested by hiding numpy from the bulk module.

As in test_worker, what the worker sends is decoded by the independent decoder there
(idecode: NDArr, Tbl), and what the "JVM" sends is built here from the spec.
"""

import os
import shutil
import struct
import tempfile
import unittest

from test_worker import (CALL, METHOD, SESSION, NDArr, PrimArray, Ref, RefIn, Tbl, Worker,
                         WorkerError, _SharedWorkerTest, encode_request, idecode)
from snakebridge import DecodeError, arena, bulk, codec, objects

__all__ = ["BulkCodecTest", "BulkWorkerTest", "BatchTest"]

BATCH = 16
ARRAYS = 0x100  # op modifier: numpy arrays in the result by value

try:
    import numpy
except ImportError:
    numpy = None
try:
    import pandas
except ImportError:
    pandas = None


class NDArrIn:
    """An NDARRAY from the JVM; `directory` set: its bytes go through a shared-memory file."""

    def __init__(self, code, order, shape, data, directory=None):
        self.code, self.order, self.shape, self.data = code, order, tuple(shape), data
        self.directory = directory


class TableIn:
    """A TABLE from the JVM: [(name, kind, bytes or list)]."""

    def __init__(self, nrows, columns, directory=None):
        self.nrows, self.columns, self.directory = nrows, columns, directory


def _put_buffer(buf, data, directory):
    if directory is None:
        buf += struct.pack("<BQ", 0, len(data)) + data
        return
    path = os.path.join(directory, "snakebridge-bulk-%d-%s" % (os.getpid(), os.urandom(8).hex()))
    with open(path, "wb") as f:
        f.write(data)
    encoded = path.encode()
    buf += struct.pack("<BI", 1, len(encoded)) + encoded + struct.pack("<Q", len(data))


def _enc_ndarr_in(buf, v, sink, depth):
    buf += struct.pack("<BBBB", 0x18, ord(v.code), ord(v.order), len(v.shape))
    buf += struct.pack("<%dq" % len(v.shape), *v.shape)
    _put_buffer(buf, v.data, v.directory)


def _enc_table_in(buf, v, sink, depth):
    buf += struct.pack("<BIq", 0x19, len(v.columns), v.nrows)
    for name, kind, values in v.columns:
        data = name.encode()
        buf += struct.pack("<I", len(data)) + data + kind.encode()
        if kind == "s":
            codec.encode_value(buf, values)
        else:
            _put_buffer(buf, values, v.directory)


codec.ENCODERS[NDArrIn] = _enc_ndarr_in  # only in this test process, never in the worker
codec.ENCODERS[TableIn] = _enc_table_in


def doubles(*values):
    return struct.pack("<%dd" % len(values), *values)


def unpack(code, data):
    return list(struct.unpack("<%d%s" % (len(data) // struct.calcsize(code), code), data))


class _Directory:
    """Points bulk.DIRECTORY / THRESHOLD of this process at a private directory for a test."""

    def __init__(self, threshold):
        self.threshold = threshold

    def __enter__(self):
        self.saved = bulk.DIRECTORY, bulk.THRESHOLD, bulk.ARENA
        self.path = os.path.realpath(tempfile.mkdtemp(prefix="sbbulk"))
        # No arena unless a test asks: these tests are about the file-per-transfer fallback.
        bulk.DIRECTORY, bulk.THRESHOLD = self.path, self.threshold
        bulk.ARENA = arena.SendArena(self.path, bulk.FILE_PREFIX, 0)
        return self.path

    def __exit__(self, *exc):
        bulk.ARENA.close()
        bulk.DIRECTORY, bulk.THRESHOLD, bulk.ARENA = self.saved
        shutil.rmtree(self.path, ignore_errors=True)


class _NoNumpy:
    """Makes the codec behave as in a Python without numpy (bulk.numpy_module() gives None)."""

    def __enter__(self):
        self.saved = bulk._numpy, bulk._numpy_tried
        bulk._numpy, bulk._numpy_tried = None, True

    def __exit__(self, *exc):
        bulk._numpy, bulk._numpy_tried = self.saved


def decode(data):
    return codec.decode_value(bytes(data))


def encode_arrays(value, tables=None):
    buf = bytearray()
    codec.encode_value(buf, codec.ArraysByValue(value), tables, SESSION)
    return bytes(buf)


class BulkCodecTest(unittest.TestCase):
    """The codec against hand-built NDARRAY and TABLE bytes, in process."""

    def ndarray_bytes(self, code, order, shape, data):
        buf = bytearray()
        _enc_ndarr_in(buf, NDArrIn(code, order, shape, data), None, 0)
        return bytes(buf)

    @unittest.skipIf(numpy is None, "numpy is not installed")
    def test_ndarray_decodes_to_numpy_with_shape_and_order(self):
        c = decode(self.ndarray_bytes("d", "C", (2, 3), doubles(1, 2, 3, 4, 5, 6)))
        self.assertEqual((c.dtype.str, c.shape), ("<f8", (2, 3)))
        self.assertEqual(c.tolist(), [[1, 2, 3], [4, 5, 6]])
        self.assertTrue(c.flags.writeable)
        f = decode(self.ndarray_bytes("d", "F", (2, 3), doubles(1, 4, 2, 5, 3, 6)))
        self.assertEqual(f.tolist(), [[1, 2, 3], [4, 5, 6]])
        self.assertTrue(f.flags.f_contiguous)
        b = decode(self.ndarray_bytes("?", "C", (3,), b"\x01\x00\x01"))
        self.assertEqual((str(b.dtype), b.tolist()), ("bool", [True, False, True]))
        z = decode(self.ndarray_bytes("q", "C", (), struct.pack("<q", 7)))
        self.assertEqual((z.shape, int(z)), ((), 7))
        e = decode(self.ndarray_bytes("i", "C", (0, 4), b""))
        self.assertEqual((e.shape, str(e.dtype)), ((0, 4), "int32"))

    def test_ndarray_without_numpy(self):
        with _NoNumpy():
            a = decode(self.ndarray_bytes("i", "C", (3,), struct.pack("<3i", 1, -2, 3)))
            self.assertEqual((type(a).__name__, a.typecode, a.tolist()), ("array", "i", [1, -2, 3]))
            b = decode(self.ndarray_bytes("?", "C", (2,), b"\x00\x01"))
            self.assertEqual(b, [False, True])
            m = decode(self.ndarray_bytes("h", "C", (2, 2), struct.pack("<4h", 1, 2, 3, 4)))
            self.assertEqual(m.tolist(), [[1, 2], [3, 4]])
            with self.assertRaises(DecodeError):
                decode(self.ndarray_bytes("d", "F", (2, 2), doubles(1, 2, 3, 4)))

    def test_malformed_ndarray_is_a_decode_error(self):
        for data in (self.ndarray_bytes("x", "C", (1,), b"\x00"),  # unknown dtype
                     self.ndarray_bytes("d", "Z", (1,), doubles(1)),  # unknown order
                     self.ndarray_bytes("d", "C", (-1,), b""),  # negative dimension
                     self.ndarray_bytes("d", "C", (2,), doubles(1)),  # too few bytes
                     self.ndarray_bytes("d", "C", (2,), doubles(1, 2))[:-3]):  # truncated
            with self.assertRaises(DecodeError, msg=data):
                decode(data)

    @unittest.skipIf(numpy is None, "numpy is not installed")
    def test_arrays_by_value_encoding(self):
        data = encode_arrays(numpy.arange(3, dtype="<i4"))
        self.assertEqual(data, b"\x18iC\x01" + struct.pack("<q", 3) + b"\x00"
                         + struct.pack("<Q", 12) + struct.pack("<3i", 0, 1, 2))
        f = idecode(encode_arrays(numpy.asfortranarray(numpy.arange(6.0).reshape(2, 3))))
        self.assertEqual((f.code, f.order, f.shape), ("d", "F", (2, 3)))
        self.assertEqual(unpack("d", f.data), [0, 3, 1, 4, 2, 5])
        strided = idecode(encode_arrays(numpy.arange(10, dtype=numpy.int16)[::3]))
        self.assertEqual((strided.order, unpack("h", strided.data)), ("C", [0, 3, 6, 9]))
        big_endian = idecode(encode_arrays(numpy.array([1.5, 2.5], dtype=">f8")))
        self.assertEqual(unpack("d", big_endian.data), [1.5, 2.5])
        nested = idecode(encode_arrays([1, (numpy.zeros(2, dtype=numpy.uint8), "x")]))
        self.assertEqual(nested[1][0], NDArr("B", "C", (2,), b"\x00\x00", False))

    @unittest.skipIf(numpy is None, "numpy is not installed")
    def test_arrays_stay_refs_unless_asked_and_for_other_dtypes(self):
        tables = objects.ObjectTables()
        buf = bytearray()
        codec.encode_value(buf, numpy.ones(2), tables, SESSION)
        self.assertEqual(idecode(buf).type, "numpy.ndarray")
        for value in (numpy.array([1j]), numpy.array(["a"]), numpy.ma.array([1.0]),
                      numpy.array([1], dtype=numpy.uint16)):
            self.assertIsInstance(idecode(encode_arrays(value, tables)), Ref, value)

    @unittest.skipIf(numpy is None, "numpy is not installed")
    def test_large_buffers_go_through_a_file_that_the_receiver_unlinks(self):
        with _Directory(threshold=64) as directory:
            value = numpy.arange(100.0)
            data = encode_arrays(value)
            self.assertEqual(len(os.listdir(directory)), 1)
            [name] = os.listdir(directory)
            self.assertTrue(name.startswith("snakebridge-bulk-%d-" % os.getpid()), name)
            self.assertEqual(os.stat(os.path.join(directory, name)).st_mode & 0o777, 0o600)
            got = idecode(data)  # reads and unlinks, as the JVM does
            self.assertTrue(got.shared)
            self.assertEqual(unpack("d", got.data), value.tolist())
            self.assertEqual(os.listdir(directory), [])
            small = idecode(encode_arrays(numpy.arange(4.0)))
            self.assertFalse(small.shared)

    @unittest.skipIf(numpy is None, "numpy is not installed")
    def test_incoming_shared_buffer_is_mapped_writable_and_unlinked(self):
        with _Directory(threshold=64) as directory:
            buf = bytearray()
            _enc_ndarr_in(buf, NDArrIn("d", "C", (2, 2), doubles(1, 2, 3, 4), directory), None, 0)
            self.assertEqual(len(os.listdir(directory)), 1)
            arr = decode(buf)
            self.assertEqual(os.listdir(directory), [])
            self.assertEqual(arr.tolist(), [[1, 2], [3, 4]])
            arr[0, 0] = 9  # a private, writable array now
            self.assertEqual(arr[0, 0], 9)

    @unittest.skipIf(numpy is None, "numpy is not installed")
    def test_a_failed_encoding_unlinks_its_files(self):
        class BadTz(__import__("datetime").tzinfo):
            def utcoffset(self, dt):
                raise RuntimeError("broken tz")

        with _Directory(threshold=64) as directory:
            bad = __import__("datetime").datetime(2020, 1, 1, tzinfo=BadTz())
            with self.assertRaises(RuntimeError):
                encode_arrays([numpy.arange(100.0), bad], objects.ObjectTables())
            self.assertEqual(os.listdir(directory), [])
            # A ref after the array: encoded once, with a sink from the start (no second file).
            data = encode_arrays([numpy.arange(100.0), object()], objects.ObjectTables())
            self.assertEqual(len(os.listdir(directory)), 1)
            got = idecode(data)
            self.assertEqual((got[0].shape, got[1].type), ((100,), "builtins.object"))
            self.assertEqual(os.listdir(directory), [])

    def test_large_bytes_and_str_go_through_a_file(self):
        with _Directory(threshold=64) as directory:
            for value, tag in ((b"\x00\xff" * 40, 0x1A), (bytearray(b"ab" * 40), 0x1A),
                               ("x\u00e9\U0001F600" * 10, 0x1B)):
                buf = bytearray()
                codec.encode_value(buf, [value], objects.ObjectTables(), SESSION)
                self.assertEqual((buf[5], len(os.listdir(directory))), (tag, 1), value)
                self.assertEqual(idecode(buf), [value])  # reads and unlinks, as the JVM does
                self.assertEqual(os.listdir(directory), [])
                codec.encode_value(buf := bytearray(), value, objects.ObjectTables(), SESSION)
                self.assertEqual(decode(buf), value)  # and the worker reads it back
                self.assertEqual(os.listdir(directory), [])
                # No session (a LOG, an ERROR): the JVM may read it without the shared directory.
                codec.encode_value(buf := bytearray(), value)
                self.assertEqual((buf[0], len(os.listdir(directory))), ({0x1A: 0x07, 0x1B: 0x06}[tag], 0), value)
                self.assertEqual(idecode(buf), value)
            small = bytearray()
            codec.encode_value(small, ["x" * 63, b"y" * 63], objects.ObjectTables(), SESSION)
            self.assertEqual(idecode(small), ["x" * 63, b"y" * 63])
            self.assertEqual(os.listdir(directory), [])

    def test_large_bytes_before_a_ref_or_a_failure_leave_no_file(self):
        class BadTz(__import__("datetime").tzinfo):
            def utcoffset(self, dt):
                raise RuntimeError("broken tz")

        with _Directory(threshold=64) as directory:
            bad = __import__("datetime").datetime(2020, 1, 1, tzinfo=BadTz())
            with self.assertRaises(RuntimeError):
                codec.encode_value(bytearray(), [b"x" * 100, bad], objects.ObjectTables(), SESSION)
            self.assertEqual(os.listdir(directory), [])
            # The optimistic pass restarts for the ref: the bytes are written once, not twice.
            buf = bytearray()
            codec.encode_value(buf, [b"x" * 100, object()], objects.ObjectTables(), SESSION)
            self.assertEqual(len(os.listdir(directory)), 1)
            got = idecode(buf)
            self.assertEqual((got[0], got[1].type), (b"x" * 100, "builtins.object"))
            self.assertEqual(os.listdir(directory), [])

    def test_foreign_or_missing_paths_are_refused(self):
        with _Directory(threshold=64) as directory:
            for path in ("/etc/passwd", os.path.join(directory, "other-file"),
                         os.path.join(directory, "..", "snakebridge-bulk-1-00")):
                encoded = path.encode()
                data = (b"\x18dC\x01" + struct.pack("<q", 1) + struct.pack("<BI", 1, len(encoded))
                        + encoded + struct.pack("<Q", 8))
                with self.assertRaisesRegex(DecodeError, "refusing", msg=path):
                    decode(data)
            gone = os.path.join(directory, "snakebridge-bulk-1-0123456789abcdef").encode()
            data = (b"\x18dC\x01" + struct.pack("<q", 1) + struct.pack("<BI", 1, len(gone))
                    + gone + struct.pack("<Q", 8))
            with self.assertRaisesRegex(DecodeError, "gone"):
                decode(data)

    def test_stale_files_are_swept(self):
        with _Directory(threshold=1) as directory:
            path = bulk.write_shared(memoryview(b"abc"))
            self.assertEqual(bulk.sweep_stale(max_age=3600), 0)
            self.assertTrue(os.path.exists(path))
            self.assertEqual(bulk.sweep_stale(max_age=0), 1)
            self.assertEqual(os.listdir(directory), [])

    def test_table_from_the_jvm(self):
        table = TableIn(2, [("x", "d", doubles(1.5, float("nan"))), ("n", "q", struct.pack("<2q", 1, -2)),
                            ("b", "?", b"\x01\x00"), ("s", "s", ["a", None])])
        buf = bytearray()
        _enc_table_in(buf, table, None, 0)
        value = decode(buf)
        if pandas is None:
            self.assertEqual(list(value), ["x", "n", "b", "s"])
            self.assertEqual(value["s"], ["a", None])
            self.assertEqual(list(value["n"]), [1, -2])
            self.assertEqual([bool(x) for x in value["b"]], [True, False])
            return
        self.assertIsInstance(value, pandas.DataFrame)
        self.assertEqual([str(t) for t in value.dtypes], ["float64", "int64", "bool", "object"])
        self.assertEqual(value["s"].tolist(), ["a", None])
        self.assertEqual(value["n"].tolist(), [1, -2])
        self.assertTrue(numpy.isnan(value["x"][1]))

    def test_mutated_and_truncated_bulk_values_fail_cleanly(self):
        import random
        seeds = [self.ndarray_bytes("d", "C", (2, 2), doubles(1, 2, 3, 4))]
        buf = bytearray()
        _enc_table_in(buf, TableIn(2, [("x", "d", doubles(1, 2)), ("s", "s", ["a", None]),
                                       ("b", "?", b"\x01\x00")]), None, 0)
        seeds.append(bytes(buf))
        rnd = random.Random(7)
        with _Directory(threshold=1 << 20):
            for i in range(5000):
                seed = seeds[i % len(seeds)]
                data = bytearray(seed[:rnd.randint(0, len(seed))])
                for _ in range(rnd.randint(0, 3)):
                    if len(data) > 1:
                        data[rnd.randrange(1, len(data))] = rnd.randrange(256)
                try:
                    decode(data)
                except DecodeError:
                    pass

    def test_malformed_tables_are_decode_errors(self):
        for table in (TableIn(2, [("x", "d", doubles(1.5))]),  # too few bytes
                      TableIn(1, [("s", "s", ["a", 1])]),  # not a string
                      TableIn(1, [("s", "s", ["a", "b"])]),  # wrong length
                      TableIn(1, [("z", "z", b"")]),  # unknown kind
                      TableIn(1, [("x", "q", struct.pack("<q", 1)), ("x", "q", struct.pack("<q", 2))])):
            buf = bytearray()
            _enc_table_in(buf, table, None, 0)
            with self.assertRaises(DecodeError, msg=table.columns):
                decode(buf)


class BulkWorkerTest(_SharedWorkerTest):
    """Arrays and tables through a real worker, with a private shared directory."""

    @classmethod
    def setUpClass(cls):
        cls.directory = os.path.realpath(tempfile.mkdtemp(prefix="sbbulkw"))
        cls.worker = Worker(env={"SNAKEBRIDGE_BULK_DIR": cls.directory, "SNAKEBRIDGE_BULK_THRESHOLD": "4096",
                                 "SNAKEBRIDGE_BULK_ARENA_BYTES": "0"})

    @classmethod
    def tearDownClass(cls):
        cls.worker.close()
        shutil.rmtree(cls.directory, ignore_errors=True)

    def setUp(self):
        if not self.worker.hello["numpy"]:
            self.skipTest("numpy is not installed for this Python")

    def tearDown(self):
        _SharedWorkerTest.tearDown(self)
        self.assertEqual(os.listdir(self.directory), [], "shared-memory files left behind")

    def call_arrays(self, module, function, *args, **kwargs):
        return self.worker.request(CALL | ARRAYS, module, function, list(args), kwargs)

    def test_results_by_value_only_when_asked(self):
        w = self.worker
        self.assertIsInstance(w.call("numpy", "arange", 6.0), Ref)
        a = self.call_arrays("numpy", "ones", (2, 3), order="F", dtype="int32")
        self.assertEqual((a.code, a.order, a.shape, a.shared), ("i", "F", (2, 3), False))
        self.assertEqual(unpack("i", a.data), [1] * 6)
        pair = self.call_arrays("numpy", "divmod", PrimArray("q", [7, 9]), 2)
        self.assertEqual([unpack("q", x.data) for x in pair], [[3, 4], [1, 1]])
        self.assertIsInstance(self.call_arrays("numpy", "array", [1j]), Ref)

    def test_large_results_come_through_shared_memory(self):
        a = self.call_arrays("numpy", "arange", 100000.0)
        self.assertTrue(a.shared)
        self.assertEqual(len(a.data), 800000)
        self.assertEqual(unpack("d", a.data)[-1], 99999.0)

    def test_large_arguments_come_through_shared_memory(self):
        data = doubles(*range(1000))
        arr = NDArrIn("d", "C", (10, 100), data, self.directory)
        self.assertEqual(self.worker.call("numpy", "sum", arr), sum(range(1000)))
        shape = self.worker.call("sbtest_helpers", "identity", NDArrIn("d", "F", (10, 100), data, self.directory))
        self.assertEqual(shape.type, "numpy.ndarray")
        info = self.worker.request(METHOD, RefIn(shape), "__getitem__", [(1, 0)], {})
        self.assertEqual(info, 1.0)  # F order: element (1, 0) is the second one in memory

    def test_large_bytes_and_str_results_and_arguments(self):
        w = self.worker
        self.assertEqual(w.call("operator", "mul", b"\x00\x01\xfe", 5000), b"\x00\x01\xfe" * 5000)
        self.assertEqual(w.call("operator", "mul", "a\u00e9\u20ac", 5000), "a\u00e9\u20ac" * 5000)
        self.assertEqual(w.call("builtins", "len", "\u20ac" * 10000), 10000)
        self.assertEqual(w.call("builtins", "len", bytes(100000)), 100000)

    def test_a_result_too_large_for_a_frame_is_an_error_and_the_worker_serves_on(self):
        # 270,000 bytes values of 4,000 bytes, each below the threshold: a frame over 1 GiB.
        # Generous timeout: building 1 GiB takes seconds on a busy machine.
        err = self.assertError("ValueError", self.worker.request, CALL, "operator", "mul",
                               [[b"x" * 4000], 270000], {}, timeout=300)
        self.assertIn("too large to send", err.message)
        self.assertIn("%d bytes one frame may hold" % (1 << 30), err.message)
        self.assertEqual(self.worker.call("math", "sqrt", 16), 4.0)

    def test_a_missing_file_is_a_decode_error(self):
        gone = os.path.join(self.directory, "snakebridge-bulk-1-0123456789abcdef").encode()
        payload = (b"\x18dC\x01" + struct.pack("<q", 1) + struct.pack("<BI", 1, len(gone))
                   + gone + struct.pack("<Q", 8))
        self.assertError("DecodeError", self.worker.call, "numpy", "sum", codec.Encoded(payload))

    def test_to_ndarray(self):
        w = self.worker
        ref = w.call("numpy", "eye", 2)
        a = self.call_arrays("snakebridge.bulk", "to_ndarray", RefIn(ref))
        self.assertEqual((a.code, a.shape, unpack("d", a.data)), ("d", (2, 2), [1, 0, 0, 1]))
        lst = self.call_arrays("snakebridge.bulk", "to_ndarray", [[1, 2], [3, 4]])
        self.assertEqual((lst.code, lst.shape), ("q", (2, 2)))
        err = self.assertError("TypeError", self.call_arrays, "snakebridge.bulk", "to_ndarray",
                               RefIn(w.call("numpy", "array", [1j])))
        self.assertIn("complex128", err.message)

    def test_unknown_op_modifiers_are_refused(self):
        self.assertError("ValueError", self.worker.request, CALL | 0x8000, "math", "sqrt", [4], {})
        self.assertError("ValueError", self.worker.request, 0x1FF, "math", "sqrt", [4], {})

    @unittest.skipIf(pandas is None, "pandas is not installed")
    def test_to_table(self):
        w = self.worker
        nullable = w.call("pandas", "array", [1, None, 3], dtype="Int64")
        dates = w.call("pandas", "to_datetime", ["2024-01-02", None, "2024-03-04"])
        frame = w.call("pandas", "DataFrame", {
            "f": [1.5, float("nan"), -0.0], "i": [1, 2, 3], "b": [True, False, True],
            "s": ["a", None, "c"], "na": RefIn(nullable), "d": RefIn(dates), 7: ["x", "y", "z"]})
        t = w.call("snakebridge.bulk", "to_table", RefIn(frame))
        self.assertIsInstance(t, Tbl)
        self.assertEqual(t.nrows, 3)
        names = [c[0] for c in t.columns]
        kinds = {c[0]: c[1] for c in t.columns}
        values = {c[0]: c[2] for c in t.columns}
        self.assertEqual(names, ["f", "i", "b", "s", "na", "d", "7"])
        self.assertEqual(kinds, {"f": "d", "i": "q", "b": "?", "s": "s", "na": "d", "d": "s", "7": "s"})
        f = unpack("d", values["f"])
        self.assertEqual(f[0], 1.5)
        self.assertNotEqual(f[1], f[1])
        self.assertEqual(unpack("q", values["i"]), [1, 2, 3])
        self.assertEqual(values["b"], b"\x01\x00\x01")
        self.assertEqual(values["s"], ["a", None, "c"])
        self.assertEqual(unpack("d", values["na"])[0::2], [1.0, 3.0])
        self.assertEqual(values["d"], ["2024-01-02 00:00:00", None, "2024-03-04 00:00:00"])
        self.assertError("TypeError", w.call, "snakebridge.bulk", "to_table", [1, 2])
        dup = w.call("pandas", "DataFrame", [[1, 2]], columns=["a", "a"])
        self.assertError("ValueError", w.call, "snakebridge.bulk", "to_table", RefIn(dup))

    @unittest.skipIf(pandas is None, "pandas is not installed")
    def test_table_round_trip_through_shared_memory(self):
        w = self.worker
        n = 1000  # 8000 bytes per numeric column: above the 4096 threshold
        table = TableIn(n, [("x", "d", doubles(*range(n))), ("k", "q", struct.pack("<%dq" % n, *range(n))),
                            ("ok", "?", bytes(n)), ("name", "s", ["r%d" % i for i in range(n)])],
                        self.directory)
        frame = w.call("snakebridge.bulk", "from_table", table)
        self.assertEqual(frame.type, "pandas.core.frame.DataFrame")
        self.assertEqual(w.request(METHOD, RefIn(frame), "__len__", [], {}), n)
        back = w.call("snakebridge.bulk", "to_table", RefIn(frame))
        self.assertEqual([c[0] for c in back.columns], ["x", "k", "ok", "name"])
        self.assertEqual(unpack("d", back.columns[0][2])[-1], n - 1)
        self.assertEqual(unpack("q", back.columns[1][2])[-1], n - 1)
        self.assertEqual(back.columns[3][2][-1], "r%d" % (n - 1))
        self.assertError("TypeError", w.call, "snakebridge.bulk", "from_table", [1])


class BatchTest(_SharedWorkerTest):
    """BATCH: several requests in one, each failure isolated."""

    def batch(self, *calls, session=SESSION):
        payloads = [encode_request(op, session, operands) if isinstance(operands, list) else operands
                    for op, operands in calls]
        return self.worker.request(BATCH, payloads, session=session)

    def test_results_in_order_with_failures_isolated(self):
        w = self.worker
        pattern = w.call("re", "compile", "a+")
        out = self.batch(
            (CALL, ["math", "sqrt", [16], {}]),
            (CALL, ["math", "log", [-1], {}]),
            (METHOD, [RefIn(pattern), "findall", ["caab"], {}]),
            (METHOD, [RefIn("no-such-ref"), "x", [], {}]),
            (CALL, ["sbtest_helpers", "broken_datetime", [], {}]),
            (CALL, ["fractions", "Fraction", [1, 3], {}]),
            (CALL, ["math", "factorial", [5], {}]))
        self.assertEqual(out[0], [True, 4.0])
        self.assertEqual(out[1][0], False)
        self.assertEqual(out[1][1][:2], ["ValueError", "builtins.ValueError"])
        self.assertEqual(out[2], [True, ["aa"]])
        self.assertEqual(out[3][1][0], "RefNotFound")
        self.assertEqual((out[4][0], out[4][1][0]), (False, "RuntimeError"))
        self.assertEqual((out[5][0], out[5][1].type), (True, "fractions.Fraction"))
        self.assertEqual(out[6], [True, 120])
        # The ref made inside the batch belongs to the session and works afterwards.
        self.assertEqual(w.request(METHOD, RefIn(out[5][1]), "__float__", [], {}), 1 / 3)

    def test_error_details_and_modifiers_per_call(self):
        if not self.worker.hello["numpy"]:
            self.skipTest("numpy is not installed for this Python")
        out = self.batch(
            (CALL | ARRAYS, ["numpy", "arange", [3], {}]),
            (CALL, ["numpy", "arange", [3], {}]),
            (CALL, ["numpy", "dot", [PrimArray("d", [1, 2, 3]), PrimArray("d", [1, 2])], {}]))
        self.assertEqual(out[0][1], NDArr("q", "C", (3,), struct.pack("<3q", 0, 1, 2), False))
        self.assertIsInstance(out[1][1], Ref)
        self.assertEqual(out[2][1][5], {"arg_shapes": [[3], [2]], "arg_dtypes": ["float64", "float64"]})

    def test_what_cannot_be_batched(self):
        inner = encode_request(BATCH, SESSION, [[]])
        out = self.batch((None, inner), (None, b"\x00"), (None, "not bytes"),
                         (CALL, ["math", "sqrt", [4], {}]))
        self.assertEqual([o[0] for o in out], [False, False, False, True])
        self.assertEqual([o[1][0] for o in out[:3]], ["ValueError", "DecodeError", "TypeError"])
        other_session = encode_request(CALL, "other", ["math", "sqrt", [4], {}])
        self.assertEqual(self.batch((None, other_session))[0][1][0], "ValueError")
        self.assertEqual(self.batch(), [])


class NoRoomTest(unittest.TestCase):
    """A shared directory without room (a container's full /dev/shm): reservation fails cleanly and
    buffers go through the fallback directory, which the receiver accepts. ContainerIT does the same
    with a real full tmpfs."""

    def setUp(self):
        self.fallback = os.path.realpath(tempfile.mkdtemp(prefix="sbfallback"))
        self.saved = bulk._fallback[:], bulk._free_bytes, bulk._warned[:]
        bulk._fallback[:] = [self.fallback]

    def tearDown(self):
        bulk._fallback[:], bulk._free_bytes, bulk._warned[:] = self.saved
        shutil.rmtree(self.fallback, ignore_errors=True)

    def test_a_full_directory_sends_through_the_fallback(self):
        with _Directory(threshold=64) as directory:
            bulk.ARENA = arena.SendArena(directory, bulk.FILE_PREFIX, 1 << 30)
            bulk._free_bytes = lambda: 0
            path = bulk.write_shared(memoryview(b"y" * 1000))
            self.assertEqual(os.path.dirname(path), self.fallback)
            self.assertIsNone(bulk.write_slot(memoryview(b"y" * 1000)), "no slot without room")
            self.assertEqual(bytes(bulk.map_shared(path, 1000)), b"y" * 1000)
            self.assertFalse(os.path.exists(path), "unlinked by its receiver")
            self.assertEqual(os.listdir(directory), [])
            self.assertEqual(bulk._warned, [True])

    def test_a_slot_that_cannot_be_reserved_is_not_made(self):
        with _Directory(threshold=64) as directory:
            saved = arena.reserve

            def full(fd, size):
                raise OSError(28, "No space left on device")

            arena.reserve = full
            try:
                self.assertIsNone(arena.SendArena(directory, bulk.FILE_PREFIX, 1 << 30).lease(4096))
            finally:
                arena.reserve = saved
            self.assertEqual(os.listdir(directory), [], "the half-made slot is removed")

    def test_slots_have_every_page_allocated(self):
        with _Directory(threshold=64) as directory:
            a = arena.SendArena(directory, bulk.FILE_PREFIX, 1 << 30)
            token, path, gen, view = a.lease(3 << 20)
            self.assertGreaterEqual(os.stat(path).st_blocks * 512, arena.DATA_OFFSET + (3 << 20))
            a.close()

    def test_fallback_files_of_other_names_are_refused(self):
        with _Directory(threshold=64):
            other = os.path.join(self.fallback, "notes.txt")
            with open(other, "w") as f:
                f.write("keep me")
            with self.assertRaisesRegex(DecodeError, "refusing"):
                bulk.map_shared(other, 1)
            self.assertTrue(os.path.exists(other))
