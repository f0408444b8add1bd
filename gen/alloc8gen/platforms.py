"""Which files each platform gets from a spec, and from which template."""

from .errors import UsageError

# Platforms a spec may list, and those this version generates code for.
GENERATED = ("linux", "windows", "macos")
PLANNED = {}  # platform -> what is planned for it, for platforms accepted in specs but not generated


def outputs(spec, platform):
    """[(path relative to the output directory, template name)] for one platform."""
    if platform not in GENERATED:
        raise UsageError(f"platform '{platform}' is accepted in specs but not generated yet by this "
                         f"version ({PLANNED.get(platform, 'support')} is planned)")
    files = _glue_files(spec, platform) if spec.glue else []
    if spec.heap:
        # the heap dispatch is portable C11: the same templates for every platform
        h = spec.heap.name
        files += [(f"{h}.h", "heap/heap.h.j2"), (f"{h}.c", "heap/heap.c.j2")]
        if spec.heap.cxx_header:
            files.append((f"{h}.hpp", "heap/heap.hpp.j2"))
    return [(f"{platform}/{f}", t) for f, t in files]


def _glue_files(spec, platform):
    name = spec.name
    files = [(f"{name}_glue.h", "common/glue.h.j2"), (f"{name}_malloc.c", _malloc_template(spec, platform))]
    if spec.mode == "prefixed":
        files.append((f"{name}.h", "common/prefixed.h.j2"))
    if platform == "macos" and spec.mode == "interpose":
        # the malloc zone that makes the allocator the default zone (docs/platforms.md)
        files += [(f"{name}_macos.h", "macos/macos.h.j2"), (f"{name}_zone.c", "macos/zone.c.j2")]
    if platform == "linux" and spec.mode == "interpose":
        # dlopen with RTLD_DEEPBIND (docs/spec.md): the libraries it loads use the interposer too
        files.append((f"{name}_dlopen.c", "linux/dlopen.c.j2"))
    if spec.has("init"):
        files.append((f"{name}_bootstrap.c", "common/bootstrap.c.j2"))
    if spec.cxx and platform != "windows":  # Windows: operator new calls the CRT's malloc, which is patched
        files.append((f"{name}_cxx.c", "common/cxx.c.j2"))
    if spec.threads:
        files.append((f"{name}_threads.c", f"{platform}/threads.c.j2"))
    return files


def _malloc_template(spec, platform):
    """The template of <name>_malloc.c: on Windows and macOS one per mode (interpose.c.j2 replaces the
    system's functions, prefixed.c.j2 exports the family behind the prefix); Linux has one for both."""
    if platform == "linux":
        return "linux/malloc.c.j2"
    return f"{platform}/{spec.mode}.c.j2"


def describe(spec):
    """key=value lines about a spec for build systems and scripts (alloc8_add_interposer and
    alloc8_add_heap read them; the test scripts read `platforms`). --describe follows them with the
    `output=` lines of output_tags()."""
    t = spec.threads
    return [
        f"platforms={','.join(spec.platforms)}",
        f"glue={int(spec.glue)}",
        f"threads={t.activation if t else 'none'}",
        f"heap={spec.heap.name if spec.heap else 'none'}",
        f"heap_fallback={spec.heap.fallback if spec.heap else 'none'}",
        f"static_wraps={','.join(static_wraps(spec))}",
        f"self_wraps={','.join(spec.self_checked + [a for a, _ in spec.libc_aliases])}",
    ]


def static_wraps(spec):
    """The functions a Linux static archive defines as __wrap_<name>, for the linker's --wrap."""
    wraps = ["__register_atfork"] if spec.glue and spec.has("lock") else []
    return wraps + (["pthread_create", "thrd_create"] if spec.glue and spec.threads else [])


def selected(spec, requested):
    """The platforms to generate for `--platform requested`, and notes about the ones skipped."""
    if requested == "all":
        chosen = [p for p in spec.platforms if p in GENERATED]
        notes = [f"note: {spec.file_name}: platform '{p}' is not generated yet by this version; skipped"
                 for p in spec.platforms if p not in GENERATED]
        if not chosen:
            raise UsageError(f"{spec.file_name} lists no platform this version generates "
                             f"(it generates: {', '.join(GENERATED)})")
        return chosen, notes
    if requested not in spec.platforms:
        raise UsageError(f"{spec.file_name} does not list platform '{requested}' "
                         f"(its platforms: {', '.join(spec.platforms)})")
    outputs(spec, requested)  # raises for platforms not generated yet
    return [requested], []


def output_tags(spec, platform):
    """[(path relative to the output directory, [tag...])] for the outputs of one platform, in the
    order of outputs(): what a build needs to know about each (--describe prints them as `output=`
    lines; cmake/alloc8.cmake builds by them). Each output is either
      glue        part of the interposer (or prefixed library): alloc8_add_interposer builds it, or
      heap        part of the heap dispatch: alloc8_add_heap builds it,
    and may also be
      threads     the thread-hook source (ALLOC8_THREAD_HOOKS switches its hooks),
      cxx         the C++ operators (on macOS their interpose entries name libc++abi's: link libc++),
      exceptions  to be compiled with exceptions enabled (-fexceptions): a new_handler's
                  std::bad_alloc unwinds through operator new, and thread cancellation through the
                  pthread_create trampoline. Not on Windows: operator new is the C runtime's there,
                  and no wrapper stands between CreateThread and the start routine.
    The tags follow from the template that writes the file, never from its name."""
    result = []
    for path, template in outputs(spec, platform):
        tags = ["heap" if template.startswith("heap/") else "glue"]
        if template == f"{platform}/threads.c.j2":
            tags.append("threads")
        if template == "common/cxx.c.j2":
            tags.append("cxx")
        if platform != "windows" and ("threads" in tags or "cxx" in tags):
            tags.append("exceptions")
        result.append((path, tags))
    return result
