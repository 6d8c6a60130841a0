"""Docstrings in NumPy, Google and reST styles, parsed into one structure.

The result is a dict with ``style`` (numpy, google, rest or plain), ``summary`` (the first paragraph),
``description`` (the paragraphs before the first section with their line breaks kept, so that lists,
tables, literal blocks and directives survive, then the Notes and Examples sections of numpydoc), and
lists ``params``,
``returns`` and ``raises`` of dicts with ``name``, ``type`` and ``description``. Empty fields are left out
so that the model stays small.
"""

import re

# Whole descriptions are kept; the bound only stops a pathological docstring from bloating the model.
MAX_DESCRIPTION = 40000
MAX_ITEM = 500

_NUMPY_SECTION = re.compile(r"^\s*-{3,}\s*$")
_NUMPY_PARAM = re.compile(r"^(\*{0,2}[A-Za-z_][\w, *]*?)\s*(?::\s*(.*))?$")
_GOOGLE_HEADERS = {
    "args": "params", "arguments": "params", "parameters": "params", "params": "params",
    "keyword args": "params", "keyword arguments": "params", "other parameters": "params",
    "returns": "returns", "return": "returns", "yields": "returns", "yield": "returns",
    "raises": "raises", "raise": "raises", "except": "raises", "exceptions": "raises",
}
_GOOGLE_HEADER = re.compile(r"^([A-Za-z][A-Za-z ]*):\s*$")
_GOOGLE_ITEM = re.compile(r"^(\*{0,2}[A-Za-z_][\w.]*)\s*(?:\(([^)]*)\))?\s*:\s*(.*)$")
_REST_FIELD = re.compile(r"^:(param|parameter|arg|argument|key|keyword|type|returns?|rtype|raises?|except|exception)"
                         r"(?:\s+([^:]+))?:\s*(.*)$")
_UNDERLINE = re.compile(r"^\s*([=\-~^*#+])\1{2,}\s*$")
_SIGNATURE_START = re.compile(r"^[\w.]+\(")
_NUMPY_KNOWN = {
    "parameters": "params", "other parameters": "params", "returns": "returns", "yields": "returns",
    "raises": "raises", "see also": None, "notes": None, "examples": None, "references": None,
    "warns": None, "warnings": None, "attributes": None, "methods": None, "receives": "params",
}


def parse(doc):
    """Parses a cleaned docstring (``inspect.getdoc``); returns None for an empty one."""
    if not doc or not doc.strip():
        return None
    lines = doc.expandtabs().splitlines()
    while lines and signature_lines(lines):
        # C functions and ufuncs start with their signature; it is recorded elsewhere.
        del lines[: signature_lines(lines)]
        if lines and not lines[0].strip():
            lines.pop(0)
    if _is_numpy(lines):
        result = _parse_numpy(lines)
    elif _is_rest(lines):
        result = _parse_rest(lines)
    elif _is_google(lines):
        result = _parse_google(lines)
    else:
        result = {"style": "plain"}
        _intro(lines, result)
    return {k: v for k, v in result.items() if v}


def signature_lines(lines):
    """How many leading lines hold a signature such as ``name(a, b=1,`` ... ``)``; 0 if none."""
    if not lines or not _SIGNATURE_START.match(lines[0].strip()):
        return 0
    depth = 0
    for n, line in enumerate(lines[:8]):
        depth += line.count("(") - line.count(")")
        if depth <= 0:
            rest = line[line.rfind(")") + 1:].strip()
            return n + 1 if not rest or rest.startswith("->") else 0
    return 0


def _is_numpy(lines):
    for i in range(1, len(lines)):
        if _NUMPY_SECTION.match(lines[i]) and lines[i - 1].strip().lower() in _NUMPY_KNOWN:
            return True
    return False


def _is_rest(lines):
    return any(_REST_FIELD.match(line.strip()) for line in lines)


def _is_google(lines):
    return any(line.strip().lower().rstrip(":") in _GOOGLE_HEADERS and line.strip().endswith(":")
               for line in lines)


def _intro(lines, result, end=None):
    """Summary = first paragraph, joined; description = the following paragraphs up to ``end``, each
    keeping its lines (and their indentation) so that structure can be rendered."""
    body = lines[:end] if end is not None else lines
    body = [line for line in body if not _UNDERLINE.match(line)]  # reST heading underlines
    paragraphs, current = [], []
    for line in body:
        if line.strip():
            current.append(line.rstrip())
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    if paragraphs:
        result["summary"] = _cut(" ".join(line.strip() for line in paragraphs[0]), MAX_ITEM)
        rest = "\n\n".join("\n".join(p) for p in paragraphs[1:])
        if rest:
            result["description"] = _cut(rest, MAX_DESCRIPTION)


def _append_section(result, title, body):
    """Adds a numpydoc section that has no field of its own (Notes, Examples) to the description."""
    while body and not body[0].strip():
        body = body[1:]
    text = "\n".join(line.rstrip() for line in body).strip("\n")
    if text.strip():
        joined = (result.get("description", "") + "\n\n" if result.get("description") else "") + title + ":\n\n"
        result["description"] = _cut(joined + text, MAX_DESCRIPTION)


def _cut(text, limit):
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _parse_numpy(lines):
    result = {"style": "numpy", "params": [], "returns": [], "raises": []}
    sections = []
    for i in range(1, len(lines)):
        if _NUMPY_SECTION.match(lines[i]) and lines[i - 1].strip():
            sections.append(i - 1)
    _intro(lines, result, end=sections[0] if sections else None)
    for n, start in enumerate(sections):
        title = lines[start].strip().lower()
        end = sections[n + 1] if n + 1 < len(sections) else len(lines)
        target = _NUMPY_KNOWN.get(title)
        if title in ("notes", "examples"):
            _append_section(result, title.capitalize(), lines[start + 2:end])
        if target is None:
            continue
        body = lines[start + 2:end]
        for head, text in _numpy_items(body):
            if target == "raises":
                result["raises"].append(_item(None, head, text))
                continue
            m = _NUMPY_PARAM.match(head)
            if target == "returns" and (not m or m.group(2) is None):
                # "Returns" entries may be just a type.
                result["returns"].append(_item(None, head, text))
            elif m:
                for name in m.group(1).split(","):
                    name = name.strip()
                    if name:
                        result[target].append(_item(name, m.group(2), text))
    return result


def _numpy_items(body):
    """Yields (head line, description) pairs: heads are not indented, descriptions are."""
    head, text = None, []
    indent = None
    for line in body:
        if not line.strip():
            if head is not None:
                text.append("")
            continue
        this = len(line) - len(line.lstrip())
        if indent is None:
            indent = this
        if this <= indent:
            if head is not None:
                yield head, _join(text)
            head, text = line.strip(), []
        else:
            text.append(line.strip())
    if head is not None:
        yield head, _join(text)


def _join(text):
    paragraphs, current = [], []
    for line in text:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)


def _item(name, type_, text):
    item = {}
    if name:
        item["name"] = name
    if type_ and type_.strip():
        item["type"] = _cut(type_.strip(), 200)
    if text and text.strip():
        item["description"] = _cut(text, MAX_ITEM)
    return item


def _parse_google(lines):
    result = {"style": "google", "params": [], "returns": [], "raises": []}
    first = None
    for i, line in enumerate(lines):
        m = _GOOGLE_HEADER.match(line.strip())
        if m and (line.strip().lower().rstrip(":") in _GOOGLE_HEADERS
                  or line.strip().lower().rstrip(":") in ("example", "examples", "note", "notes", "attributes",
                                                         "todo", "warning", "warnings", "see also", "references")):
            if first is None:
                first = i
    _intro(lines, result, end=first)
    if first is None:
        return result
    i = first
    while i < len(lines):
        header = lines[i].strip().lower().rstrip(":")
        base = len(lines[i]) - len(lines[i].lstrip())
        j = i + 1
        block = []
        while j < len(lines) and (not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > base):
            block.append(lines[j])
            j += 1
        target = _GOOGLE_HEADERS.get(header)
        if target:
            for head, text in _numpy_items(block):
                if target == "params":
                    m = _GOOGLE_ITEM.match(head)
                    if m:
                        result["params"].append(_item(m.group(1), m.group(2), _join([m.group(3), text])))
                elif target == "returns":
                    m = re.match(r"^([^:]+):\s*(.*)$", head)
                    if m and not head.strip().endswith(":") and " " not in m.group(1).strip():
                        result["returns"].append(_item(None, m.group(1), _join([m.group(2), text])))
                    else:
                        result["returns"].append(_item(None, None, _join([head, text])))
                else:
                    m = re.match(r"^([\w.]+)\s*:\s*(.*)$", head)
                    if m:
                        result["raises"].append(_item(None, m.group(1), _join([m.group(2), text])))
        i = j
        while i < len(lines) and not _GOOGLE_HEADER.match(lines[i].strip()):
            i += 1
    return result


def _parse_rest(lines):
    result = {"style": "rest", "params": [], "returns": [], "raises": []}
    first = next(i for i, line in enumerate(lines) if _REST_FIELD.match(line.strip()))
    _intro(lines, result, end=first)
    params, types = {}, {}
    returns_text, returns_type = None, None
    i = first
    while i < len(lines):
        m = _REST_FIELD.match(lines[i].strip())
        i += 1
        if not m:
            continue
        text = [m.group(3)]
        while i < len(lines) and lines[i].strip() and not lines[i].strip().startswith(":"):
            text.append(lines[i].strip())
            i += 1
        body = " ".join(t for t in text if t)
        field, arg = m.group(1), (m.group(2) or "").strip()
        if field in ("param", "parameter", "arg", "argument", "key", "keyword"):
            parts = arg.split()
            name = parts[-1] if parts else ""
            if len(parts) > 1:
                types[name] = " ".join(parts[:-1])
            params[name] = body
        elif field == "type":
            types[arg] = body
        elif field in ("returns", "return"):
            returns_text = body
        elif field == "rtype":
            returns_type = body
        else:
            result["raises"].append(_item(None, arg, body))
    for name, body in params.items():
        result["params"].append(_item(name, types.get(name), body))
    if returns_text or returns_type:
        result["returns"].append(_item(None, returns_type, returns_text))
    return result
