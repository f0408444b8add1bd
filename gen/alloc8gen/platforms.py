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
    files = [(f"{name}_glue.h", "common/glue.h.j2"), (f"{name}_malloc.c", f"{platform}/malloc.c.j2")]
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


def describe(spec):
    """key=value lines about a spec for build systems (alloc8_add_interposer reads them)."""
    t = spec.threads
    return [
        f"name={spec.name}",
        f"mode={spec.mode}",
        f"threads={t.activation if t else 'none'}",
        f"threads_default={int(bool(t and t.default_on))}",
        f"thread_hooks_file={spec.name + '_threads.c' if t else ''}",
        f"glue={int(spec.glue)}",
        f"heap={spec.heap.name if spec.heap else 'none'}",
        f"heap_fallback={spec.heap.fallback if spec.heap else 'none'}",
        f"static_wraps={','.join(static_wraps(spec))}",
        f"self_wraps={','.join(a for a, _ in spec.libc_aliases)}",
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
