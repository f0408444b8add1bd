# SPDX-License-Identifier: MIT
"""C declarations written from a signature: the one place that decides how a type meets a name.

A signature is a return type and parameters ((ctype, name), ...), types spelled as C writes them
("void *", "size_t", "const void *"). The house style puts no space between a `*` and the name.
"""


def before_name(ctype):
    """A C type as written before a name: "void *" as it is, "size_t " with a space."""
    return ctype if ctype.endswith("*") else ctype + " "


def parameters(params):
    """A parameter list from ((ctype, name), ...): "size_t count, size_t size"; "void" when empty."""
    return ", ".join(before_name(t) + n for t, n in params) or "void"


def declaration(ret, name, params):
    """A function declarator: declaration("void *", "f", (("size_t", "n"),)) is "void *f(size_t n)"."""
    return f"{before_name(ret)}{name}({parameters(params)})"


def pointer(ret, params, name=""):
    """The type of a pointer to such a function, "void *(*)(size_t)"; with `name`, a declarator of
    a variable of that type, "void *(*name)(size_t)"."""
    types = ", ".join(t for t, _ in params) or "void"
    return f"{before_name(ret)}(*{name})({types})"


def returns_value(ret):
    """Whether a function of return type `ret` returns something (a call is written `return f(...)`)."""
    return ret.strip() != "void"
