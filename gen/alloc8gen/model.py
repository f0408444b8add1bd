# SPDX-License-Identifier: MIT
"""The model of a validated spec: what the templates read.

validate.py builds it from a spec file; everything here is already checked, and the facts the
templates need (which names the glue defines, which it leaves to the allocator) are computed here
rather than in the templates.
"""

import os
from dataclasses import dataclass, field

from . import cdecl, exports
from .errors import printable
from .roles import MAY_ALLOCATE

# Argument forms beyond the canonical parameters (docs/spec.md, "entry"): name -> (C type, the
# canonical parameters it stands for, C expression).
DERIVED_ARGS = {
    "lg_alignment": ("int", ("alignment",), "(int)__builtin_ctzll(alignment)"),  # jemalloc MALLOCX_ALIGN
    "total": ("size_t", ("count", "size"), "count * size"),  # calloc as one size (overflow checked first)
    "const_ptr": ("const void *", ("ptr",), "ptr"),  # mi_usable_size(const void *), jemalloc's sallocx
    "size_or_1": ("size_t", ("size",), "size + (size == 0)"),  # jemalloc's sdallocx of an aligned 0-byte block
}

# spec.library: the roles whose pointer starts at a first-call function of the glue (Spec.first_call).
FIRST_CALL_ROLES = ("malloc", "free")

# Integer constants in an entry's args: spec type -> (C type, smallest, largest, C expression
# format). A plain integer is an int (a flags word); `{size_t: 0}` or `{unsigned: 0}` gives the
# constant the type of the allocator's parameter, so that the glue declares the function as it is
# (mimalloc's size_t offset). The ranges hold on every data model the platforms use.
CONSTANT_TYPES = {
    "int": ("int", -(1 << 31), (1 << 31) - 1, "{}"),
    "unsigned": ("unsigned int", 0, (1 << 32) - 1, "{}u"),
    "size_t": ("size_t", 0, (1 << 32) - 1, "(size_t){}u"),
}


@dataclass(frozen=True)
class Constant:
    """An integer constant among an entry's arguments, with its C type (a CONSTANT_TYPES key)."""
    kind: str
    value: int

    @property
    def ctype(self):
        return CONSTANT_TYPES[self.kind][0]

    @property
    def expr(self):
        return CONSTANT_TYPES[self.kind][3].format(self.value)

# guarantees.sets_errno: entries set ENOMEM on every failure except requests over PTRDIFF_MAX bytes.
SETS_ERRNO_EXCEPT_OVERSIZE = "except_oversize"
# guarantees.sets_errno as a list: the allocating entries that set it themselves (the glue, the others).
ERRNO_ROLES = ("malloc", "aligned", "calloc", "realloc")


@dataclass(frozen=True)
class Entry:
    """A role bound to one of the allocator's symbols."""
    role: object      # roles.Role
    symbol: str
    order: tuple      # the symbol's arguments: canonical names, DERIVED_ARGS names or Constants
    line: int = 0     # the spec line that binds it (for messages)
    library: bool = False  # a function of spec.library, called through the pointer `callee`
    from_alignment: int = 0  # entry.aligned_large: the smallest alignment it serves

    @property
    def pointer(self):
        """spec.library: the glue's pointer to the library's function (an atomic object: see
        Spec.first_call)."""
        return f"alloc8_lib_{self.symbol}"

    @property
    def callee(self):
        """The C expression the glue calls: the symbol, or (spec.library) the pointer that the glue's
        init sets to the library's own function, loaded by ALLOC8_LIB (templates/common/glue.h.j2)."""
        return f"ALLOC8_LIB({self.symbol})" if self.library else self.symbol

    @property
    def canonical(self):
        """The symbol takes the role's own parameters, in the role's order."""
        return self.order == tuple(n for _, n in self.role.params)

    @property
    def params(self):
        """(C type, parameter name) of the allocator's function, in its own order."""
        types = dict((n, t) for t, n in self.role.params)
        out = []
        for i, item in enumerate(self.order):
            if isinstance(item, Constant):
                out.append((item.ctype, f"arg{i}"))
            elif item in DERIVED_ARGS:
                out.append((DERIVED_ARGS[item][0], item))
            else:
                out.append((types[item], item))
        return tuple(out)

    @property
    def prototype(self):
        """The C signature as a comparable tuple (return type, parameter types)."""
        return (self.role.ret, tuple(t for t, _ in self.params))

    @property
    def decl(self):
        """C prototype of the allocator's function (spec.library: the hidden pointer to it)."""
        if self.library:
            return f"extern ALLOC8_HIDDEN {self.declaration(f'(*_Atomic {self.pointer})')}"
        return self.declaration(self.symbol)

    def declaration(self, name):
        return cdecl.declaration(self.role.ret, name, self.params)

    @property
    def call(self):
        """A call of the allocator's function using the canonical parameter names."""
        def expr(item):
            if isinstance(item, Constant):
                return item.expr
            return DERIVED_ARGS[item][2] if item in DERIVED_ARGS else item
        return f"{self.callee}({', '.join(expr(i) for i in self.order)})"


@dataclass(frozen=True)
class Guarantees:
    alignment: int = 16
    sets_errno: object = False  # True, False, "except_oversize" or a tuple of ERRNO_ROLES
    free_preserves_errno: bool = False
    free_accepts_null: bool = False
    accepts_zero_size: bool = True
    alignment_by_size: bool = False
    zeroed_from: int = 0  # blocks of at least this many bytes come zero-filled (0: none)

    @property
    def glue_sets_errno(self):
        """Some failure gets errno = ENOMEM from the glue (alloc8_glue_enomem is needed)."""
        return self.sets_errno is not True

    def checks_null(self, role):
        """The glue sets errno = ENOMEM when the entry bound to `role` returns NULL."""
        if isinstance(self.sets_errno, tuple):
            return role not in self.sets_errno
        return self.sets_errno is False

    @property
    def errno_checked(self):
        """Some entry sets errno itself (the checked build verifies it does)."""
        return any(not self.checks_null(role) for role in ERRNO_ROLES)

    @property
    def sets_errno_text(self):
        """guarantees.sets_errno as the spec writes it (for messages)."""
        if isinstance(self.sets_errno, tuple):
            return "[" + ", ".join(self.sets_errno) + "]"
        return {True: "true", False: "false"}.get(self.sets_errno, self.sets_errno)

    @property
    def refuses_oversize(self):
        """The glue refuses requests over PTRDIFF_MAX bytes itself, before calling an entry."""
        return self.sets_errno == SETS_ERRNO_EXCEPT_OVERSIZE


@dataclass(frozen=True)
class Threads:
    init: str = None
    cleanup: str = None
    created_flag: str = None
    activation: str = "runtime"
    enabled: bool = True
    lazy_init: bool = True  # false: hooks only in threads the wrappers start, no per-call check

    @property
    def weak(self):
        """runtime activation: the hooks are looked up as weak symbols and may be absent."""
        return self.activation == "runtime"

    @property
    def default_on(self):
        """Whether ALLOC8_THREAD_HOOKS defaults to 1 in the generated code."""
        return self.activation == "runtime" or (self.activation == "build" and self.enabled)


@dataclass(frozen=True)
class Heap:
    name: str
    fallback: str = "gc"
    alignment: int = 16
    on_exhaustion: str = "abort"
    cxx_header: bool = False

    # The C functions the heap defines, each <name>_<function>.
    FUNCTIONS = ("allocate", "allocate_norefs", "deallocate", "try_allocate", "try_allocate_norefs")

    @property
    def macro(self):
        """Prefix for the heap's macros (upper case)."""
        return self.name.upper()


@dataclass(frozen=True)
class Spec:
    path: str
    sha256: str
    name: str
    mode: str
    platforms: tuple
    prefix: str
    cxx: bool
    entries: dict = field(hash=False)  # role name -> Entry
    guarantees: Guarantees = Guarantees()
    bootstrap_size: int = 65536
    threads: Threads = None
    heap: Heap = None
    library: str = None  # the shared library whose own functions the entries are (dlopen at the first call)
    direct_calls: bool = False  # linux: the executable's PLT slots of pure forwards go to their targets

    @property
    def checked_calls(self):
        """[(role, Entry)] of the entries that must not call back into the glue (all but
        roles.MAY_ALLOCATE): the run-time and build checks of the allocator's own calls look for them."""
        return [(r, e) for r, e in self.entries.items() if r not in MAY_ALLOCATE]

    def first_call(self, role):
        """spec.library: the pointer to the library's function bound to `role` (malloc or free)
        starts at a function of the glue's own that finds the library on the first call, so the
        glue calls that pointer with no check of its own (templates/common/bootstrap.c.j2). Only
        where the function takes the role's own parameters and is bound to no other role."""
        entry = self.entries.get(role) if self.library and role in FIRST_CALL_ROLES else None
        return (entry is not None and entry.library and entry.canonical
                and all(other.symbol != entry.symbol for r, other in self.entries.items() if r != role))

    @property
    def file_name(self):
        """The spec's file name as written into generated headers and messages (no directories:
        deterministic; characters that are not printable escaped)."""
        return printable(os.path.basename(self.path))

    @property
    def glue(self):
        """Whether the spec describes an allocator to generate glue for (a heap-only spec does not)."""
        return bool(self.entries)

    @property
    def interposes(self):
        """The glue replaces the system's malloc family (mode interpose) rather than exporting it
        behind a prefix."""
        return self.mode == "interpose"

    def has(self, role):
        return role in self.entries

    def aligned_entry(self, alignment):
        """The entry that serves a known alignment: entry.aligned_large from its from_alignment up,
        entry.aligned below."""
        large = self.entries.get("aligned_large")
        return large if large is not None and alignment >= large.from_alignment else self.entries["aligned"]

    @property
    def kept(self):
        """Exported names the glue leaves to the allocator: glibc's own entry points (__libc_*,
        malloc_usable_size) that an entry binds, for a passthrough to glibc."""
        if self.library:  # the names are the library's functions, not glibc's
            return frozenset()
        return frozenset(e.symbol for e in self.entries.values()) & exports.yieldable_names(self.mode)

    @property
    def glibc_serves(self):
        """entry.malloc is glibc's own __libc_malloc (a passthrough): glibc's extras (mallopt,
        mallinfo, malloc_trim, ...) describe and tune the allocator actually serving, so the glue
        leaves them to glibc instead of answering them itself."""
        return self.has("malloc") and self.entries["malloc"].symbol == "__libc_malloc" and not self.library

    @property
    def libc_aliases(self):
        """glibc's __libc_* names the glue defines (interpose mode), as (alias, target) pairs: not
        the ones the allocator's entries are (kept), nor glibc's extras where glibc serves."""
        if not self.interposes:
            return []
        extras = ("mallinfo", "mallopt") if self.glibc_serves else ()
        return [(alias, target) for alias, target in exports.LIBC_ALIASES
                if alias not in self.kept and target not in extras]

    @property
    def kept_libc_aliases(self):
        """glibc's __libc_* names that entries bind (the glue leaves them to glibc), sorted."""
        return sorted(alias for alias, _ in exports.LIBC_ALIASES if alias in self.kept)

    @property
    def self_checked(self):
        """The malloc family's names the glue defines (interpose mode) whose calls from the
        allocator's own code are checked at run time for an entry on the stack."""
        if not self.interposes or self.library:  # a library's functions are not in this library's objects
            return []
        return [name for name in exports.MALLOC_API if name not in self.kept]
