"""Files the worker and its fork server make are private to their user (docs/SECURITY.md).

Run: python3 -m unittest test_file_modes
"""

import os
import stat
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "main", "resources", "dev", "snakebridge", "python"))

from snakebridge import arena, bulk, forkserver  # noqa: E402


def mode(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


class FileModes(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        # A permissive umask must not make anything wider: the modes are asked for explicitly.
        self.umask = os.umask(0)

    def tearDown(self):
        os.umask(self.umask)
        for root, dirs, files in os.walk(self.dir, topdown=False):
            for name in files:
                os.unlink(os.path.join(root, name))
            for name in dirs:
                os.rmdir(os.path.join(root, name))
        os.rmdir(self.dir)

    def test_fork_fifo_directories_are_0700(self):
        old = os.environ.get("TMPDIR")
        os.environ["TMPDIR"] = self.dir
        try:
            path = forkserver._make_fifo_dir()
        finally:
            if old is None:
                del os.environ["TMPDIR"]
            else:
                os.environ["TMPDIR"] = old
        self.assertEqual(0o700, mode(path))
        self.assertTrue(os.path.basename(path).startswith("snakebridge-fork-%d-" % os.getpid()))

    def test_buffer_files_are_0600(self):
        path = bulk._write_file(self.dir, b"x" * 4096)
        self.assertEqual(0o600, mode(path))

    def test_arena_slots_are_0600(self):
        slots = arena.SendArena(self.dir, "snakebridge-bulk-", 1 << 20)
        try:
            lease = slots.lease(4096)
            self.assertIsNotNone(lease)
            files = os.listdir(self.dir)
            self.assertEqual(1, len(files))
            self.assertEqual(0o600, mode(os.path.join(self.dir, files[0])))
        finally:
            slots.close()


if __name__ == "__main__":
    unittest.main()
