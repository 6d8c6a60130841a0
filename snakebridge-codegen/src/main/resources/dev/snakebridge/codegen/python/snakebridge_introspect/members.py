"""What a module offers (functions, classes, constants) and what a class offers (constructor, methods,
properties, protocols), with signatures and parsed docs.

Signatures and docs are stored once per Python object in a table of "callables" that module functions
and class methods refer to by key, so that a method inherited by two hundred classes is described once.
"""

import datetime
import decimal
import functools
import inspect
import os
import sys
import types
import uuid

from . import docstrings, signatures, stubs

PROTOCOLS = {
    "__iter__": "iter", "__len__": "len", "__getitem__": "getitem", "__setitem__": "setitem",
    "__contains__": "contains", "__enter__": "enter", "__exit__": "exit", "__call__": "call",
}
_BY_VALUE = (bool, int, float, complex, str, bytes, bytearray, list, tuple, dict, set, frozenset,
             datetime.date, datetime.time, datetime.timedelta, decimal.Decimal, uuid.UUID)
_SIMPLE = {bool: "bool", int: "int", float: "float", str: "str", type(None): "none"}
MAX_VALUE = 60


def _doc(obj):
    try:
        text = inspect.getdoc(obj)
    except Exception:  # noqa: BLE001 - a broken __doc__ is not ours to fix
        return None
    try:
        return docstrings.parse(text) if isinstance(text, str) else None
    except Exception:  # noqa: BLE001 - an unparseable docstring still leaves the symbol usable
        return {"style": "plain", "summary": text.strip().splitlines()[0][:500]} if text and text.strip() else None


def _qualified(obj):
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if isinstance(module, str) and isinstance(qualname, str) and "<locals>" not in qualname:
        return module + "." + qualname
    return None


def _module_file(name):
    module = sys.modules.get(name)
    return getattr(module, "__file__", None) if module else None


class Collector:
    """Builds module entries, the class table and the callables table for one library."""

    def __init__(self, root, filters, progress=None):
        self.root = root
        self.filters = filters
        self.progress = progress or (lambda text: None)
        self.callables = {}
        self.classes = {}
        self.skipped = []
        self._keys = {}
        self._stub_paths = {}

    # ------------------------------------------------------------------ helpers

    def _in_library(self, name):
        return isinstance(name, str) and (name == self.root or name.startswith(self.root + "."))

    def _stubs_for_module(self, name):
        if name not in self._stub_paths:
            self._stub_paths[name] = stubs.stub_files(name, _module_file(name)) if name else []
        return self._stub_paths[name]

    def _stub_paths_for(self, obj, *module_names):
        paths = []
        try:
            source = inspect.getsourcefile(obj)
        except (TypeError, OSError):
            source = None
        if source:
            candidate = os.path.splitext(source)[0] + ".pyi"
            if os.path.isfile(candidate):
                paths.append(candidate)
        for name in module_names:
            paths.extend(self._stubs_for_module(name))
        return list(dict.fromkeys(paths))

    def _key(self, obj, fallback):
        known = self._keys.get(id(obj))
        if known is not None:
            return known
        key = _qualified(obj) or fallback
        n = 2
        base = key
        while key in self.callables:
            key = "%s#%d" % (base, n)
            n += 1
        self._keys[id(obj)] = key
        return key

    def _callable(self, obj, name, fallback_key, stub_defs, drop_first=False, stub_drop_first=False, doc_of=None):
        key = self._key(obj, fallback_key)
        if key not in self.callables:
            entry = {"signature": signatures.signature(obj, name, stub_defs, drop_first, stub_drop_first)}
            doc = _doc(doc_of if doc_of is not None else obj)
            if doc:
                entry["doc"] = doc
            self.callables[key] = entry
        return key

    def _doc_entry(self, obj, key):
        """A docs-only entry in the callables table (properties)."""
        if key not in self.callables:
            entry = {}
            doc = _doc(obj)
            if doc:
                entry["doc"] = doc
            self.callables[key] = entry
        return key

    # ------------------------------------------------------------------ modules

    def module_entry(self, name, module, wanted):
        """The entry for one module; ``wanted`` restricts the members (docs mode)."""
        entry = {"name": name, "functions": [], "classes": [], "constants": []}
        doc = _doc(module)
        if doc:
            entry["doc"] = {k: v for k, v in doc.items() if k in ("style", "summary", "description")}
        explicit = getattr(module, "__all__", None)
        has_all = isinstance(explicit, (list, tuple))
        entry["hasAll"] = has_all
        if wanted is not None:
            names = list(wanted)
        elif has_all:
            names = [n for n in explicit if isinstance(n, str)]
        else:
            names = sorted(n for n in dir(module) if not n.startswith("_"))
        for member in dict.fromkeys(names):
            if not self.filters.member(name, member):
                continue
            try:
                obj = getattr(module, member)
            except Exception as exc:  # noqa: BLE001
                if wanted is not None or has_all:
                    self.skipped.append({"symbol": name + "." + member, "reason": "not found: %s" % exc})
                continue
            self._member(entry, name, member, obj, listed=wanted is not None or has_all)
        return entry

    def _member(self, entry, module_name, member, obj, listed):
        qualified = module_name + "." + member
        if inspect.ismodule(obj):
            return
        if inspect.isclass(obj):
            home = getattr(obj, "__module__", None)
            if not self._in_library(home):
                if listed:
                    self.skipped.append({"symbol": qualified, "reason": "class defined outside %s (%s)" % (
                        self.root, _qualified(obj) or obj.__name__)})
                return
            key = self.class_entry(obj, module_name, member)
            if key:
                entry["classes"].append({"name": member, "key": key})
            return
        if callable(obj):
            home = getattr(obj, "__module__", None)
            if home is None:
                home = getattr(type(obj), "__module__", None)
            if not listed and not self._in_library(home):
                return
            kind = "function" if inspect.isfunction(inspect.unwrap(obj)) else (
                "builtin" if inspect.isbuiltin(obj) else "callable")
            key = self._callable(
                obj, member, qualified,
                lambda: stubs.find_function(self._stub_paths_for(obj, getattr(obj, "__module__", None), module_name),
                                            member))
            entry["functions"].append({"name": member, "ref": key, "kind": kind})
            return
        constant = {"name": member}
        simple = _SIMPLE.get(type(obj))
        if simple is None and not listed and not self._in_library(getattr(type(obj), "__module__", None)):
            return
        constant["type"] = simple or "object"
        constant["pythonType"] = _qualified(type(obj)) or type(obj).__name__
        if simple:
            text = repr(obj)
            constant["value"] = text if len(text) <= MAX_VALUE else text[:MAX_VALUE - 1] + "…"
        entry["constants"].append(constant)

    # ------------------------------------------------------------------ classes

    def class_entry(self, cls, exporting_module, exported_name):
        key = _qualified(cls)
        if key is None:
            self.skipped.append({"symbol": exporting_module + "." + exported_name, "reason": "class without a stable name"})
            return None
        if key in self.classes:
            return key
        self.progress("class " + key)
        home = cls.__module__
        import_path = {"module": home, "name": cls.__qualname__}
        if sys.modules.get(home) is None or _lookup(sys.modules[home], cls.__qualname__) is not cls:
            import_path = {"module": exporting_module, "name": exported_name}
        entry = {
            "key": key, "module": home, "name": cls.__name__, "import": import_path,
            "bases": [_qualified(b) or b.__name__ for b in cls.__bases__],
            "abstract": bool(inspect.isabstract(cls)),
            "byValue": _by_value(cls),
            "exception": issubclass(cls, BaseException),
            "methods": [], "properties": [], "protocols": [],
        }
        self.classes[key] = entry  # before the members: a method may refer back to the class
        doc = _doc(cls)
        if doc:
            entry["doc"] = doc
        if not entry["abstract"]:
            entry["constructor"] = self._callable(
                cls, cls.__name__, key + ".__init__",
                lambda: self._class_stub(cls, "__init__") or self._class_stub(cls, "__new__"),
                stub_drop_first=True, doc_of=cls)
            self.callables[entry["constructor"]].pop("doc", None)  # the class doc says it
        mro = [k for k in inspect.getmro(cls) if k is not object and k is not type]
        for dunder, protocol in PROTOCOLS.items():
            owner = next((k for k in mro if dunder in vars(k)), None)
            if owner is not None and vars(owner)[dunder] is not None:
                entry["protocols"].append(protocol)
        try:
            names = sorted(set(dir(cls)))
        except Exception:  # noqa: BLE001
            names = sorted(vars(cls))
        for name in names:
            if name.startswith("_"):
                continue
            owner = next((k for k in inspect.getmro(cls) if name in vars(k)), None)
            if owner is None or owner is object:
                continue
            self._class_member(cls, entry, owner, name, vars(owner)[name])
        return key

    def _class_stub(self, owner, method):
        return stubs.find_method(self._stubs_for_module(owner.__module__), owner.__qualname__, method)

    def _class_member(self, cls, entry, owner, name, raw):
        owner_key = _qualified(owner) or owner.__name__
        # A private base (torch._C._TensorBase behind torch.Tensor) is an implementation detail: what the
        # class inherits from it counts as declared by the class.
        declared = owner is cls or _is_private(owner)
        key = owner_key + "." + name
        stub_defs = lambda: self._class_stub(owner, name)  # noqa: E731
        kind = None
        if isinstance(raw, staticmethod):
            kind, target, drop, stub_drop = "static", getattr(cls, name, raw), False, False
        elif isinstance(raw, (classmethod, types.ClassMethodDescriptorType)):
            kind, target, drop, stub_drop = "class", getattr(cls, name, raw), False, True
        elif isinstance(raw, (property, functools.cached_property)):
            fget = raw.fget if isinstance(raw, property) else raw.func
            entry["properties"].append({
                "name": name, "ref": self._doc_entry(fget or raw, key), "declared": declared,
                "writable": isinstance(raw, property) and raw.fset is not None,
                **({"returns": signatures.annotation_text(inspect.signature(fget).return_annotation)}
                   if inspect.isfunction(fget) and _has_return(fget) else {}),
            })
            return
        elif inspect.isfunction(raw) or isinstance(raw, (types.MethodDescriptorType, types.WrapperDescriptorType,
                                                         types.BuiltinFunctionType)):
            kind, target, drop, stub_drop = "instance", raw, True, True
        elif inspect.isdatadescriptor(raw):
            entry["properties"].append({"name": name, "ref": self._doc_entry(raw, key), "declared": declared,
                                        "writable": False})
            return
        if kind is None:
            return
        ref = self._callable(target, name, key, stub_defs, drop_first=drop, stub_drop_first=stub_drop)
        entry["methods"].append({"name": name, "ref": ref, "kind": kind, "declared": declared})


def _is_private(cls):
    return cls.__name__.startswith("_") or any(part.startswith("_") for part in cls.__module__.split("."))


def _has_return(func):
    try:
        return inspect.signature(func).return_annotation is not inspect.Signature.empty
    except (TypeError, ValueError):
        return False


def _lookup(module, qualname):
    obj = module
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _by_value(cls):
    if issubclass(cls, _BY_VALUE):
        return True
    return any(getattr(k, "__module__", None) == "numpy" and k.__name__ == "generic" for k in inspect.getmro(cls))
