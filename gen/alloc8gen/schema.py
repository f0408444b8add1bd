# SPDX-License-Identifier: MIT
"""Small checks for located YAML values: each returns a Python value or raises SpecError."""

import difflib
import re

from .errors import SpecError, shorten
from .reserved import C_KEYWORDS
from .yamlsource import kind_name

IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
MAX_IDENT = 96


class Checker:
    """Validates nodes of one spec file; knows the file name for error messages."""

    def __init__(self, path):
        self.path = path

    def fail(self, node_or_line, what, expected):
        line = node_or_line if isinstance(node_or_line, int) else node_or_line.line
        raise SpecError(self.path, line, what, expected)

    def mapping(self, node, where, fields):
        """Check node is a mapping with only `fields` as keys; return {key: value node}."""
        if node.kind != "map":
            self.fail(node, f"'{where}' is a {kind_name(node)}",
                      f"a mapping with keys {_list(fields)}")
        out = {}
        for key, value in node.value:
            if key.kind != "scalar" or not isinstance(key.value, str):
                self.fail(key, f"a key in '{where}' is not a plain name", f"one of {_list(fields)}")
            name = key.value
            if name not in fields:
                hint = difflib.get_close_matches(name, fields, n=1, cutoff=0.6)
                hint = f" (did you mean '{hint[0]}'?)" if hint else ""
                self.fail(key, f"unknown key '{shorten(name)}' in '{where}'{hint}", f"one of {_list(fields)}")
            if name in out:
                self.fail(key, f"key '{name}' appears twice in '{where}'", "each key once")
            out[name] = value
        return out

    def require(self, fields, parent, where, key, expected):
        if key not in fields:
            self.fail(parent, f"'{where}' has no '{key}'", expected)
        return fields[key]

    def ident(self, node, where, expected="a C identifier"):
        value = self.string(node, where, expected)
        if not IDENT_RE.match(value):
            self.fail(node, f"'{where}' is {shorten(value)!r}, which is not a C identifier", expected)
        if len(value) > MAX_IDENT:
            self.fail(node, f"'{where}' is longer than {MAX_IDENT} characters", expected)
        if value in C_KEYWORDS:
            self.fail(node, f"'{where}' is the C keyword '{value}'", expected)
        return value

    def string(self, node, where, expected):
        if node.kind != "scalar" or not isinstance(node.value, str):
            self.fail(node, f"'{where}' is a {kind_name(node)}", expected)
        return node.value

    def boolean(self, node, where):
        if node.kind != "scalar" or not isinstance(node.value, bool):
            self.fail(node, f"'{where}' is a {kind_name(node)}", "true or false")
        return node.value

    def choice(self, node, where, choices):
        expected = f"one of {_list(choices)}"
        value = self.string(node, where, expected)
        if value not in choices:
            hint = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
            hint = f" (did you mean '{hint[0]}'?)" if hint else ""
            self.fail(node, f"'{where}' is {shorten(value)!r}{hint}", expected)
        return value

    def integer(self, node, where, lo, hi, power_of_two=False, multiple_of=1):
        expected = f"{'a power of two' if power_of_two else 'a whole number'} from {lo} to {hi}"
        if multiple_of > 1:
            expected += f", a multiple of {multiple_of}"
        if node.kind != "scalar" or isinstance(node.value, bool) or not isinstance(node.value, int):
            self.fail(node, f"'{where}' is a {kind_name(node)}", expected)
        value = node.value
        if not lo <= value <= hi:
            self.fail(node, f"'{where}' is {value}, out of range", expected)
        if power_of_two and value & (value - 1):
            self.fail(node, f"'{where}' is {value}, not a power of two", expected)
        if value % multiple_of:
            self.fail(node, f"'{where}' is {value}, not a multiple of {multiple_of}", expected)
        return value

    def sequence(self, node, where, expected):
        if node.kind != "seq":
            self.fail(node, f"'{where}' is a {kind_name(node)}", expected)
        return node.value


def _list(names):
    return ", ".join(sorted(names))
