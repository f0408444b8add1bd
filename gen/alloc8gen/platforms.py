# SPDX-License-Identifier: MIT
"""The platforms: what each needs from a spec, which files it gets, and from which template."""

from dataclasses import dataclass

from . import exports
from .errors import UsageError


@dataclass(frozen=True)
class Platform:
    """One platform a spec may list. Every fact that differs between platforms is here."""
    name: str
    # interpose mode: extra (file suffix, template) pairs after <name>_malloc.c
    interpose_files: tuple = ()
    # why interpose mode needs entry.owns (None: it does not)
    needs_owns: str = None
    # (why entry.init is refused, what to write instead), or None where init is supported
    refuses_init: tuple = None
    # the C++ operators get a file of their own (Windows: operator new calls the C runtime's
    # malloc, which is patched)
    cxx_file: bool = True
    # the thread-hook and C++ sources are compiled with -fexceptions (a new_handler's
    # std::bad_alloc unwinds through operator new, and thread cancellation through the
    # pthread_create trampoline). Not on Windows: operator new is the C runtime's there, and no
    # wrapper stands between CreateThread and the start routine.
    exceptions: bool = True
    # <name>_malloc.c comes from one template per mode (<platform>/<mode>.c.j2) rather than one
    # for both (<platform>/malloc.c.j2)
    malloc_per_mode: bool = True
    # An ELF system with a dynamic linker (linux, musl): RTLD_NEXT, the thread-local models, static
    # archives used with the linker's --wrap. The shared templates read this, never the name.
    elf: bool = False
    # ELF: the C library, for the generated comments (glibc, musl)
    libc: str = None
    # ELF: the thread-hook template (None: <platform>/threads.c.j2)
    threads_template: str = None
    # ELF: the C preprocessor condition under which <threads.h> and thrd_create exist (None: always)
    c11_threads: str = None
    # ELF: the libc runs C++ thread_local destructors (__cxa_thread_atexit_impl) before the key
    # destructors of a thread that ends (glibc); the thread hooks use it to see an exit begin
    cxa_thread_atexit: bool = False
    # ELF: the function every atfork registration ends in, which the glue wraps (and a static
    # archive's users link with --wrap for) so that its own handlers are registered first
    atfork: str = None
    # ELF: the glue checks the allocator's own calls into it at run time (alloc8_add_interposer links
    # with --wrap=<name> for the names describe() lists as self_wraps)
    self_checks: bool = False
    # ELF: the malloc family's names the glue defines in interpose mode
    malloc_api: tuple = exports.MALLOC_API
    # ELF: the glue defines glibc's __libc_* names (aliases of the family)
    libc_aliases: bool = False
    # ELF: the glue gives gcc's unwinder (used by the run-time check) the _dl_find_object that a gcc
    # built for glibc 2.35+ calls and this libc does not have
    find_object: bool = False
    # interpose mode with spec.direct_calls: (file suffix, template) of the code that points the
    # executable's calls at what the glue's forwarding functions jump to (None: not supported)
    direct_calls_file: tuple = None


PLATFORMS = {p.name: p for p in (
    Platform(
        "linux",
        # dlopen with RTLD_DEEPBIND (docs/spec.md): the libraries it loads use the interposer too
        interpose_files=(("_dlopen.c", "linux/dlopen.c.j2"),),
        # it uses the re-pointing of references in <name>_dlopen.c
        direct_calls_file=("_direct.c", "linux/direct_calls.c.j2"),
        malloc_per_mode=False,
        elf=True,
        libc="glibc",
        c11_threads="defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 28))",
        cxa_thread_atexit=True,
        atfork="__register_atfork",
        self_checks=True,
        libc_aliases=True,
    ),
    Platform(
        # musl-based Linux (Alpine, static musl links; docs/platforms.md, "musl"): the eight
        # functions musl lets a program replace, its own semantics; the Linux thread hooks
        "musl",
        malloc_per_mode=False,
        elf=True,
        libc="musl",
        threads_template="linux/threads.c.j2",
        atfork="pthread_atfork",  # musl has no __register_atfork
        self_checks=True,
        malloc_api=exports.MUSL_MALLOC_API,
        find_object=True,
    ),
    Platform(
        "macos",
        # the malloc zone that makes the allocator the default zone (docs/platforms.md)
        interpose_files=(("_macos.h", "macos/macos.h.j2"), ("_zone.c", "macos/zone.c.j2")),
        needs_owns="the malloc zone's size() is asked about any pointer and must answer 0 for blocks "
                   "that are not the allocator's",
        refuses_init=("its bootstrap area needs a thread-local, which dyld may set up with malloc",
                      "an allocator that initialises itself on its first call"),
    ),
    Platform(
        "windows",
        needs_owns="blocks the C runtime handed out before the DLL was loaded must go back to it",
        refuses_init=("the DLL initialises the allocator from DllMain",
                      "an allocator that is ready when its DLL is loaded"),
        cxx_file=False,
        exceptions=False,
    ),
)}
NAMES = tuple(PLATFORMS)  # in the order messages list them
# The glue's files for spec <name> are <name>_<suffix>.c/.h with these suffixes (a heap may not take
# these names).
GLUE_FILE_SUFFIXES = tuple(dict.fromkeys(
    ["glue", "malloc", "bootstrap", "cxx", "threads"]
    + [suffix[1:].rsplit(".", 1)[0] for p in PLATFORMS.values()
       for suffix, _ in p.interpose_files + ((p.direct_calls_file,) if p.direct_calls_file else ())]))


def outputs(spec, platform):
    """[(path relative to the output directory, template name)] for one platform."""
    files = _glue_files(spec, PLATFORMS[platform]) if spec.glue else []
    if spec.heap:
        # the heap dispatch is portable C11: the same templates for every platform
        h = spec.heap.name
        files += [(f"{h}.h", "heap/heap.h.j2"), (f"{h}.c", "heap/heap.c.j2")]
        if spec.heap.cxx_header:
            files.append((f"{h}.hpp", "heap/heap.hpp.j2"))
    return [(f"{platform}/{f}", t) for f, t in files]


def _glue_files(spec, platform):
    name = spec.name
    malloc = (f"{platform.name}/{spec.mode}.c.j2" if platform.malloc_per_mode
              else f"{platform.name}/malloc.c.j2")
    files = [(f"{name}_glue.h", "common/glue.h.j2"), (f"{name}_malloc.c", malloc)]
    if spec.interposes:
        files += [(name + suffix, template) for suffix, template in platform.interpose_files]
        if spec.direct_calls and platform.direct_calls_file:
            suffix, template = platform.direct_calls_file
            files.append((name + suffix, template))
    else:
        files.append((f"{name}.h", "common/prefixed.h.j2"))
    if spec.has("init"):
        files.append((f"{name}_bootstrap.c", "common/bootstrap.c.j2"))
    if spec.cxx and platform.cxx_file:
        files.append((f"{name}_cxx.c", "common/cxx.c.j2"))
    if spec.threads:
        files.append((f"{name}_threads.c", threads_template(platform)))
    return files


def threads_template(platform):
    """The template of a platform's thread-hook source."""
    return platform.threads_template or f"{platform.name}/threads.c.j2"


def describe(spec, platform="linux"):
    """key=value lines about a spec for build systems and scripts (alloc8_add_interposer and
    alloc8_add_heap read them; the test scripts read `platforms`), `static_wraps` for `platform`
    (linux unless --platform names another). --describe follows them with the `output=` lines of
    output_tags()."""
    t = spec.threads
    return [
        f"platforms={','.join(spec.platforms)}",
        f"glue={int(spec.glue)}",
        f"mode={spec.mode if spec.glue else 'none'}",
        f"threads={t.activation if t else 'none'}",
        f"heap={spec.heap.name if spec.heap else 'none'}",
        f"heap_fallback={spec.heap.fallback if spec.heap else 'none'}",
        f"library={'yes' if spec.library else 'none'}",
        f"static_wraps={','.join(static_wraps(spec, platform))}",
        f"self_wraps={','.join(self_wraps(spec, platform))}",
    ]


def self_wraps(spec, platform="linux"):
    """The names whose references from the library's own objects go to the glue's run-time checks."""
    return self_checked(spec, platform) + self_aliases(spec, platform)


def self_checked(spec, platform):
    """The malloc family's names among self_wraps: a call is stopped when an entry is on the stack."""
    p = PLATFORMS[platform]
    return [name for name in spec.self_checked if name in p.malloc_api] if p.self_checks else []


def self_aliases(spec, platform):
    """glibc's __libc_* names among self_wraps: a call is always stopped."""
    p = PLATFORMS[platform]
    return [alias for alias, _ in spec.libc_aliases] if p.self_checks and p.libc_aliases else []


def static_wraps(spec, platform="linux"):
    """The functions a Linux (glibc or musl) static archive defines as __wrap_<name>, for the
    linker's --wrap; none on other platforms."""
    atfork = PLATFORMS[platform].atfork
    if atfork is None:
        return []
    wraps = [atfork] if spec.glue and spec.has("lock") else []
    return wraps + (["pthread_create", "thrd_create"] if spec.glue and spec.threads else [])


def selected(spec, requested):
    """The platforms to generate for `--platform requested` ("all": every platform the spec lists)."""
    if requested == "all":
        return list(spec.platforms)
    if requested not in spec.platforms:
        raise UsageError(f"{spec.file_name} does not list platform '{requested}' "
                         f"(its platforms: {', '.join(spec.platforms)})")
    return [requested]


def output_tags(spec, platform):
    """[(path relative to the output directory, [tag...])] for the outputs of one platform, in the
    order of outputs(): what a build needs to know about each (--describe prints them as `output=`
    lines; cmake/alloc8.cmake builds by them). Each output is either
      glue        part of the interposer (or prefixed library): alloc8_add_interposer builds it, or
      heap        part of the heap dispatch: alloc8_add_heap builds it,
    and may also be
      threads     the thread-hook source (ALLOC8_THREAD_HOOKS switches its hooks),
      cxx         the C++ operators (on macOS their interpose entries name libc++abi's: link libc++),
      exceptions  to be compiled with exceptions enabled (-fexceptions; see Platform.exceptions).
    The tags follow from the template that writes the file, never from its name."""
    result = []
    for path, template in outputs(spec, platform):
        tags = ["heap" if template.startswith("heap/") else "glue"]
        if template == threads_template(PLATFORMS[platform]):
            tags.append("threads")
        if template == "common/cxx.c.j2":
            tags.append("cxx")
        if PLATFORMS[platform].exceptions and ("threads" in tags or "cxx" in tags):
            tags.append("exceptions")
        result.append((path, tags))
    return result
