"""The worker stays within Python 3.9, the oldest version the README promises.

No 3.9 interpreter can be installed where the tests run, so this checks the source instead:
every worker file parses with the 3.9 grammar, imports only modules that 3.9's standard
library has (or optional libraries it guards), and uses none of the names that later
versions added and that are easy to reach for. Run: python3 -m unittest test_compat
"""

import ast
import os
import sys
import unittest

WORKER_ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "main", "resources", "dev", "snakebridge", "python")

# Standard-library modules of 3.9 the worker may import. A new import fails this test until it
# is checked against https://docs.python.org/3.9/py-modindex.html and added here.
STDLIB_39 = {
    "_signal", "array", "atexit", "collections", "contextvars", "ctypes", "datetime", "decimal", "faulthandler",
    "fractions", "functools", "gc", "importlib", "inspect", "io", "itertools", "logging", "math", "mmap",
    "operator", "os", "pathlib", "platform", "queue", "re", "resource", "select", "signal", "struct", "sys",
    "tempfile", "threading", "time", "traceback", "types", "uuid", "weakref",
}
# Imported only inside try/except ImportError or when the user's code brought them in.
OPTIONAL = {"numpy", "opentelemetry", "pandas", "pyarrow", "torch"}
OWN = {"snakebridge", "snakebridge_boot", "snakebridge_forkserver"}

# Names added after 3.9 (attribute, function or keyword argument) that would fail on 3.9.
AFTER_39 = {
    "bit_count": "int.bit_count (3.10)",
    "pairwise": "itertools.pairwise (3.10)",
    "aiter": "aiter (3.10)",
    "anext": "anext (3.10)",
    "stdlib_module_names": "sys.stdlib_module_names (3.10)",
    "orig_argv": "sys.orig_argv (3.10)",
    "eventfd": "os.eventfd (3.10)",
    "splice": "os.splice (3.10)",
    "ExceptionGroup": "ExceptionGroup (3.11)",
    "TaskGroup": "asyncio.TaskGroup (3.11)",
    "cbrt": "math.cbrt (3.11)",
    "exp2": "math.exp2 (3.11)",
    "batched": "itertools.batched (3.12)",
    "add_note": "BaseException.add_note (3.11)",
    "process_cpu_count": "os.process_cpu_count (3.13)",
    "UTC": "datetime.UTC (3.11)",
}
AFTER_39_KEYWORDS = {
    ("zip", "strict"): "zip(strict=) (3.10)",
    ("dataclass", "slots"): "dataclass(slots=) (3.10)",
    ("dataclass", "kw_only"): "dataclass(kw_only=) (3.10)",
    ("mkstemp", "delete_on_close"): "delete_on_close (3.12)",
}


def worker_files():
    for directory, _, names in os.walk(WORKER_ROOT):
        for name in sorted(names):
            if name.endswith(".py"):
                yield os.path.join(directory, name)


def parse(path):
    with open(path, encoding="utf-8") as f:
        return ast.parse(f.read(), filename=path, feature_version=(3, 9))


def imported_modules(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0], node.lineno


def later_names(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in AFTER_39:
            yield AFTER_39[node.attr], node.lineno
        elif isinstance(node, ast.Name) and node.id in AFTER_39:
            yield AFTER_39[node.id], node.lineno
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            for keyword in node.keywords:
                if (name, keyword.arg) in AFTER_39_KEYWORDS:
                    yield AFTER_39_KEYWORDS[(name, keyword.arg)], node.lineno
        elif type(node).__name__ in ("Match", "TryStar", "TypeAlias"):
            yield type(node).__name__ + " statement (3.10+)", node.lineno


class Python39Compatibility(unittest.TestCase):
    def test_there_are_worker_files(self):
        self.assertGreater(len(list(worker_files())), 10)

    def test_every_worker_file_parses_with_the_39_grammar(self):
        for path in worker_files():
            with self.subTest(path=os.path.relpath(path, WORKER_ROOT)):
                parse(path)  # SyntaxError on anything newer (match, except*, parenthesised with-items...)

    def test_only_39_standard_library_modules_are_imported(self):
        for path in worker_files():
            for module, line in imported_modules(parse(path)):
                with self.subTest(path=os.path.relpath(path, WORKER_ROOT), module=module):
                    self.assertIn(module, STDLIB_39 | OPTIONAL | OWN,
                                  "%s:%d imports %s, not known to be in Python 3.9's standard library"
                                  % (path, line, module))

    def test_no_names_added_after_39_are_used(self):
        for path in worker_files():
            found = list(later_names(parse(path)))
            self.assertEqual([], found, "%s uses names newer than 3.9: %s" % (path, found))

    def test_the_check_itself_catches_newer_code(self):
        with self.assertRaises(SyntaxError):
            ast.parse("match x:\n    case 1:\n        pass\n", feature_version=(3, 9))
        self.assertEqual(["int.bit_count (3.10)"], [n for n, _ in later_names(ast.parse("n.bit_count()"))])
        self.assertEqual(["zip(strict=) (3.10)"], [n for n, _ in later_names(ast.parse("zip(a, b, strict=True)"))])


if __name__ == "__main__":
    sys.exit(unittest.main())
