"""Which modules of a library to describe, per module discovery mode.

| mode     | modules                                                                  |
|----------|--------------------------------------------------------------------------|
| root     | the top module only                                                      |
| exports  | the top module, then every submodule named in an ``__all__``, recursively |
| public   | every importable submodule with no ``_``-prefixed part (no tests/setup)  |
| explicit | the public modules that define ``__all__``                               |
| docs     | exactly the modules of a docs manifest                                   |
| all      | every importable submodule, private ones included (never ``__main__``)   |

A submodule that fails to import is recorded (name and error) and skipped, never fatal.
"""

import contextlib
import fnmatch
import importlib
import importlib.util
import inspect
import pkgutil
import signal
import sys
import traceback

MODES = ("root", "exports", "public", "explicit", "docs", "all")
_NOT_PUBLIC = {"tests", "test", "conftest", "setup"}


class ImportTimeout(BaseException):
    """Raised by the alarm when one import runs past its limit."""


def matches(pattern, qualified):
    """A glob over a qualified name; a plain prefix also matches everything inside it."""
    return fnmatch.fnmatchcase(qualified, pattern) or qualified.startswith(pattern + ".")


class Filters:
    """The include/exclude patterns, applied to module names and to ``module.member`` names."""

    def __init__(self, include, exclude):
        self.include = list(include or [])
        self.exclude = list(exclude or [])

    def module(self, name):
        if any(matches(p, name) for p in self.exclude):
            return False
        if not self.include:
            return True
        return any(matches(p, name) or p.startswith(name + ".") for p in self.include)

    def member(self, module, name):
        qualified = module + "." + name
        if any(matches(p, qualified) for p in self.exclude):
            return False
        if not self.include:
            return True
        return any(matches(p, qualified) or matches(p, module) for p in self.include)


def import_module(name, timeout):
    """Imports one module with its prints sent to stderr and an alarm against hanging imports."""
    def on_alarm(signum, frame):
        raise ImportTimeout("import of %s took more than %d s" % (name, timeout))

    previous = None
    if timeout and hasattr(signal, "SIGALRM"):
        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.alarm(int(timeout))
    try:
        with contextlib.redirect_stdout(sys.stderr):
            return importlib.import_module(name)
    finally:
        if previous is not None:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)


def describe_error(exc):
    lines = traceback.format_exception_only(type(exc), exc)
    text = lines[-1].strip() if lines else type(exc).__name__
    return text if len(text) <= 300 else text[:299] + "…"


class Discovery:
    """Finds the modules of ``root`` for one mode; collects failures and skipped modules."""

    def __init__(self, root, mode, filters, manifest=None, timeout=60, progress=None):
        if mode not in MODES:
            raise ValueError("unknown module mode %r; expected one of %s" % (mode, ", ".join(MODES)))
        self.root, self.mode, self.filters = root, mode, filters
        self.manifest, self.timeout = manifest, timeout
        self.progress = progress or (lambda text: None)
        self.failures = []
        self.excluded = []
        # Modules that failed to import but whose source can be read: (name, path) for the ast fallback.
        self.unimportable = []

    def _try_import(self, name):
        try:
            return import_module(name, self.timeout)
        except (Exception, SystemExit, ImportTimeout) as exc:  # noqa: BLE001 - report, never fatal
            self.failures.append({"module": name, "error": describe_error(exc)})
            return None

    def _wanted(self, name):
        if not self.filters.module(name):
            self.excluded.append(name)
            return False
        return True

    def modules(self):
        """A list of (name, module object, member names or None for the default rule)."""
        root_module = self._try_import(self.root)
        if root_module is None:
            raise ImportError("cannot import %s: %s" % (self.root, self.failures[-1]["error"]))
        if self.mode == "root":
            return [(self.root, root_module, None)] if self._wanted(self.root) else []
        if self.mode == "exports":
            return self._exports(root_module)
        if self.mode == "docs":
            return self._docs()
        found = [(self.root, root_module, None)] if self._wanted(self.root) else []
        found += self._walk(root_module, private=self.mode == "all")
        if self.mode == "explicit":
            found = [entry for entry in found if isinstance(getattr(entry[1], "__all__", None), (list, tuple))]
        return found

    def _walk(self, package, private):
        found = []
        path = getattr(package, "__path__", None)
        if not path:
            return found
        for info in sorted(pkgutil.iter_modules(path, package.__name__ + "."), key=lambda i: i.name):
            last = info.name.rsplit(".", 1)[-1]
            if last == "__main__":
                continue
            if not private and (last.startswith("_") or last in _NOT_PUBLIC):
                continue
            if not self._wanted(info.name):
                continue
            self.progress("import " + info.name)
            module = self._try_import(info.name)
            if module is None:
                self._remember_source(info)
                continue
            found.append((info.name, module, None))
            if info.ispkg:
                found += self._walk(module, private)
        return found

    def _remember_source(self, info):
        try:
            spec = info.module_finder.find_spec(info.name)
        except Exception:  # noqa: BLE001 - no source, no fallback
            spec = None
        origin = getattr(spec, "origin", None)
        if isinstance(origin, str) and origin.endswith(".py"):
            self.unimportable.append((info.name, origin))

    def _exports(self, root_module):
        found, queue, seen = [], [root_module], {self.root}
        while queue:
            module = queue.pop(0)
            if self._wanted(module.__name__):
                found.append((module.__name__, module, None))
            names = getattr(module, "__all__", None) or []
            for name in names:
                if not isinstance(name, str):
                    continue
                qualified = module.__name__ + "." + name
                child = getattr(module, name, None)
                if child is None and self._is_submodule(qualified):
                    child = self._try_import(qualified)
                if not inspect.ismodule(child):
                    continue
                if child.__name__ in seen or not child.__name__.startswith(self.root + "."):
                    continue
                seen.add(child.__name__)
                queue.append(child)
        return found

    @staticmethod
    def _is_submodule(qualified):
        try:
            return importlib.util.find_spec(qualified) is not None
        except (ImportError, ValueError):
            return False

    def _docs(self):
        if not self.manifest:
            raise ValueError("moduleMode=docs needs a docs manifest")
        found = []
        for name, members in self.manifest.get("modules", {}).items():
            if not self._wanted(name):
                continue
            self.progress("import " + name)
            module = self._try_import(name)
            if module is None:
                continue
            wanted = None if members in ("*", ["*"], None) else [m for m in members if m != "*"]
            found.append((name, module, wanted))
        return found


def public_module_names(root, timeout=60, progress=None):
    """The names of the public modules (for a docs manifest made from the public module list)."""
    discovery = Discovery(root, "public", Filters(None, None), timeout=timeout, progress=progress)
    return [name for name, _, _ in discovery.modules()], discovery.failures
