"""Command line: ``python -m snakebridge_introspect --library NAME --out FILE [options]``.

Progress goes to stderr as lines starting with ``@@progress``; the model (or, with ``--info`` and
``--list-public-modules``, a smaller answer) is written as JSON to ``--out``, never to stdout, which the
imported libraries may print on.
"""

import argparse
import importlib
import importlib.metadata
import json
import platform
import sys
import time
import warnings

from . import FORMAT, FORMAT_VERSION, VERSION
from . import sources
from .discover import MODES, Discovery, Filters, describe_error, import_module, public_module_names
from .members import Collector


def progress(text):
    sys.stderr.write("@@progress " + text + "\n")
    sys.stderr.flush()


def python_info():
    return {"version": platform.python_version(), "implementation": platform.python_implementation(),
            "executable": sys.executable}


def library_version(root):
    """(distribution name, version) from package metadata, else the module's ``__version__``."""
    try:
        distributions = importlib.metadata.packages_distributions().get(root) or []
    except Exception:  # noqa: BLE001
        distributions = []
    for dist in distributions + [root]:
        try:
            return dist, importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    try:
        module = import_module(root, 120)
    except (Exception, SystemExit):  # noqa: BLE001 - not importable: no version
        return None, None
    version = getattr(module, "__version__", None)
    # Importable but unversioned (a project's own package): "unknown", which is not "missing".
    return root, str(version) if version is not None else "unknown"


def build_model(args):
    started = time.monotonic()
    manifest = None
    if args.manifest:
        with open(args.manifest, encoding="utf-8") as f:
            manifest = json.load(f)
    filters = Filters(args.include, args.exclude)
    discovery = Discovery(args.library, args.mode, filters, manifest=manifest, timeout=args.timeout,
                          progress=progress)
    modules = discovery.modules()
    progress("discovered %d modules of %s (%d failed to import)" % (len(modules), args.library,
                                                                    len(discovery.failures)))
    collector = Collector(args.library, filters)
    entries = []
    for n, (name, module, wanted) in enumerate(modules, 1):
        progress("module %d/%d %s" % (n, len(modules), name))
        try:
            entries.append(collector.module_entry(name, module, wanted))
        except Exception as exc:  # noqa: BLE001 - one broken module never stops the rest
            discovery.failures.append({"module": name, "error": "introspection failed: " + describe_error(exc)})
    for name, path in discovery.unimportable:
        tree = sources.read(path)
        if tree is None:
            continue
        entry = sources.module_entry(collector, name, tree, filters)
        if args.mode == "explicit" and not entry["hasAll"]:
            continue
        progress("%s: read from its source (ast fallback)" % name)
        entries.append(entry)
        for failure in discovery.failures:
            if failure["module"] == name:
                failure["fallback"] = "ast"
    dist, version = library_version(args.library)
    return {
        "format": FORMAT,
        "formatVersion": FORMAT_VERSION,
        "introspector": VERSION,
        "python": python_info(),
        "library": {"name": args.library, "distribution": dist, "version": version},
        "options": {"moduleMode": args.mode, "include": args.include or [], "exclude": args.exclude or [],
                    "docsManifest": (manifest or {}).get("source")},
        "modules": entries,
        "classes": [collector.classes[k] for k in sorted(collector.classes)],
        "callables": {k: collector.callables[k] for k in sorted(collector.callables)},
        "failures": discovery.failures,
        "skipped": collector.skipped,
        "excludedModules": discovery.excluded,
        "seconds": round(time.monotonic() - started, 3),
    }


def main(argv):
    parser = argparse.ArgumentParser(prog="snakebridge_introspect")
    parser.add_argument("--library", help="top-level module, e.g. numpy")
    parser.add_argument("--mode", default="public", choices=MODES)
    parser.add_argument("--manifest", help="docs manifest (JSON) for --mode docs")
    parser.add_argument("--include", action="append", help="glob over qualified names (repeatable)")
    parser.add_argument("--exclude", action="append", help="glob over qualified names (repeatable)")
    parser.add_argument("--timeout", type=int, default=60, help="seconds allowed for one import")
    parser.add_argument("--out", required=True, help="where to write the JSON answer")
    parser.add_argument("--info", action="store_true", help="only the Python and library versions")
    parser.add_argument("--list-public-modules", action="store_true", help="only the public module names")
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    if args.info:
        answer = {"python": python_info(), "introspector": VERSION, "libraries": {}}
        for name in (args.library or "").split(","):
            if name:
                dist, version = library_version(name)
                answer["libraries"][name] = {"distribution": dist, "version": version}
    elif not args.library:
        parser.error("--library is required")
        return 2
    elif args.list_public_modules:
        names, failures = public_module_names(args.library, args.timeout, progress)
        dist, version = library_version(args.library)
        answer = {"library": args.library, "version": version, "modules": names, "failures": failures}
    else:
        try:
            answer = build_model(args)
        except ImportError as exc:
            sys.stderr.write("@@error %s\n" % exc)
            return 3
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(answer, f, ensure_ascii=False, separators=(",", ":"))
    progress("wrote " + args.out)
    return 0
