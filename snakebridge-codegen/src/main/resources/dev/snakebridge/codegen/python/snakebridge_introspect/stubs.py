"""Type stubs (.pyi) found beside a module or in a ``<package>-stubs`` distribution, read with ``ast``.

A stub is only read, never imported. Each stub file is parsed once and indexed as
``{"functions": {name: [defs]}, "classes": {name: {method: [defs]}}}`` (several defs are ``@overload``s).
"""

import ast
import os
import sys

_cache = {}


def stub_files(module_name, module_file=None):
    """Candidate .pyi paths for a module, best first (beside the source, then a stubs package)."""
    found = []
    if module_file:
        base, _ = os.path.splitext(module_file)
        if base.endswith("__init__"):
            found.append(base + ".pyi")
        else:
            found.append(base + ".pyi")
            # An extension module `foo.cpython-311-x86_64-linux-gnu.so` has its stub at `foo.pyi`.
            found.append(os.path.join(os.path.dirname(module_file), module_name.rsplit(".", 1)[-1] + ".pyi"))
    parts = module_name.split(".")
    for entry in sys.path:
        if not entry or not os.path.isdir(entry):
            continue
        root = os.path.join(entry, parts[0] + "-stubs", *parts[1:])
        found.append(root + ".pyi")
        found.append(os.path.join(root, "__init__.pyi"))
    return [path for path in dict.fromkeys(found) if os.path.isfile(path)]


def index(path):
    """The parsed index of one stub file (cached); an unreadable stub gives an empty index."""
    if path in _cache:
        return _cache[path]
    result = {"functions": {}, "classes": {}, "imports": {}}
    try:
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), path)
    except (OSError, SyntaxError, ValueError):
        _cache[path] = result
        return result
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            result["functions"].setdefault(node.name, []).append(node)
        elif isinstance(node, ast.ClassDef):
            methods = {}
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    methods.setdefault(item.name, []).append(item)
            result["classes"][node.name] = methods
        elif isinstance(node, ast.ImportFrom) and node.module is not None or isinstance(node, ast.ImportFrom) and node.level:
            source = _absolute(path, node.module, node.level)
            for alias in node.names:
                if source and alias.name != "*":
                    result["imports"][alias.asname or alias.name] = (source, alias.name)
    _cache[path] = result
    return result


def _absolute(path, module, level):
    """The absolute module of a (possibly relative) import in the stub at ``path``."""
    if not level:
        return module
    parts = _module_of(path)
    if parts is None:
        return None
    package = parts if os.path.basename(path) == "__init__.pyi" else parts[:-1]
    if level > 1:
        package = package[: len(package) - (level - 1)]
    return ".".join(package + ([module] if module else []))


def _module_of(path):
    """The dotted module name of a stub file, found from the sys.path entry that holds it."""
    path = os.path.abspath(path)
    for entry in sys.path:
        if entry and path.startswith(os.path.abspath(entry) + os.sep):
            rel = os.path.relpath(path, entry)[: -len(".pyi")].split(os.sep)
            if rel[-1] == "__init__":
                rel = rel[:-1]
            if rel and rel[0].endswith("-stubs"):
                rel[0] = rel[0][: -len("-stubs")]
            return rel
    return None


def find_function(paths, name, depth=0):
    """The defs of function ``name`` in the first stub that has it, following ``from x import name``."""
    for path in paths:
        entry = index(path)
        defs = entry["functions"].get(name)
        if defs:
            return defs
        target = entry["imports"].get(name)
        if target and depth < 4:
            module, original = target
            sys_module = sys.modules.get(module)
            found = find_function(stub_files(module, getattr(sys_module, "__file__", None)), original, depth + 1)
            if found:
                return found
    return None


def find_method(paths, class_name, name):
    for path in paths:
        methods = index(path)["classes"].get(class_name)
        if methods and name in methods:
            return methods[name]
    return None


def signature_from_defs(defs, drop_first=False):
    """Parameters and return annotation from one or more overloads.

    The overload with the most parameters gives the parameter list; a parameter's annotation is kept when
    every overload that has the parameter agrees on it, and the return annotation likewise.
    """
    chosen = max(defs, key=lambda d: _count(d.args))
    params = _params(chosen.args)
    if drop_first and params and params[0]["kind"] in ("positional_only", "positional_or_keyword"):
        params = params[1:]
    seen = {}
    for d in defs:
        for p in _params(d.args):
            seen.setdefault(p["name"], set()).add(p.get("annotation"))
    for p in params:
        # Optional when some overload leaves it out or gives it a default.
        if "default" not in p and p["kind"] not in ("var_positional", "var_keyword") and any(
                p["name"] not in {q["name"]: q for q in _params(d.args) if "default" not in q} for d in defs):
            p["default"] = "…"
        values = seen.get(p["name"], set())
        if len(values) != 1 or None in values:
            p.pop("annotation", None)
    returns = {ast.unparse(d.returns) if d.returns is not None else None for d in defs}
    result = {"params": params}
    if len(returns) == 1 and None not in returns:
        result["returns"] = returns.pop()
    return result


def _count(args):
    return len(args.posonlyargs) + len(args.args) + len(args.kwonlyargs) + (1 if args.vararg else 0) + (
        1 if args.kwarg else 0)


def _params(args):
    positional = [(a, "positional_only") for a in args.posonlyargs] + [(a, "positional_or_keyword") for a in args.args]
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    out = []
    for (a, kind), default in zip(positional, defaults):
        out.append(_param(a, kind, default))
    if args.vararg:
        out.append(_param(args.vararg, "var_positional", None))
    for a, default in zip(args.kwonlyargs, args.kw_defaults):
        out.append(_param(a, "keyword_only", default))
    if args.kwarg:
        out.append(_param(args.kwarg, "var_keyword", None))
    return out


def _param(arg, kind, default):
    p = {"name": arg.arg, "kind": kind}
    if default is not None:
        text = ast.unparse(default)
        p["default"] = text if text != "..." else "…"
    if arg.annotation is not None:
        p["annotation"] = ast.unparse(arg.annotation)
    return p
