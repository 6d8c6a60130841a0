"""The arena of reusable shared-memory slots (arena.py), and the codec over it, in process.

The other side of each slot is played by a second mapping of the same file (as the JVM would
map it), or by the codec's own receiving side.
"""

import gc
import os
import shutil
import tempfile
import threading
import unittest

import test_worker  # noqa: F401  (puts the worker package on sys.path)
from snakebridge import DecodeError, arena, bulk, codec

try:
    import numpy
except ImportError:
    numpy = None

MIB = 1 << 20


class ArenaTest(unittest.TestCase):
    def setUp(self):
        self.directory = os.path.realpath(tempfile.mkdtemp(prefix="sbarena"))
        self.arena = arena.SendArena(self.directory, "snakebridge-bulk-", 8 * MIB)
        self.peer = arena.ReceiveSlots(lambda p: p)

    def tearDown(self):
        self.arena.close()
        self.assertEqual(os.listdir(self.directory), [], "slot files left behind")
        shutil.rmtree(self.directory, ignore_errors=True)

    def receive(self, path, gen, n):
        return self.peer.take(path, gen, n, lambda mm, off, n: memoryview(mm)[off:off + n])

    def test_a_released_slot_is_reused_without_a_new_file(self):
        token, path, gen, view = self.arena.lease(MIB)
        view[:4] = b"abcd"
        got = self.receive(path, gen, MIB)
        self.assertEqual(bytes(got[:4]), b"abcd")
        self.assertIsNone(self.arena.settle(token))  # claimed: not retired
        del got
        gc.collect()
        token2, path2, gen2, view2 = self.arena.lease(MIB - 10)
        self.assertEqual((path2, gen2), (path, gen + 1))
        self.assertEqual((self.arena.created, self.arena.retired), (1, 0))

    def test_a_slot_in_use_is_not_handed_out_twice(self):
        _, path, gen, _ = self.arena.lease(MIB)
        view = self.receive(path, gen, MIB)
        _, path2, _, _ = self.arena.lease(MIB)
        self.assertNotEqual(path2, path)
        self.assertEqual(len(os.listdir(self.directory)), 2)
        del view

    def test_exhaustion_gives_none_and_release_makes_room(self):
        held = []
        for _ in range(4):
            _, path, gen, _ = self.arena.lease(2 * MIB)
            held.append(self.receive(path, gen, 2 * MIB))
        self.assertIsNone(self.arena.lease(2 * MIB))  # the cap is reached: the caller writes a file
        self.assertIsNone(self.arena.lease(9 * MIB))  # larger than the whole arena
        held.pop()
        gc.collect()
        self.assertIsNotNone(self.arena.lease(2 * MIB))

    def test_free_slots_of_the_wrong_size_make_room_for_a_new_one(self):
        for _ in range(2):
            _, path, gen, _ = self.arena.lease(3 * MIB)
            del _
            self.receive(path, gen, 3 * MIB)  # released at once: the view is dropped
        gc.collect()
        _, path, gen, _ = self.arena.lease(7 * MIB)
        self.assertGreaterEqual(self.arena.retired, 1)
        self.assertLessEqual(self.arena.total(), 8 * MIB)

    def test_unclaimed_lease_is_retired_not_reused(self):
        token, path, gen, view = self.arena.lease(MIB)
        view[:1] = b"x"
        self.arena.settle(token)  # the transfer failed before its receiver came
        self.assertFalse(os.path.exists(path))
        self.assertEqual(self.arena.retired, 1)

    def test_a_late_reader_of_a_retired_slot_still_sees_its_bytes(self):
        token, path, gen, view = self.arena.lease(MIB)
        view[:3] = b"abc"
        mm, words = self.peer._map(path, 3)  # mapped by the receiver in an earlier transfer
        self.arena.settle(token)  # unclaimed when the call ended: retired, never reused
        self.assertFalse(os.path.exists(path))
        self.assertEqual(bytes(mm[arena.DATA_OFFSET:arena.DATA_OFFSET + 3]), b"abc")
        self.assertEqual(words[arena.RETIRED], 1)
        del words
        with self.assertRaises(FileNotFoundError):
            self.receive(path, gen, 3)  # not mapped yet: the file is gone

    def test_a_stale_lease_is_refused_by_the_receiver(self):
        _, path, gen, _ = self.arena.lease(MIB)
        with self.assertRaisesRegex(ValueError, "taken back"):
            self.receive(path, gen + 1, 10)

    def test_sweep_retires_old_unclaimed_leases_and_forgets_claimed_ones(self):
        _, path, gen, _ = self.arena.lease(MIB)
        _, path2, gen2, _ = self.arena.lease(MIB)
        kept = self.receive(path2, gen2, 10)
        self.assertEqual(self.arena.sweep(max_age=3600), 0)
        self.assertEqual(self.arena.sweep(max_age=0), 1)
        self.assertFalse(os.path.exists(path))
        self.assertTrue(os.path.exists(path2))
        self.assertEqual(self.arena.leases, {})
        del kept

    def test_concurrent_leases_never_share_a_slot(self):
        seen, errors = [], []

        def work():
            try:
                for i in range(50):
                    leased = self.arena.lease(MIB)
                    if leased is None:
                        continue
                    token, path, gen, view = leased
                    stamp = os.urandom(8)
                    view[:8] = stamp
                    got = self.receive(path, gen, MIB)
                    if bytes(got[:8]) != stamp:
                        errors.append("slot %s overwritten" % path)
                    seen.append(path)
                    del got
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertLessEqual(self.arena.created, 8)


@unittest.skipIf(numpy is None, "numpy is not installed")
class ArenaCodecTest(unittest.TestCase):
    """Arrays through the codec with an arena: the encoder leases, the decoder views and gives back."""

    def setUp(self):
        self.saved = bulk.DIRECTORY, bulk.THRESHOLD, bulk.ARENA, bulk.RECEIVED
        self.directory = os.path.realpath(tempfile.mkdtemp(prefix="sbarenac"))
        bulk.DIRECTORY, bulk.THRESHOLD = self.directory, 1024
        bulk.ARENA = arena.SendArena(self.directory, bulk.FILE_PREFIX, 16 * MIB)
        bulk.RECEIVED = arena.ReceiveSlots(bulk._checked_path)

    def tearDown(self):
        bulk.ARENA.close()
        bulk.DIRECTORY, bulk.THRESHOLD, bulk.ARENA, bulk.RECEIVED = self.saved
        shutil.rmtree(self.directory, ignore_errors=True)

    def round_trip(self, value):
        buf = bytearray()
        codec.encode_value(buf, codec.ArraysByValue(value), None, "s")
        return codec.decode_value(bytes(buf))

    def test_views_keep_their_slot_until_they_die(self):
        first = self.round_trip(numpy.arange(100000.0))
        column = first.reshape(1000, 100)[:, 3]  # a view of a view
        del first
        gc.collect()
        second = self.round_trip(numpy.ones(100000))  # the first slot is still held: a new one
        self.assertEqual(bulk.ARENA.created, 2)
        self.assertEqual(column[:3].tolist(), [3.0, 103.0, 203.0])
        del column, second
        gc.collect()
        for _ in range(20):
            again = self.round_trip(numpy.full(100000, 7.0))
            self.assertEqual(float(again.sum()), 700000.0)
            del again
        self.assertEqual(bulk.ARENA.created, 2)  # reused from then on

    def test_exhaustion_falls_back_to_files(self):
        held = [self.round_trip(numpy.zeros(MIB // 8 * 5)) for _ in range(3)]  # 3 × 5 MiB of 16
        self.assertEqual(bulk.ARENA.created, 3)
        more = self.round_trip(numpy.arange(MIB // 8 * 5, dtype=numpy.float64))
        self.assertEqual(float(more[-1]), MIB // 8 * 5 - 1)
        self.assertEqual(bulk.ARENA.created, 3)  # the fourth went through a file
        del held, more

    def test_a_decode_error_on_a_stale_lease(self):
        buf = bytearray()
        codec.encode_value(buf, codec.ArraysByValue(numpy.arange(1000.0)), None, "s")
        # Bump the lease number the descriptor carries: the receiver must refuse it.
        gen_at = bytes(buf).index(bulk.ARENA.slots[0].path.encode()) + len(bulk.ARENA.slots[0].path)
        buf[gen_at] += 1
        with self.assertRaisesRegex(DecodeError, "taken back"):
            codec.decode_value(bytes(buf))


if __name__ == "__main__":
    unittest.main()
