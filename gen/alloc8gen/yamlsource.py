"""Read a spec file into a small tree of located nodes, refusing anything risky.

PyYAML's composer gives us line numbers; we then turn its nodes into `Node`s that carry
a Python value and a 1-based line. Anchors and aliases are refused outright (no alias bombs,
and a spec never needs them), as are files that are too large, not UTF-8, nested too deeply,
or hold more than one document.
"""

import yaml

from .errors import SpecError

MAX_BYTES = 1 << 20
MAX_DEPTH = 16
PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


class Node:
    """A YAML value with the line it starts on.

    kind is "map" (value: list of (key Node, value Node)), "seq" (value: list of Node)
    or "scalar" (value: str, int, bool, float, None, ...).
    """

    __slots__ = ("kind", "value", "line")

    def __init__(self, kind, value, line):
        self.kind = kind
        self.value = value
        self.line = line


def load(path):
    """Return the root Node of the spec at `path` (a mapping), or raise SpecError."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise SpecError(path, 0, f"cannot read the spec ({e.strerror})",
                        "a readable YAML file") from None
    if len(data) > MAX_BYTES:
        raise SpecError(path, 1, "the spec is larger than 1 MiB",
                        "a small YAML file") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise SpecError(path, line, "the spec is not UTF-8 text",
                        "a UTF-8 YAML file") from None
    bad = next((i for i, c in enumerate(text) if c == "\0" or (ord(c) < 32 and c not in "\t\n\r")), None)
    if bad is not None:
        raise SpecError(path, text[:bad].count("\n") + 1,
                        "the spec contains a control character (binary data?)",
                        "a UTF-8 YAML text file") from None
    _refuse_aliases(path, text)
    try:
        docs = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        problem = (e.problem or e.context or "invalid YAML").strip()
        raise SpecError(path, line, f"YAML syntax error: {problem}",
                        "valid YAML (see docs/spec.md)") from None
    except (yaml.YAMLError, RecursionError):
        raise SpecError(path, 1, "the spec could not be parsed as YAML",
                        "valid YAML (see docs/spec.md)") from None
    docs = [d for d in docs if d is not None]
    if not docs:
        raise SpecError(path, 1, "the spec is empty",
                        "a mapping with at least 'name' and 'entry'")
    if len(docs) > 1:
        raise SpecError(path, docs[1].start_mark.line + 1, "the spec holds more than one YAML document",
                        "exactly one document")
    root = _convert(path, docs[0], 0)
    if root.kind != "map":
        raise SpecError(path, root.line, f"the spec's top level is a {kind_name(root)}",
                        "a mapping with at least 'name' and 'entry'")
    return root


def _refuse_aliases(path, text):
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            anchor = getattr(event, "anchor", None)
            if isinstance(event, yaml.AliasEvent) or anchor is not None:
                raise SpecError(path, event.start_mark.line + 1,
                                "YAML anchors and aliases are not supported in specs",
                                "each value written out in full")
    except yaml.YAMLError:
        return  # compose_all reports syntax errors with a better message


def _convert(path, node, depth):
    line = node.start_mark.line + 1
    if depth > MAX_DEPTH:
        raise SpecError(path, line, f"the spec is nested more than {MAX_DEPTH} levels deep",
                        "the flat structure described in docs/spec.md")
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in PLAIN_TAGS:
        raise SpecError(path, line, f"unsupported YAML tag {node.tag!r}",
                        "a plain string, number, boolean, list or mapping")
    if isinstance(node, yaml.MappingNode):
        pairs = [(_convert(path, k, depth + 1), _convert(path, v, depth + 1)) for k, v in node.value]
        return Node("map", pairs, line)
    if isinstance(node, yaml.SequenceNode):
        return Node("seq", [_convert(path, v, depth + 1) for v in node.value], line)
    try:
        value = yaml.constructor.SafeConstructor().construct_object(node)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError):
        raise SpecError(path, line, f"unsupported YAML value or tag {node.tag!r}",
                        "a plain string, number, boolean, list or mapping") from None
    return Node("scalar", value, line)


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
    return type(value).__name__
