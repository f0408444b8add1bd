# SPDX-License-Identifier: MIT
"""The build-time check of an allocator's entries (docs/spec.md, "Where an allocator may get its
memory"): no entry may reach, through the functions it calls, a name the glue exports or a libc
function that allocates through the malloc the glue replaces. Such a call comes back into the
allocator, often under its own lock: the first program it serves hangs.

The object files are read with `objdump -t -h -dr` (GNU binutils; llvm-objdump's output works as
well). A function's callees are the symbols its relocations name (calls, tail calls, references
to a function's address), and the functions that direct calls and jumps without a relocation
land in (static helpers in the same section). Relocations against a section (`.text.grow-0x4`,
-ffunction-sections) are resolved to the function at that offset. The parsing looks only at
addresses, relocations and `<symbol>` targets, never at the instruction set.
"""

import bisect
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field

from . import exports
from .errors import UsageError, printable
from .platforms import PLATFORMS

# libc functions that allocate with malloc, calloc or realloc, so that in interpose mode a call to
# one of them from an entry comes back into the allocator. name -> why (shown in the message).
# glibc resolves these internal calls to the process's malloc, which is the glue's.
ALLOCATING_LIBC = {
    # copies of strings
    "strdup": "copies the string into a block from malloc",
    "__strdup": "copies the string into a block from malloc",
    "strndup": "copies the string into a block from malloc",
    "__strndup": "copies the string into a block from malloc",
    "wcsdup": "copies the string into a block from malloc",
    # formatting into a new buffer
    "asprintf": "formats into a block from malloc",
    "__asprintf_chk": "formats into a block from malloc",
    "vasprintf": "formats into a block from malloc",
    "__vasprintf_chk": "formats into a block from malloc",
    # reading lines: the line buffer is malloc'd and grown with realloc
    "getline": "grows its line buffer with realloc",
    "getdelim": "grows its line buffer with realloc",
    "__getdelim": "grows its line buffer with realloc",
    # streams whose buffer or FILE object comes from malloc
    "open_memstream": "allocates its FILE and buffer with malloc",
    "open_wmemstream": "allocates its FILE and buffer with malloc",
    "fmemopen": "allocates its FILE with malloc",
    "fopen": "allocates the FILE with malloc",
    "fopen64": "allocates the FILE with malloc",
    "fdopen": "allocates the FILE with malloc",
    "freopen": "may allocate the stream's buffer with malloc",
    "tmpfile": "allocates the FILE with malloc",
    "popen": "allocates the FILE with malloc",
    # stdio output: the first output to a buffered stream (stdout, a file) mallocs its buffer, and
    # some conversions (wide strings, positional arguments) malloc work space. The compiler turns
    # printf calls into puts, putchar, fputs or fwrite, so those are here as well.
    "printf": "writes to a stdio stream, whose buffer comes from malloc",
    "fprintf": "writes to a stdio stream, whose buffer comes from malloc",
    "vprintf": "writes to a stdio stream, whose buffer comes from malloc",
    "vfprintf": "writes to a stdio stream, whose buffer comes from malloc",
    "__printf_chk": "writes to a stdio stream, whose buffer comes from malloc",
    "__fprintf_chk": "writes to a stdio stream, whose buffer comes from malloc",
    "__vprintf_chk": "writes to a stdio stream, whose buffer comes from malloc",
    "__vfprintf_chk": "writes to a stdio stream, whose buffer comes from malloc",
    "puts": "writes to a stdio stream, whose buffer comes from malloc",
    "fputs": "writes to a stdio stream, whose buffer comes from malloc",
    "fwrite": "writes to a stdio stream, whose buffer comes from malloc",
    "putchar": "writes to a stdio stream, whose buffer comes from malloc",
    "fputc": "writes to a stdio stream, whose buffer comes from malloc",
    "putc": "writes to a stdio stream, whose buffer comes from malloc",
    # other allocating functions
    "realpath": "returns a block from malloc when its buffer argument is NULL",
    "reallocarray": "is glibc's, and calls realloc",
    "qsort": "takes its scratch array from malloc for larger arrays",
    "backtrace": "loads libgcc_s with dlopen on its first call, which allocates",
    "backtrace_symbols": "returns a block from malloc",
    "dlopen": "allocates the loaded library's data with malloc",
    "dlmopen": "allocates the loaded library's data with malloc",
    "dlerror": "formats the message into a block from malloc",
    "pthread_create": "allocates the new thread's TLS vector with malloc",
    "thrd_create": "calls pthread_create, which allocates the new thread's TLS vector with malloc",
}

# The same for musl 1.2.3 (docs/platforms.md, "musl"): the public functions that allocate with the
# malloc a program replaced. musl's stdio never allocates to print (stdout and stderr have static
# buffers, a stream from fopen gets its buffer with its FILE); qsort does not allocate; the dynamic
# linker, dlerror and pthread_create use musl's own allocator or mmap; there is no backtrace.
ALLOCATING_MUSL = {
    "strdup": "copies the string into a block from malloc",
    "strndup": "copies the string into a block from malloc",
    "wcsdup": "copies the string into a block from malloc",
    "asprintf": "formats into a block from malloc",
    "vasprintf": "formats into a block from malloc",
    "getline": "grows its line buffer with realloc",
    "getdelim": "grows its line buffer with realloc",
    "open_memstream": "allocates its FILE and buffer with malloc",
    "open_wmemstream": "allocates its FILE and buffer with malloc",
    "fmemopen": "allocates its FILE with malloc",
    "fopen": "allocates the FILE and its buffer with malloc",
    "fopen64": "allocates the FILE and its buffer with malloc",
    "fdopen": "allocates the FILE and its buffer with malloc",
    "freopen": "opens the new file with fopen, which allocates with malloc",
    "tmpfile": "allocates the FILE and its buffer with malloc",
    "tmpfile64": "allocates the FILE and its buffer with malloc",
    "popen": "allocates the FILE and its buffer with malloc",
    "realpath": "returns a block from strdup when its buffer argument is NULL",
    "reallocarray": "calls realloc",
}
ALLOCATING = {"linux": ALLOCATING_LIBC, "musl": ALLOCATING_MUSL}

# What to do instead, by the kind of callee.
_GET_MEMORY = {"linux": 'Get memory from mmap, from glibc\'s malloc through dlsym(RTLD_NEXT, "malloc"), '
                        "or from a bootstrap area set up in entry.init.",
               "musl": "Get memory from mmap, or from a bootstrap area set up in entry.init."}
_STDIO = "Format with snprintf into a buffer on the stack and write(2) it."
_CONSEQUENCE = "so the call comes back into the allocator (a deadlock under its lock, or endless recursion)"

_CLONE_SUFFIX = re.compile(r"(\.(cold|part|constprop|isra|lto_priv|localalias|llvm)(\.[0-9]+)?)+$")


def glue_exports(spec, platform="linux"):
    """The names the glue for `platform` (linux: glibc, or musl) defines for `spec`
    (templates/linux/malloc.c.j2, templates/musl/malloc.c.j2 and friends): a call to one of them
    from an entry reaches the glue, which calls the entries again."""
    if not spec.interposes:
        names = set(exports.exported_c_names("prefixed", spec.prefix))
    elif platform == "musl":
        names = set(exports.MUSL_MALLOC_API)
    else:
        names = (set(exports.MALLOC_API) | set(exports.GLIBC_EXTRAS)) - set(spec.kept)
        if spec.glibc_serves:  # glibc's own extras are left in place
            names -= set(exports.GLIBC_EXTRAS) - {"cfree"}
        names.update(alias for alias, _ in spec.libc_aliases)
    if spec.cxx:
        names.update(op.mangled(code) for op in exports.CXX_OPERATORS for code in ("m", "j"))
    if spec.threads:  # in every mode: the pthread_create wrapper allocates its start block from the allocator
        names.update(exports.THREAD_WRAPPERS)
    if spec.has("lock"):  # fork handlers registered first (docs/threads.md, "Fork")
        names.add(PLATFORMS[platform].atfork)
    return names


def forbidden_callees(spec, platform="linux"):
    """name -> (why a call to it comes back into the allocator, what to do instead)."""
    found = {}
    if spec.interposes:
        for name, why in ALLOCATING[platform].items():
            instead = _STDIO if why.startswith("writes to a stdio stream") else _GET_MEMORY[platform]
            found[name] = (f"{name} {why}, which is the glue's", instead)
    for name in glue_exports(spec, platform):
        found[name] = (f"the glue exports {name}", _GET_MEMORY[platform])
    return found


# ---- reading objdump's output -------------------------------------------------------------------

@dataclass
class _Function:
    obj: "_Object"
    section: str
    start: int
    name: str
    insns: list = field(default_factory=list)   # [(address, text)]
    relocs: list = field(default_factory=list)  # [(offset, type, target)]


@dataclass
class _Object:
    path: str
    locals: set = field(default_factory=set)          # names of local (static) symbols
    defined: set = field(default_factory=set)         # names of symbols defined here
    functions: list = field(default_factory=list)     # [_Function], in address order per section
    sections: set = field(default_factory=set)        # section names
    aliases: list = field(default_factory=list)       # [(section, address, name)] of function symbols
    lto: bool = False

    def node(self, name):
        """The graph node a reference to `name` from this object means."""
        return ("L", id(self), name) if name in self.locals else ("G", name)


_FILE = re.compile(r"^(.+):\s+file format (\S+)\s*$")
_SECTION_HEADER = re.compile(r"^\s*[0-9]+\s+(\S+)\s+[0-9a-fA-F]{8}\s")
_SYMBOL = re.compile(r"^([0-9a-fA-F]+) (.{7}) (\S+)\s+[0-9a-fA-F]+\s+(.*)$")
_DISASSEMBLY = re.compile(r"^Disassembly of section (.+):\s*$")
_LABEL = re.compile(r"^([0-9a-fA-F]+) <(.+)>:\s*$")
_RELOC = re.compile(r"([0-9a-fA-F]+):\s+(R_[A-Za-z0-9_]+)\s+(\S+)\s*$")
_INSN = re.compile(r"^\s*([0-9a-fA-F]+):\s*(.*)$")
_TARGET = re.compile(r"<([^<>\s]+?)(?:[+-]0x[0-9a-fA-F]+)?>")
_REF = re.compile(r"^(.+?)(?:([+-])0x([0-9a-fA-F]+))?$")
_VISIBILITY = re.compile(r"^\.(hidden|protected|internal) ")


def parse(text):
    """The objects described by `objdump -t -h -dr` output."""
    objects = []
    obj = None
    mode = None
    section = None
    function = None
    for raw in text.splitlines():
        line = raw.rstrip()
        m = _FILE.match(line)
        if m and not line.startswith((" ", "\t")):
            obj = _Object(path=m.group(1))
            objects.append(obj)
            mode, section, function = None, None, None
            continue
        if obj is None:
            continue
        if line in ("Sections:", "SYMBOL TABLE:"):
            mode = line
            continue
        m = _DISASSEMBLY.match(line)
        if m:
            mode, section, function = "code", m.group(1), None
            obj.sections.add(section)
            continue
        if not line.strip():
            if mode == "SYMBOL TABLE:":
                mode = None
            continue
        if mode == "Sections:":
            m = _SECTION_HEADER.match(line)
            if m:
                obj.sections.add(m.group(1))
                if m.group(1).startswith((".gnu.lto_", ".llvm.lto", ".llvmbc")):
                    obj.lto = True
        elif mode == "SYMBOL TABLE:":
            m = _SYMBOL.match(line)
            if m:
                value, flags, where, name = m.groups()
                name = _VISIBILITY.sub("", name.strip()).split("@", 1)[0]
                if where == "*UND*" or not name:
                    continue
                if flags[0] == "l":
                    obj.locals.add(name)
                obj.defined.add(name)
                if flags[6] == "F":
                    obj.aliases.append((where, int(value, 16), name))
        elif mode == "code":
            m = _LABEL.match(line)
            if m:
                function = _Function(obj, section, int(m.group(1), 16), m.group(2))
                obj.functions.append(function)
                continue
            if function is None:
                continue
            r = _RELOC.search(line)
            text = line
            if r:
                function.relocs.append((int(r.group(1), 16), r.group(2), r.group(3)))
                text = line[:r.start()]
                if _INSN.match(line[:r.start()]) is None or not line[:r.start()].strip():
                    continue  # a relocation on a line of its own
            m = _INSN.match(text)
            if m and m.group(2).strip() and m.group(2).strip() != "...":
                function.insns.append((int(m.group(1), 16), m.group(2)))
    return objects


def _is_pc_relative_x86(rtype):
    return re.match(r"^R_X86_64_(PC32|PLT32|GOTPCREL|GOTPCRELX|REX_GOTPCRELX|PC64)$", rtype) is not None


class CallGraph:
    """Functions and what each calls or refers to, over a set of objects."""

    def __init__(self, objects):
        self.objects = objects
        self.edges = {}       # node -> {node}
        self.where = {}       # node -> object path that defines it
        for obj in objects:
            self._add_object(obj)

    def _add_object(self, obj):
        by_section = {}
        for f in obj.functions:
            by_section.setdefault(f.section, []).append(f)
        for fs in by_section.values():
            fs.sort(key=lambda f: f.start)
        self._starts = {section: [f.start for f in fs] for section, fs in by_section.items()}
        for f in obj.functions:
            node = obj.node(f.name)
            self.where.setdefault(node, obj.path)
            self.edges.setdefault(node, set())
        for where, address, name in obj.aliases:  # other names of the same code
            target = self._function_at(by_section, where, address)
            node = obj.node(name)
            if target is not None and target.name != name:
                self.where.setdefault(node, obj.path)
                self.edges.setdefault(node, set()).add(obj.node(target.name))
        for section, fs in by_section.items():
            for i, f in enumerate(fs):
                end = fs[i + 1].start if i + 1 < len(fs) else None
                self._add_function(obj, by_section, f, end)

    def _function_at(self, by_section, section, address):
        """The function of `section` (sorted by address) whose code holds `address`."""
        i = bisect.bisect_right(self._starts.get(section, ()), address) - 1
        return by_section[section][i] if i >= 0 else None

    def _add_function(self, obj, by_section, f, end):
        node = obj.node(f.name)
        out = self.edges.setdefault(node, set())
        starts = [a for a, _ in f.insns]
        ends = starts[1:] + [end]
        relocated = set()
        for offset, rtype, target in f.relocs:
            index = bisect.bisect_right(starts, offset) - 1  # the instruction holding the field
            if index < 0 or (ends[index] is not None and offset >= ends[index]):
                index = None
            else:
                relocated.add(index)
            m = _REF.match(target)
            if not m:
                continue
            name, sign, addend = m.group(1).split("@", 1)[0], m.group(2), m.group(3)  # foo@GLIBC_2.2.5: foo
            if name in obj.sections:
                # a section and an offset in it: the function there (x86-64's PC-relative addends
                # count from the end of the field, which is the end of the instruction here)
                where = int(addend, 16) * (-1 if sign == "-" else 1) if addend else 0
                if _is_pc_relative_x86(rtype):
                    insn_end = ends[index] if index is not None else None
                    where += insn_end - offset if insn_end is not None else 4
                callee = self._function_at(by_section, name, where)
                if callee is not None:
                    callee_node = obj.node(callee.name)
                    if callee_node != node:
                        out.add(callee_node)
                continue
            if name.startswith("*") or name.startswith("."):
                continue  # *ABS*, data sections
            callee_node = obj.node(name)
            if callee_node != node:
                out.add(callee_node)
        for i, (_, text) in enumerate(f.insns):
            if i in relocated:
                continue  # the displayed target is the unrelocated field, not the callee
            for name in _TARGET.findall(text):
                if name == f.name:
                    continue
                callee_node = obj.node(name)
                if callee_node != node and (name in obj.defined or name in obj.locals):
                    out.add(callee_node)

    def defined(self, name):
        return ("G", name) in self.edges

    def paths(self, root, stop):
        """Breadth first from `root`: {callee name: shortest path of nodes} for every global name
        for which stop(name, node_defined) is true. The search does not go past such names."""
        found = {}
        parent = {root: None}
        queue = [root]
        while queue:
            next_queue = []
            for node in queue:
                for callee in sorted(self.edges.get(node, ()), key=_sort_key):
                    if callee in parent:
                        continue
                    parent[callee] = node
                    if callee[0] == "G" and stop(callee[1], callee in self.edges):
                        path, n = [], callee
                        while n is not None:
                            path.append(n)
                            n = parent[n]
                        found.setdefault(callee[1], path[::-1])
                        continue
                    next_queue.append(callee)
            queue = next_queue
        return found


def _sort_key(node):
    return (node[0], str(node[-1]))


def _display(node):
    return _CLONE_SUFFIX.sub("", node[-1])


def _shown_path(path):
    names = []
    for node in path:
        name = _display(node)
        if not names or names[-1] != name:
            names.append(name)
    return " -> ".join(names)


# ---- running the check --------------------------------------------------------------------------

@dataclass
class Result:
    findings: list   # one line each
    notes: list      # one line each


def _is_bitcode(path):
    try:
        with open(path, "rb") as f:
            magic = f.read(4)
    except OSError:
        return False
    return magic in (b"BC\xc0\xde", b"\xde\xc0\x17\x0b")


def run_objdump(objdump, paths):
    """objdump's output for `paths`, and the paths it could not read."""
    argv = [objdump, "-t", "-h", "-dr", "--no-show-raw-insn"] + list(paths)
    try:
        proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL)
    except OSError as e:
        raise FileNotFoundError(e.strerror or str(e)) from None
    out = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    unreadable = [p for p in paths
                  if re.search(r"(^|[\s'\"`])" + re.escape(p) + r"(['\"`:]|$)", err, re.MULTILINE)]
    return out, unreadable


def check(spec, paths, objdump="objdump", platform="linux"):
    """Check the entries of `spec` in the glue for `platform` (linux or musl) against the object
    files `paths`; returns a Result."""
    for p in paths:
        if not os.path.isfile(p):
            raise UsageError(f"--check-entries: cannot read {p}: no such file")
    notes = []
    tool = shutil.which(objdump) if objdump else None
    if tool is None:
        return Result([], [f"alloc8: note: {objdump or 'objdump'} was not found (Debian: apt-get install "
                           "binutils); the allocator's entries were not checked for calls back into the glue"])
    bitcode = [p for p in paths if _is_bitcode(p)]
    machine = [p for p in paths if p not in bitcode]
    objects, unreadable = [], []
    if machine:
        try:
            out, unreadable = run_objdump(tool, machine)
        except FileNotFoundError as e:
            return Result([], [f"alloc8: note: cannot run {tool} ({e}); the allocator's entries were "
                               "not checked for calls back into the glue"])
        objects = parse(out)
    lto = bitcode + [o.path for o in objects if o.lto and not o.functions]
    if lto:
        notes.append(f"alloc8: note: {_some(lto)} hold{'s' if len(lto) == 1 else ''} no machine code (LTO): "
                     "calls made there were not checked for calls back into the glue")
    if unreadable:
        notes.append(f"alloc8: note: {tool} could not read {_some(unreadable)}: calls made there were not "
                     "checked for calls back into the glue")
    graph = CallGraph(objects)
    bad = forbidden_callees(spec, platform)
    glue = glue_exports(spec, platform)

    def stop(name, defined_here):
        if name not in bad:
            return False
        # the glue's names are always the glue's; a libc name defined by the allocator is its own
        return not defined_here or name in glue

    findings = []
    # Not entry.init: while it runs, the calls its thread makes into the glue are served from the
    # bootstrap area (templates/common/bootstrap.c.j2). Nor entry.register_error, called at load.
    for role, entry in spec.checked_calls:
        root = ("G", entry.symbol)
        if not graph.defined(entry.symbol):
            continue  # defined elsewhere (another library, glibc itself): nothing to read
        for callee, path in sorted(graph.paths(root, stop).items(), key=lambda kv: (len(kv[1]), kv[0])):
            why, instead = bad[callee]
            caller = path[-2]
            obj = os.path.basename(graph.where.get(caller, "?"))
            findings.append(printable(
                f"alloc8: entry.{role} ({entry.symbol}) calls {callee} ({_shown_path(path)}, in {obj}): "
                f"{why}, {_CONSEQUENCE}. {instead}"))
    return Result(findings, notes)


def _some(paths, limit=3):
    names = [os.path.basename(p) for p in paths]
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
