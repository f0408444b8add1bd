# SPDX-License-Identifier: MIT
"""Render a spec's outputs with Jinja2; output is a pure function of the spec's bytes."""

import functools
import os

import jinja2

from . import __version__, cdecl, exports, platforms

TEMPLATES = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "templates"))


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """The templates compiled to Python, kept between runs (compiling them is most of a run's time).
    Jinja keys each by the template's source and the Python version; output does not depend on it.
    A cache that cannot be read or written is only slower."""

    def load_bytecode(self, bucket):
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError):
            bucket.reset()

    def dump_bytecode(self, bucket):
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _template_cache():
    """ALLOC8_TEMPLATE_CACHE: a directory, or 'off'; by default Jinja's own per-user directory
    under the system's temporary one (created private, refused if another user owns it)."""
    where = os.environ.get("ALLOC8_TEMPLATE_CACHE", "")
    if where == "off":
        return None
    try:
        if where:
            os.makedirs(where, mode=0o700, exist_ok=True)
        return _TemplateCache(where or None)
    except (OSError, RuntimeError):  # RuntimeError: Jinja found no safe temporary directory
        return None


@functools.lru_cache(maxsize=None)
def _environment():
    """One environment per process: it compiles each template once (the fuzz test renders
    thousands of specs), or loads it compiled (_TemplateCache)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        bytecode_cache=_template_cache(),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    # Every C declaration written from a signature goes through cdecl: declare(ret, name, params).
    env.globals.update(declare=cdecl.declaration, function_type=cdecl.function_type,
                       returns_value=cdecl.returns_value)
    return env


def render(spec, platform):
    """[(relative path, text)] for one platform."""
    env = _environment()
    context = {
        "spec": spec,
        "platform": platform,
        # the platform's facts (platforms.Platform): shared templates test these, not the name
        "target": platforms.PLATFORMS[platform],
        # the run-time check of the allocator's own calls (linux/self_call.c.j2)
        "self_checked": platforms.self_checked(spec, platform),
        "self_aliases": platforms.self_aliases(spec, platform),
        "version": __version__,
        "libc_alias_signatures": exports.LIBC_ALIAS_SIGNATURES,
        "malloc_api_signatures": exports.MALLOC_API_SIGNATURES,
        "cxx_operators": exports.CXX_OPERATORS,
        "crt_functions": [_crt_function(n, r) for n, r in exports.WINDOWS_CRT_FUNCTIONS],
        "crt_dlls": exports.WINDOWS_CRT_DLLS,
        "crt_imports": exports.WINDOWS_CRT_IMPORTS,
        "crt_pointer": _crt_pointer,
        "crt_signatures": exports.WINDOWS_CRT_SIGNATURES,
        "macos_interposed": [{"name": n, "replacement": r} for n, r in exports.MACOS_INTERPOSED],
        "deepbind_names": exports.deepbind_rebound_names(),
    }
    # `template` names the top-level template in each file's banner (common/macros.j2)
    return [(path, env.get_template(template).render(context, template=template))
            for path, template in platforms.outputs(spec, platform)]


def _crt_function(name, replacement):
    """A Windows C runtime function for the templates: its name, replacement and C signature
    (`ret`, `params` as ((ctype, name), ...), for declare())."""
    ret, params = exports.WINDOWS_CRT_SIGNATURES[replacement]
    return {
        "name": name,
        "replacement": replacement,
        "ret": ret,
        "params": params,
        "args": ", ".join(n for _, n in params),
    }


def _crt_pointer(replacement, name=""):
    """The C type of a pointer to the Windows C runtime function `replacement` (a key of
    exports.WINDOWS_CRT_SIGNATURES), "alloc8_crt_<replacement>_fn *" (the function types are
    declared by templates/windows/crt.c.j2); with `name`, a declarator of it."""
    assert replacement in exports.WINDOWS_CRT_SIGNATURES, replacement
    return f"alloc8_crt_{replacement}_fn *{name}"
