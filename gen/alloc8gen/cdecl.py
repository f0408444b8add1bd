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


def function_type(ret, name, params):
    """A declarator of a function type, the parameters' types only: function_type("void *", "f_fn",
    (("size_t", "n"),)) is "void *f_fn(size_t)" (typedef'd, it names the type)."""
    return f"{before_name(ret)}{name}({', '.join(t for t, _ in params) or 'void'})"


def returns_value(ret):
    """Whether a function of return type `ret` returns something (a call is written `return f(...)`)."""
    return ret.strip() != "void"
