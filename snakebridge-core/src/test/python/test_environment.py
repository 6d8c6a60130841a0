"""Tests of snakebridge.environment, the start-up check's query (stdlib only).

Run: cd snakebridge-core/src/test/python && python3 -m unittest -v test_environment
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.normpath(
    os.path.join(HERE, "..", "..", "main", "resources", "dev", "snakebridge", "python")))

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


if __name__ == "__main__":
    unittest.main()
