"""Tests of snakebridge.environment, the start-up check's query (stdlib only).

Run: cd snakebridge-core/src/test/python && python3 -m unittest -v test_environment
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
WORKER_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "main", "resources", "dev", "snakebridge", "python"))
sys.path.insert(0, WORKER_DIR)

from snakebridge import environment  # noqa: E402


class DescribeTest(unittest.TestCase):
    def test_reports_this_interpreter(self):
        answer = environment.describe([], [])
        self.assertEqual(answer["executable"], sys.executable)
        self.assertEqual(answer["python"], "%d.%d.%d" % sys.version_info[:3])

    def test_an_installed_distribution_has_its_version_and_a_missing_one_none(self):
        import importlib.metadata
        pip_version = importlib.metadata.version("pip")
        answer = environment.describe(["pip", "no-such-distribution-anywhere"], [])
        self.assertEqual(answer["distributions"], {"pip": pip_version, "no-such-distribution-anywhere": None})

    def test_an_import_name_is_looked_up_through_the_distribution_that_provides_it(self):
        import importlib.metadata
        answer = environment.describe([], ["pip", "no_such_module_anywhere"])
        self.assertEqual(answer["imports"]["pip"], importlib.metadata.version("pip"))
        self.assertIsNone(answer["imports"]["no_such_module_anywhere"])

    def test_no_library_is_imported(self):
        before = set(sys.modules)
        environment.describe(["numpy"], ["numpy"])
        self.assertNotIn("numpy", set(sys.modules) - before)


class OldInterpreterTest(unittest.TestCase):
    def test_the_boot_script_refuses_python_older_than_3_9_with_a_sentence(self):
        import subprocess
        boot = os.path.join(WORKER_DIR, "snakebridge_boot.py")
        pretend = ("import runpy, sys; sys.version_info = (3, 8, 10, 'final', 0); "
                   "runpy.run_path(%r, run_name='__main__')" % boot)
        done = subprocess.run([sys.executable, "-c", pretend], capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 3)
        self.assertIn("SnakeBridge needs Python 3.9 or later", done.stderr)
        self.assertIn("is Python 3.8.10", done.stderr)
        self.assertIn("SNAKEBRIDGE_PYTHON", done.stderr)


if __name__ == "__main__":
    unittest.main()
