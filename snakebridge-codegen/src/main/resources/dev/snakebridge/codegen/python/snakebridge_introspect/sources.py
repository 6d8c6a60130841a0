"""The ``ast`` fallback: a module that cannot be imported (a missing optional dependency, a platform
module) is read from its source, never executed: top-level functions and classes with their signatures
(from the ``def`` lines, annotations included) and docstrings. What only running the module would show
(re-exports, constants, inherited methods, C functions) is not there; entries say ``"source": "ast"``.
"""

import ast

from . import docstrings, members, stubs


def read(path):
    """The parsed source at ``path``, or None when it cannot be read or parsed."""
    try:
        with open(path, encoding="utf-8") as f:
            return ast.parse(f.read(), filename=path)
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
        return None


def _public_names(tree):
    """``__all__`` when the source assigns it a literal list or tuple, else None."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                return None
            if isinstance(value, (list, tuple)):
                return [n for n in value if isinstance(n, str)]
    return None


def _doc(node):
    text = ast.get_docstring(node)
    try:
        return docstrings.parse(text) if text else None
    except Exception:  # noqa: BLE001 - an odd docstring still leaves the symbol usable
        return None


def _decorators(node):
    return {d.id if isinstance(d, ast.Name) else d.attr if isinstance(d, ast.Attribute) else None
            for d in node.decorator_list}


def _callable(collector, key, node, drop_first):
    if key not in collector.callables:
        signature = stubs.signature_from_defs([node], drop_first=drop_first)
        signature["source"] = "ast"
        if "returns" in signature or any("annotation" in p for p in signature["params"]):
            signature["typeSource"] = "annotations"
        entry = {"signature": signature}
        doc = _doc(node)
        if doc:
            entry["doc"] = doc
        collector.callables[key] = entry
    return key


def module_entry(collector, name, tree, filters):
    """The model entry of module ``name`` read from ``tree``; classes and callables go into ``collector``."""
    entry = {"name": name, "functions": [], "classes": [], "constants": [], "source": "ast"}
    doc = _doc(tree)
    if doc:
        entry["doc"] = {k: v for k, v in doc.items() if k in ("style", "summary", "description")}
    explicit = _public_names(tree)
    entry["hasAll"] = explicit is not None
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        public = node.name in explicit if explicit is not None else not node.name.startswith("_")
        if not public or not filters.member(name, node.name):
            continue
        key = name + "." + node.name
        if isinstance(node, ast.ClassDef):
            collector.classes.setdefault(key, _class_entry(collector, name, key, node))
            entry["classes"].append({"name": node.name, "key": key})
        else:
            entry["functions"].append({"name": node.name, "ref": _callable(collector, key, node, False),
                                       "kind": "function"})
    return entry


def _class_entry(collector, module, key, node):
    bases = [ast.unparse(b) for b in node.bases]
    entry = {
        "key": key, "module": module, "name": node.name, "import": {"module": module, "name": node.name},
        "bases": bases, "abstract": False, "byValue": False,
        "exception": any(b.endswith(("Error", "Exception", "Warning")) for b in bases),
        "methods": [], "properties": [], "protocols": [], "source": "ast",
    }
    doc = _doc(node)
    if doc:
        entry["doc"] = doc
    defs = {n.name: n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    init = defs.get("__init__")
    if init is not None:
        entry["constructor"] = _callable(collector, key + ".__init__", init, True)
    else:
        collector.callables.setdefault(key + ".__init__", {"signature": {"params": [], "source": "ast"}})
        entry["constructor"] = key + ".__init__"
    for dunder, protocol in members.PROTOCOLS.items():
        if dunder in defs:
            entry["protocols"].append(protocol)
    for name in sorted(defs):
        if name.startswith("_"):
            continue
        d = defs[name]
        decorators = _decorators(d)
        ref = key + "." + name
        if "property" in decorators or "cached_property" in decorators:
            writable = any(isinstance(x, ast.Attribute) and x.attr == "setter" and isinstance(x.value, ast.Name)
                           and x.value.id == name
                           for n in node.body if isinstance(n, ast.FunctionDef) for x in n.decorator_list)
            prop = {"name": name, "ref": _callable(collector, ref, d, True), "declared": True,
                    "writable": writable}
            if d.returns is not None:
                prop["returns"] = ast.unparse(d.returns)
            entry["properties"].append(prop)
            continue
        kind = "static" if "staticmethod" in decorators else "class" if "classmethod" in decorators else "instance"
        entry["methods"].append({"name": name, "ref": _callable(collector, ref, d, kind != "static"),
                                 "kind": kind, "declared": True})
    return entry
