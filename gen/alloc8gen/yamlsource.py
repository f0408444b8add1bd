# SPDX-License-Identifier: MIT
"""Read a spec file into a small tree of located nodes, refusing anything risky.

The file is read once, at most MAX_BYTES, and must be UTF-8 text without control characters.
PyYAML's parser then streams events, and the tree is built from them here with every limit
checked as the events arrive, before the rest of the file is read: nesting deeper than MAX_DEPTH
(also counted by the scanner, so that a line of ten thousand '[' stops at the seventeenth), more
than MAX_NODES values, anchors and aliases (no alias bombs; a spec never needs them), a second
document. Scalars become str, int, bool, float or None with PyYAML's (YAML 1.1) rules; numbers
longer than MAX_NUMBER_CHARS, timestamps, other tags and values PyYAML cannot convert are refused
or kept only as what they are, for the error message.
"""

import yaml

from .errors import SpecError, shorten

MAX_BYTES = 64 * 1024       # a spec is a few kilobytes; the reference spec with its comments ~3 KiB
MAX_DEPTH = 16              # levels of nesting below the top-level mapping
MAX_NODES = 2000            # values (scalars, lists, mappings) in the file; a full spec has ~150
MAX_NUMBER_CHARS = 64       # every number a spec holds fits in a few digits
PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
T = "tag:yaml.org,2002:"
SCALAR_TAGS = (T + "str", T + "null", T + "bool", T + "int", T + "float", T + "timestamp")
VALUE_EXPECTED = "a plain string, number, boolean, list or mapping"


class Node:
    """A YAML value with the line it starts on.

    kind is "map" (value: list of (key Node, value Node)), "seq" (value: list of Node)
    or "scalar" (value: str, int, bool, float, None or a Timestamp).
    """

    __slots__ = ("kind", "value", "line")

    def __init__(self, kind, value, line):
        self.kind = kind
        self.value = value
        self.line = line


class Timestamp:
    """A YAML 1.1 timestamp (2001-12-14, ...): no spec key takes one; kept for the message."""

    def __init__(self, text):
        self.text = text


class _TooDeep(yaml.YAMLError):
    def __init__(self, mark):
        super().__init__()
        self.mark = mark


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader whose scanner refuses to open more flow collections ('[', '{') than a
    spec may nest: its cost per token grows with the open flow levels."""

    def fetch_flow_collection_start(self, TokenClass):
        if self.flow_level > MAX_DEPTH:
            raise _TooDeep(self.get_mark())
        super().fetch_flow_collection_start(TokenClass)


def load(path):
    """Return the root Node of the spec at `path` (a mapping), or raise SpecError."""
    return load_with_bytes(path)[0]


def load_with_bytes(path):
    """(root Node, the file's bytes): the file is read once."""
    data = _read(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise SpecError(path, line, "the spec is not UTF-8 text", "a UTF-8 YAML file") from None
    bad = next((i for i, c in enumerate(text) if _control(c)), None)
    if bad is not None:
        raise SpecError(path, text[:bad].count("\n") + 1,
                        f"the spec contains the control character U+{ord(text[bad]):04X} (binary data?)",
                        "a UTF-8 YAML text file") from None
    return _compose(path, text), data


def _read(path):
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise SpecError(path, 0, f"cannot read the spec ({e.strerror or type(e).__name__})",
                        "a readable YAML file") from None
    except ValueError:  # a path with a NUL byte
        raise SpecError(path, 0, "cannot read the spec (the path is not valid)", "a readable YAML file") from None
    if len(data) > MAX_BYTES:
        raise SpecError(path, 1, f"the spec is larger than {MAX_BYTES // 1024} KiB",
                        "a small YAML file (a spec is a few kilobytes)") from None
    return data


def _control(c):
    o = ord(c)
    # C0 controls but tab and line ends, DEL, C1 controls; U+FFFE and U+FFFF (PyYAML refuses them)
    return (o < 32 and c not in "\t\n\r") or 0x7F <= o <= 0x9F or o in (0xFFFE, 0xFFFF)


def _compose(path, text):
    loader = _Loader(text)
    try:
        return _build(path, loader)
    except _TooDeep as e:
        raise SpecError(path, e.mark.line + 1, f"the spec is nested more than {MAX_DEPTH} levels deep",
                        "the flat structure described in docs/spec.md") from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        problem = (e.problem or e.context or "invalid YAML").strip()
        raise SpecError(path, line, f"YAML syntax error: {shorten(problem, 120)}",
                        "valid YAML (see docs/spec.md)") from None
    except (yaml.YAMLError, RecursionError):
        raise SpecError(path, 1, "the spec could not be parsed as YAML",
                        "valid YAML (see docs/spec.md)") from None
    finally:
        loader.dispose()


def _build(path, loader):
    """Build the tree from the event stream; every limit is checked at the event that breaks it."""
    roots = []
    stack = []   # open collections: [Node, pending key or None]
    nodes = 0
    while True:
        event = loader.get_event()
        if isinstance(event, yaml.StreamEndEvent):
            break
        if isinstance(event, (yaml.StreamStartEvent, yaml.DocumentStartEvent, yaml.DocumentEndEvent)):
            continue
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise SpecError(path, line, "YAML anchors and aliases are not supported in specs",
                            "each value written out in full")
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            node = stack.pop()[0]
        else:
            if roots and not stack:
                raise SpecError(path, line, "the spec holds more than one YAML document", "exactly one document")
            if len(stack) > MAX_DEPTH:
                raise SpecError(path, line, f"the spec is nested more than {MAX_DEPTH} levels deep",
                                "the flat structure described in docs/spec.md")
            nodes += 1
            if nodes > MAX_NODES:
                raise SpecError(path, line, f"the spec holds more than {MAX_NODES} values",
                                "a spec of the size docs/spec.md describes")
            if isinstance(event, yaml.ScalarEvent):
                node = Node("scalar", _scalar(path, loader, event, line), line)
            else:
                collection = isinstance(event, yaml.MappingStartEvent)
                tag = event.tag
                if tag is None or tag == "!":
                    tag = loader.resolve(yaml.MappingNode if collection else yaml.SequenceNode, None,
                                         event.implicit)
                if tag not in PLAIN_TAGS:
                    raise SpecError(path, line, f"unsupported YAML tag {shorten(tag)!r}", VALUE_EXPECTED)
                stack.append([Node("map" if collection else "seq", [], line), None])
                continue
        if not stack:
            roots.append(node)
            continue
        parent = stack[-1]
        if parent[0].kind == "seq":
            parent[0].value.append(node)
        elif parent[1] is None:
            parent[1] = node
        else:
            parent[0].value.append((parent[1], node))
            parent[1] = None
    if not roots:
        raise SpecError(path, 1, "the spec is empty", "a mapping with at least 'name' and 'entry'")
    root = roots[0]
    if root.kind != "map":
        raise SpecError(path, root.line, f"the spec's top level is a {kind_name(root)}",
                        "a mapping with at least 'name' and 'entry'")
    return root


_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_CONVERT = {T + "null": _CONSTRUCTOR.construct_yaml_null, T + "bool": _CONSTRUCTOR.construct_yaml_bool,
            T + "int": _CONSTRUCTOR.construct_yaml_int, T + "float": _CONSTRUCTOR.construct_yaml_float}


def _scalar(path, loader, event, line):
    tag = event.tag
    if tag is None or tag == "!":
        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag not in SCALAR_TAGS:
        raise SpecError(path, line, f"unsupported YAML value or tag {shorten(tag)!r}", VALUE_EXPECTED)
    text = event.value
    if tag == T + "str":
        return text
    if tag == T + "timestamp":
        return Timestamp(text)
    if tag in (T + "int", T + "float") and len(text) > MAX_NUMBER_CHARS:
        raise SpecError(path, line, f"the number {shorten(text, 24)!r} is {len(text)} characters long",
                        f"a number of at most {MAX_NUMBER_CHARS} characters (every number in a spec is small)")
    node = yaml.ScalarNode(tag, text, event.start_mark, event.end_mark, event.style)
    try:
        return _CONVERT[tag](node)
    except Exception:  # PyYAML's converters fail in many ways on explicit tags (!!int '', !!bool x)
        raise SpecError(path, line, f"{shorten(text)!r} is not a {tag[len(T):]} YAML can read",
                        VALUE_EXPECTED + " (quote a string)") from None


def kind_name(node):
    """A short, user-facing description of what a node is."""
    if node.kind == "map":
        return "mapping"
    if node.kind == "seq":
        return "list"
    return describe(node.value)


def describe(value):
    """A short, user-facing description of a scalar's type."""
    if value is None:
        return "null value"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "number"
    if isinstance(value, float):
        return "floating-point number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Timestamp):
        return "date"
    return type(value).__name__
