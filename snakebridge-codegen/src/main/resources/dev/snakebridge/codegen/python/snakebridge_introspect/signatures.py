"""Signatures from the best source available, recording which one was used.

Order: ``inspect.signature`` at run time ("runtime"; "text_signature" when it came from a C function's
``__text_signature__``), then a ``.pyi`` stub ("stub"), then a signature on the docstring's first line
("docstring"), then ``(*args, **kwargs)`` ("variadic"). Types come from run-time annotations, else from the
stub when it names the same parameters ("typeSource").
"""

import ast
import inspect
import re

from . import docstrings, stubs

MAX_DEFAULT = 60
_KINDS = {
    inspect.Parameter.POSITIONAL_ONLY: "positional_only",
    inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional_or_keyword",
    inspect.Parameter.VAR_POSITIONAL: "var_positional",
    inspect.Parameter.KEYWORD_ONLY: "keyword_only",
    inspect.Parameter.VAR_KEYWORD: "var_keyword",
}
_DOC_SIGNATURE = re.compile(r"^\s*([\w.]+)\((.*)\)\s*(?:->\s*(.+))?$")
VARIADIC = [{"name": "args", "kind": "var_positional"}, {"name": "kwargs", "kind": "var_keyword"}]


def annotation_text(annotation):
    if annotation is inspect.Parameter.empty or annotation is inspect.Signature.empty:
        return None
    if isinstance(annotation, str):
        return annotation
    if isinstance(annotation, type):
        if annotation.__module__ == "builtins":
            return annotation.__qualname__
        return annotation.__module__ + "." + annotation.__qualname__
    try:
        return inspect.formatannotation(annotation)
    except Exception:  # noqa: BLE001 - an odd annotation object is just not a type we can use
        return None


def _default_text(value):
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001
        text = "<" + type(value).__name__ + ">"
    return text if len(text) <= MAX_DEFAULT else text[: MAX_DEFAULT - 1] + "…"


def _from_inspect(sig, drop_first):
    params = []
    for p in sig.parameters.values():
        entry = {"name": p.name, "kind": _KINDS[p.kind]}
        if p.default is not inspect.Parameter.empty:
            entry["default"] = _default_text(p.default)
        text = annotation_text(p.annotation)
        if text:
            entry["annotation"] = text
        params.append(entry)
    if drop_first and params and params[0]["kind"] in ("positional_only", "positional_or_keyword"):
        params = params[1:]
    result = {"params": params}
    ret = annotation_text(sig.return_annotation)
    if ret:
        result["returns"] = ret
    return result


def _uninformative(params):
    return [p["kind"] for p in params] == ["var_positional", "var_keyword"]


def _from_docstring(obj, name):
    doc = getattr(obj, "__doc__", None)
    if not isinstance(doc, str):
        return None
    lines = doc.strip().splitlines()
    count = docstrings.signature_lines(lines)
    if not count:
        return None
    m = _DOC_SIGNATURE.match(" ".join(line.strip() for line in lines[:count]))
    if not m or m.group(1).rsplit(".", 1)[-1] != name:
        return None
    inner = re.sub(r"\[[^\[\]]*\]", "", m.group(2))  # optional parts in brackets: `[, signature, extobj]`
    inner = re.sub(r"\[[^\[\]]*\]", "", inner)
    inner = re.sub(r"<[^<>]*>", "None", inner)
    try:
        tree = ast.parse("def f(" + inner + "): pass")
    except SyntaxError:
        return None
    result = stubs.signature_from_defs([tree.body[0]])
    for p in result["params"]:
        p.pop("annotation", None)
    result.pop("returns", None)
    # "tensor(data, ...) -> Tensor": a single named result type is as good as an annotation (torch's C
    # functions document no other way); tuples and unions stay untyped.
    returns = (m.group(3) or "").strip()
    if re.fullmatch(r"[A-Za-z_][\w.]*", returns):
        result["returns"] = returns
    return result


def signature(obj, name, stub_defs=None, drop_first=False, stub_drop_first=False):
    """The signature dict of ``obj``: params, returns, source and typeSource.

    ``stub_defs`` is a callable returning the stub defs for ``obj`` (or None), called only when needed.
    ``drop_first`` drops ``self``/``cls`` from a run-time signature of a function read from a class
    dictionary; ``stub_drop_first`` does the same for the stub's def.
    """
    result, source = None, None
    try:
        sig = inspect.signature(obj)
        result = _from_inspect(sig, drop_first)
        if _uninformative(result["params"]):
            result = None
        else:
            source = "text_signature" if getattr(obj, "__text_signature__", None) and not inspect.isfunction(
                inspect.unwrap(obj)) else "runtime"
    except (TypeError, ValueError, RecursionError):
        result = None
    except Exception:  # noqa: BLE001 - a broken __signature__ is the library's problem, not ours
        result = None

    stub = None
    defs = stub_defs() if stub_defs else None
    if defs:
        try:
            stub = stubs.signature_from_defs(defs, drop_first=stub_drop_first)
        except Exception:  # noqa: BLE001
            stub = None

    if result is None and stub is not None and not _uninformative(stub["params"]):
        result, source = stub, "stub"
    if result is None:
        doc = _from_docstring(obj, name)
        if doc is not None:
            result, source = doc, "docstring"
    if result is None:
        result, source = {"params": [dict(p) for p in VARIADIC]}, "variadic"

    type_source = None
    if any("annotation" in p for p in result["params"]) or "returns" in result:
        type_source = {"stub": "stub", "docstring": "docstring"}.get(source, "annotations")
    elif stub is not None:
        by_name = {p["name"]: p for p in stub["params"]}
        for p in result["params"]:
            ann = by_name.get(p["name"], {}).get("annotation")
            if ann:
                p["annotation"] = ann
                type_source = "stub"
        if "returns" in stub:
            result["returns"] = stub["returns"]
            type_source = "stub"
    result["source"] = source
    if type_source:
        result["typeSource"] = type_source
    return result
