# SPDX-License-Identifier: MIT
"""The allocator entry points a spec can bind, with their canonical C signatures.

Each role has a return type and canonical parameters (C type, name). A spec binds a role to
a symbol and may give the symbol's own argument order as a permutation of the canonical names.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    name: str
    ret: str
    params: tuple  # ((ctype, name), ...), canonical order
    required: bool


ROLES = {r.name: r for r in (
    # allocate size bytes; may return NULL; must accept 0
    Role("malloc", "void *", (("size_t", "size"),), True),
    # release a block returned by this allocator
    Role("free", "void", (("void *", "ptr"),), True),
    # bytes usable in a block (>= the size requested)
    Role("usable_size", "size_t", (("void *", "ptr"),), True),
    # allocate with a power-of-two alignment (the glue passes only alignments > the minimum)
    Role("aligned", "void *", (("size_t", "alignment"), ("size_t", "size")), True),
    # the same, for alignments from its `from_alignment` up (then entry.aligned serves only those below)
    Role("aligned_large", "void *", (("size_t", "alignment"), ("size_t", "size")), False),
    # resize a block (the glue handles NULL and 0 itself)
    Role("realloc", "void *", (("void *", "ptr"), ("size_t", "size")), False),
    # allocate zeroed memory (the glue checks count*size for overflow first)
    Role("calloc", "void *", (("size_t", "count"), ("size_t", "size")), False),
    # release a block whose requested size is known
    Role("free_sized", "void", (("void *", "ptr"), ("size_t", "size")), False),
    # release an aligned block whose requested size and alignment are known
    Role("free_aligned_sized", "void", (("void *", "ptr"), ("size_t", "alignment"), ("size_t", "size")), False),
    # non-zero iff ptr belongs to this allocator; must be safe for any pointer
    Role("owns", "int", (("const void *", "ptr"),), False),
    # fork: take every lock of the allocator
    Role("lock", "void", (), False),
    # fork: release them in the parent (and the child, unless fork_child is bound)
    Role("unlock", "void", (), False),
    # fork: reinitialise the locks in the child
    Role("fork_child", "void", (), False),
    # initialise the allocator; called once, lazily; re-entrant calls meanwhile get bootstrap memory
    Role("init", "void", (), False),
    # register a function the allocator calls with an errno value when something fails (mimalloc's
    # mi_register_error); called once at load with the glue's, which turns ENOMEM and EOVERFLOW
    # into errno = ENOMEM
    Role("register_error", "void", (("alloc8_error_fn *", "handler"), ("void *", "arg")), False),
)}

# Entries the glue calls outside any allocation (init, lazily; register_error, at load), which may
# therefore allocate themselves: the checks of an allocator's own calls into the glue skip them.
MAY_ALLOCATE = ("init", "register_error")
