/* SPDX-License-Identifier: MIT */
/* kit.h: what the programs of the alloc8 kit share (docs/checking.md). Header-only, C11 with glibc's
 * extensions (define _GNU_SOURCE before including it).
 *
 * Each kit program exercises an allocator behind the alloc8 glue through the standard API and
 * prints one line per broken contract:
 *
 *   FAIL <program>: <who> broke <contract>: <the smallest call sequence that shows it>
 *
 * <who> is the entry (with the allocator's symbol, from the spec) or the guarantee whose result
 * was wrong, <contract> the words of docs/spec.md (or of the C standard where docs/spec.md only
 * refers to it). The driver (`alloc8-gen SPEC --check-library LIB`, or the CTest tests of
 * alloc8_add_conformance_tests) passes the spec's facts as arguments:
 *
 *   --lib PATH                 the interposer (LD_PRELOAD) or prefixed library (dlopen)
 *   --prefixed PREFIX          prefixed mode: call PREFIXmalloc, ... found in --lib with dlsym
 *   --linked                   --lib is a static archive linked into this program (whole, with
 *                              --export-dynamic): the family must resolve into the program itself
 *   --reference                glibc's own functions (found in libc.so.6), not the allocator's (the
 *                              differential stress's baseline)
 *   --alignment N              guarantees.alignment
 *   --alignment-by-size        guarantees.alignment_by_size
 *   --sets-errno V             guarantees.sets_errno (true, false, except_oversize)
 *   --free-preserves-errno     guarantees.free_preserves_errno
 *   --zeroed-from N            guarantees.zeroed_from
 *   --entry ROLE=SYMBOL        an entry the spec binds (malloc=xxmalloc, threads.cleanup=..., ...)
 *   --threads-at-start         threads.lazy_init: false (the hooks run only in threads started
 *                              through the glue's pthread_create and thrd_create)
 *   --kept NAME                a name of the family the glue leaves to glibc (an entry binds
 *                              glibc's own, as bindings/glibc.yaml's malloc_usable_size)
 *
 * Output goes through write(2) from a buffer on the stack: no stdio buffer (which a broken
 * allocator could corrupt, or which a crash would lose), nothing duplicated by fork. */
#ifndef ALLOC8_KIT_H
#define ALLOC8_KIT_H

#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <ucontext.h>
#include <unistd.h>

#ifdef __cplusplus /* kit/cxx.cpp: C++ has no <stdatomic.h> before C++23 */
#include <atomic>
typedef std::atomic<int> atomic_int;
using std::atomic_fetch_add;
using std::atomic_load;
#else
#include <stdatomic.h>
#endif

/* The API under test: the standard names (interpose mode: they are the interposer's), or the
 * prefixed library's (prefixed mode). free_sized and free_aligned_sized may be missing (glibc
 * before 2.40 has neither: the reference run then uses free). */
struct kit_api {
    void *(*malloc)(size_t);
    void (*free)(void *);
    void *(*calloc)(size_t, size_t);
    void *(*realloc)(void *, size_t);
    void *(*memalign)(size_t, size_t);
    int (*posix_memalign)(void **, size_t, size_t);
    void *(*aligned_alloc)(size_t, size_t);
    void *(*valloc)(size_t);
    void *(*pvalloc)(size_t);
    size_t (*usable_size)(void *);
    void (*free_sized)(void *, size_t);
    void (*free_aligned_sized)(void *, size_t, size_t);
};

enum { KIT_MAX_ENTRIES = 24 };

struct kit_facts {
    const char *program;   /* api, stress, threads, fork */
    const char *lib;       /* --lib */
    const char *prefix;    /* --prefixed; NULL in interpose mode */
    int linked;            /* --linked: --lib is an archive linked into this program */
    int reference;         /* --reference */
    size_t alignment;      /* --alignment */
    int alignment_by_size; /* --alignment-by-size */
    const char *sets_errno;
    int free_preserves_errno;
    size_t zeroed_from;   /* 0: none */
    int threads_at_start; /* --threads-at-start */
    const char *entries[KIT_MAX_ENTRIES];
    int entry_count;
    const char *kept[KIT_MAX_ENTRIES];
    int kept_count;
};

static struct kit_facts K;
static struct kit_api A;
static void *kit_handle = RTLD_DEFAULT; /* where kit_bind found the API: the library in prefixed mode */
static atomic_int kit_failures, kit_checks;
static const char *volatile kit_phase_text = "starting"; /* what the program is doing (signals) */

/* ---- output ---------------------------------------------------------------------------------- */

static inline void kit_write(const char *text, size_t length) {
    while (length > 0) {
        ssize_t n = write(STDOUT_FILENO, text, length);
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            return;
        }
        text += n;
        length -= (size_t)n;
    }
}

#if defined(__GNUC__)
#define KIT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define KIT_PRINTF(a, b)
#endif

static inline void kit_say(const char *format, ...) KIT_PRINTF(1, 2);
static inline void kit_say(const char *format, ...) {
    char line[2048];
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(line, sizeof line - 1, format, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t length = (size_t)n < sizeof line - 2 ? (size_t)n : sizeof line - 2;
    if (length == 0 || line[length - 1] != '\n')
        line[length++] = '\n';
    kit_write(line, length);
}

/* A signal handler may only use this (write and a string). */
static inline void kit_say_raw(const char *a, const char *b, const char *c) {
    kit_write(a, strlen(a));
    kit_write(b, strlen(b));
    kit_write(c, strlen(c));
}

static inline void kit_phase(const char *text) {
    kit_phase_text = text;
}

/* ---- who broke what ------------------------------------------------------------------------- */

/* The symbol the spec binds to `role` (malloc, aligned, threads.cleanup, ...), or NULL. */
static inline const char *kit_symbol(const char *role) {
    size_t n = strlen(role);
    for (int i = 0; i < K.entry_count; i++)
        if (strncmp(K.entries[i], role, n) == 0 && K.entries[i][n] == '=')
            return K.entries[i] + n + 1;
    return NULL;
}

static inline int kit_bound(const char *role) {
    return kit_symbol(role) != NULL;
}

/* "entry.usable_size (my_usable_size)" for each "entry.<role>" in `who` ('+' separates several);
 * a role the spec does not bind is derived by the glue. Other words are copied. */
static inline void kit_who(char *out, size_t size, const char *who) {
    size_t used = 0;
    out[0] = '\0';
    while (*who != '\0' && used + 1 < size) {
        const char *end = strchr(who, '+');
        size_t n = end ? (size_t)(end - who) : strlen(who);
        char word[64];
        snprintf(word, sizeof word, "%.*s", (int)n, who);
        int w;
        if (strncmp(word, "entry.", 6) == 0) {
            const char *symbol = kit_symbol(word + 6);
            w = snprintf(out + used, size - used, "%s%s (%s)", used ? " and " : "", word,
                         symbol ? symbol : "not bound: derived by the glue");
        } else if (strncmp(word, "threads.", 8) == 0) {
            const char *symbol = kit_symbol(word);
            w = snprintf(out + used, size - used, "%s%s (%s)", used ? " and " : "", word,
                         symbol ? symbol : "not bound");
        } else {
            w = snprintf(out + used, size - used, "%s%s", used ? " and " : "", word);
        }
        if (w < 0)
            break;
        used += (size_t)w < size - used ? (size_t)w : size - used - 1;
        who += n;
        if (*who == '+')
            who++;
    }
}

/* Print a FAIL line: `who` broke `contract`; the rest is the call sequence that shows it. */
static inline void kit_fail(const char *who, const char *contract, const char *format, ...) KIT_PRINTF(3, 4);
static inline void kit_fail(const char *who, const char *contract, const char *format, ...) {
    char names[512], sequence[1400];
    kit_who(names, sizeof names, who);
    va_list ap;
    va_start(ap, format);
    vsnprintf(sequence, sizeof sequence, format, ap);
    va_end(ap);
    size_t n = strlen(sequence);
    if (n > 0 && sequence[n - 1] == '\n')
        sequence[n - 1] = '\0';
    kit_say("FAIL %s: %s broke %s: %s", K.program, names, contract, sequence);
}

/* Count a check; print the FAIL line the first time this check fails (a broken contract usually
 * fails for many sizes: the first one is the smallest sequence), count the others. */
#define KIT_CHECK(cond, who, contract, ...)                                                                            \
    do {                                                                                                               \
        static atomic_int kit_seen_;                                                                                   \
        atomic_fetch_add(&kit_checks, 1);                                                                              \
        if (!(cond)) {                                                                                                 \
            atomic_fetch_add(&kit_failures, 1);                                                                        \
            if (atomic_fetch_add(&kit_seen_, 1) == 0)                                                                  \
                kit_fail(who, contract, __VA_ARGS__);                                                                  \
        }                                                                                                              \
    } while (0)

/* The contracts, quoted from docs/spec.md (section in parentheses) or the C standard. */
#define C_USABLE "\"at least the size requested\" (docs/spec.md, entry: usable_size)"
#define C_USABLE_STABLE                                                                                                \
    "\"at least the size requested\" (docs/spec.md, entry: usable_size), which malloc_usable_size "                    \
    "reports for a block until it is freed"
#define C_USABLE_WRITABLE                                                                                              \
    "\"at least the size requested\" (docs/spec.md, entry: usable_size): the bytes it reports "                        \
    "belong to the block alone (glibc's malloc_usable_size: the caller may write them)"
#define C_ZERO_SIZE "\"must accept 0 and then return a unique pointer\" (docs/spec.md, entry: malloc)"
#define C_ALIGNMENT                                                                                                    \
    "\"Blocks are aligned to at least 16 bytes on x86_64 (with guarantees.alignment_by_size, "                         \
    "blocks under 16 bytes to at least 8)\" and guarantees.alignment \"alignment of blocks from "                      \
    "entry.malloc\" (docs/spec.md)"
#define C_ALIGNED                                                                                                      \
    "the alignment requested (docs/spec.md, What the generated glue does: memalign, "                                  \
    "posix_memalign, aligned_alloc, valloc, pvalloc; C11 7.22.3.1)"
#define C_MEMALIGN_ROUND                                                                                               \
    "\"memalign (... non-powers of two are rounded up, absurd ones give EINVAL)\" (docs/spec.md, "                     \
    "What the generated glue does)"
#define C_POSIX_MEMALIGN                                                                                               \
    "\"posix_memalign (EINVAL for an alignment that is not a power of two multiple of "                                \
    "sizeof(void *); *memptr untouched on error)\" (docs/spec.md, What the generated glue does)"
#define C_ALIGNED_ALLOC                                                                                                \
    "\"aligned_alloc (EINVAL for an alignment that is not a power of two, as glibc 2.38+)\" "                          \
    "(docs/spec.md, What the generated glue does)"
#define C_PAGE "\"valloc, pvalloc (page size from sysconf)\" (docs/spec.md, What the generated glue does)"
#define C_ENOMEM "\"Every failed allocation sets errno = ENOMEM\" (docs/spec.md, What the generated glue does)"
#define C_CALLOC_OVERFLOW "\"calloc (overflow: NULL + ENOMEM)\" (docs/spec.md, What the generated glue does)"
#define C_CALLOC_ZERO "\"must return zeroed memory\" (docs/spec.md, entry: calloc)"
#define C_ZEROED_FROM                                                                                                  \
    "\"blocks of at least this many bytes from entry.malloc and entry.aligned come zero-filled\" "                     \
    "(docs/spec.md, guarantees: zeroed_from)"
#define C_FREE_ERRNO                                                                                                   \
    "\"free, free_sized, free_aligned_sized and the C++ delete operators never change errno\" "                        \
    "(docs/spec.md, guarantees: free_preserves_errno)"
#define C_REALLOC_EDGES                                                                                                \
    "\"realloc (realloc(NULL, n) allocates, realloc(p, 0) frees and returns NULL, as glibc)\" "                        \
    "(docs/spec.md, What the generated glue does)"
#define C_REALLOC_KEEPS                                                                                                \
    "\"the contents of the new object shall be the same as that of the old object prior to "                           \
    "deallocation, up to the lesser of the new and old sizes\" (C11 7.22.3.5; docs/spec.md, the "                      \
    "derived realloc: \"malloc + copy of min(usable_size, new size) + free\")"
#define C_REALLOC_FAIL_KEEPS                                                                                           \
    "\"If memory for the new object cannot be allocated, the old object is not deallocated and its "                   \
    "value is unchanged\" (C11 7.22.3.5)"
#define C_DISJOINT                                                                                                     \
    "\"each such allocation shall yield a pointer to an object disjoint from any other object\" "                      \
    "(C11 7.22.3; docs/spec.md, entry: malloc returns a unique pointer)"
#define C_INTACT                                                                                                       \
    "\"the value of the object is unchanged\" while it is allocated (C11 7.22.3: an allocated "                        \
    "object is disjoint from any other object)"
#define C_OWNS                                                                                                         \
    "\"non-zero iff the block is this allocator's; must be safe for any pointer value\" (docs/spec.md, entry: "        \
    "owns): \"blocks that are not (for example allocated before the interposer was in place) are handed to the "       \
    "next definition in the lookup order (glibc's free, malloc_usable_size), and realloc moves them into the "         \
    "allocator\""
#define C_MALLOC_OK "\"may return NULL\" only when memory is exhausted (docs/spec.md, entry: malloc)"
#define C_HOOK_AT_START                                                                                                \
    "\"Threads started with pthread_create or thrd_create: in the new thread, before its start routine\" "             \
    "(docs/threads.md, When init runs)"
#define C_HOOK_LAZY                                                                                                    \
    "\"Every other thread, lazily, exactly once, before its first call into the allocator through the glue\" "         \
    "(docs/threads.md, When init runs)"
#define C_HOOK_CLEANUP "\"Exactly once for every thread that ran init\" (docs/threads.md, When cleanup runs)"
#define C_CREATED_FLAG                                                                                                 \
    "\"The glue stores 1 into it before the first thread it starts can run, and when a thread it did not start "       \
    "attaches\" (docs/threads.md, created_flag)"

/* ---- arguments and the API table ------------------------------------------------------------ */

static inline void kit_usage(const char *why) {
    kit_say("FAIL %s: bad arguments: %s (the kit's programs are run by alloc8-gen --check-library "
            "or by alloc8_add_conformance_tests; docs/checking.md)",
            K.program, why);
    _exit(2);
}

static inline size_t kit_number(const char *text) {
    char *end;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 0);
    if (errno != 0 || *end != '\0' || end == text)
        kit_usage(text);
    return (size_t)value;
}

/* Parse the facts; returns the index of the first argument it does not know (for the program). */
static inline int kit_parse(int argc, char **argv, int *index) {
    K.alignment = 16;
    K.sets_errno = "false";
    int i = *index;
    for (; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--lib") == 0 && v)
            K.lib = v, i++;
        else if (strcmp(a, "--prefixed") == 0 && v)
            K.prefix = v, i++;
        else if (strcmp(a, "--reference") == 0)
            K.reference = 1;
        else if (strcmp(a, "--linked") == 0)
            K.linked = 1;
        else if (strcmp(a, "--alignment") == 0 && v)
            K.alignment = kit_number(v), i++;
        else if (strcmp(a, "--alignment-by-size") == 0)
            K.alignment_by_size = 1;
        else if (strcmp(a, "--sets-errno") == 0 && v)
            K.sets_errno = v, i++;
        else if (strcmp(a, "--free-preserves-errno") == 0)
            K.free_preserves_errno = 1;
        else if (strcmp(a, "--zeroed-from") == 0 && v)
            K.zeroed_from = kit_number(v), i++;
        else if (strcmp(a, "--threads-at-start") == 0)
            K.threads_at_start = 1;
        else if (strcmp(a, "--entry") == 0 && v && strchr(v, '=') != NULL) {
            if (K.entry_count == KIT_MAX_ENTRIES)
                kit_usage("too many --entry");
            K.entries[K.entry_count++] = v;
            i++;
        } else if (strcmp(a, "--kept") == 0 && v) {
            if (K.kept_count == KIT_MAX_ENTRIES)
                kit_usage("too many --kept");
            K.kept[K.kept_count++] = v;
            i++;
        } else
            break;
    }
    *index = i;
    return i;
}

/* The file that defines `address`, as dladdr names it. */
static inline const char *kit_defined_in(void *address) {
    Dl_info info;
    if (address == NULL || dladdr(address, &info) == 0 || info.dli_fname == NULL)
        return "(no object)";
    return info.dli_fname;
}

static inline int kit_same_file(const char *a, const char *b) {
    struct stat sa, sb;
    return a != NULL && b != NULL && stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* Whether `sym` is the allocator's: defined by --lib, or with --linked by this program itself (the
 * object whose base is that of the kit's own data). */
static inline int kit_in_library(void *sym) {
    if (!K.linked)
        return sym != NULL && kit_same_file(kit_defined_in(sym), K.lib);
    Dl_info at, self;
    return sym != NULL && dladdr(sym, &at) != 0 && dladdr((void *)&K, &self) != 0 && at.dli_fbase == self.dli_fbase;
}

/* What serves the program, for messages: the library, or this program linked with the archive. */
static inline const char *kit_server(void) {
    static char text[512];
    if (K.linked && text[0] == '\0')
        snprintf(text, sizeof text, "this program, linked with %s", K.lib);
    return K.linked ? text : K.lib;
}

static inline void *kit_lookup(void *handle, const char *prefix, const char *name, int required) {
    char full[128];
    snprintf(full, sizeof full, "%s%s", prefix, name);
    void *sym = dlsym(handle, full);
    if (sym == NULL && required) {
        kit_say("FAIL %s: served: %s is not defined%s%s: %s", K.program, full, K.lib ? " by " : "", K.lib ? K.lib : "",
                K.prefix ? "is --prefixed right?" : "was the library preloaded?");
        _exit(1);
    }
    return sym;
}

#define KIT_SET(field, sym) memcpy(&(field), &(sym), sizeof(sym))

/* Fill the API table, and prove which allocator serves it: in interpose mode every function of
 * the family must resolve (dlsym(RTLD_DEFAULT), the dynamic linker's own lookup for this
 * program's references) into --lib, so a preload that silently did not apply (a wrong path, a
 * library without these exports) fails here; in a --reference run they must be glibc's. */
static inline void kit_bind(void) {
    static const char *const names[] = {"malloc",        "free",
                                        "calloc",        "realloc",
                                        "memalign",      "posix_memalign",
                                        "aligned_alloc", "valloc",
                                        "pvalloc",       "malloc_usable_size",
                                        "free_sized",    "free_aligned_sized"};
    void *handle = kit_handle;
    const char *prefix = "";
    if (K.reference) {
        /* glibc's own, also in a program that defines the family itself (--linked) */
        handle = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
        if (handle == NULL)
            kit_usage("--reference: libc.so.6 is not loaded");
    } else if (K.prefix != NULL) {
        if (K.lib == NULL)
            kit_usage("--prefixed needs --lib");
        handle = dlopen(K.lib, RTLD_NOW | RTLD_LOCAL);
        if (handle == NULL) {
            const char *why = dlerror();
            kit_say("FAIL %s: served: dlopen(%s) failed: %s", K.program, K.lib, why ? why : "?");
            _exit(1);
        }
        prefix = K.prefix;
        kit_handle = handle;
    } else if (!K.reference && K.lib == NULL) {
        kit_usage("--lib LIB (or --reference)");
    }
    void *syms[12];
    for (int i = 0; i < 12; i++)
        syms[i] = kit_lookup(handle, prefix, names[i], i < 10);
    KIT_SET(A.malloc, syms[0]);
    KIT_SET(A.free, syms[1]);
    KIT_SET(A.calloc, syms[2]);
    KIT_SET(A.realloc, syms[3]);
    KIT_SET(A.memalign, syms[4]);
    KIT_SET(A.posix_memalign, syms[5]);
    KIT_SET(A.aligned_alloc, syms[6]);
    KIT_SET(A.valloc, syms[7]);
    KIT_SET(A.pvalloc, syms[8]);
    KIT_SET(A.usable_size, syms[9]);
    KIT_SET(A.free_sized, syms[10]);
    KIT_SET(A.free_aligned_sized, syms[11]);
    for (int i = 0; i < 12; i++) {
        if (syms[i] == NULL)
            continue;
        const char *where = kit_defined_in(syms[i]);
        int kept = 0;
        for (int k = 0; k < K.kept_count; k++)
            kept |= strcmp(K.kept[k], names[i]) == 0;
        if (K.reference || kept) {
            if (strstr(where, "libc.so") == NULL) {
                kit_say("FAIL %s: served: %s must be glibc's (%s), but it resolves to %s", K.program, names[i],
                        K.reference ? "the reference run" : "the spec binds it as an entry", where);
                _exit(1);
            }
        } else if (!kit_in_library(syms[i])) {
            kit_say("FAIL %s: served: %s%s resolves to %s, not to %s: the allocator does not serve this "
                    "program (%s)",
                    K.program, prefix, names[i], where, kit_server(),
                    K.prefix   ? "a symbol of that name comes first"
                    : K.linked ? "the archive does not define it, or was not linked whole with --export-dynamic"
                               : "the LD_PRELOAD did not apply, or the library does not export it");
            _exit(1);
        }
    }
    if (K.reference)
        kit_say("served: %s: the malloc family resolves to glibc (%s): the reference run", K.program,
                kit_defined_in(syms[0]));
    else
        kit_say("served: %s: the %smalloc family resolves to %s (dladdr)%s", K.program, prefix, kit_server(),
                K.prefix ? ", prefixed mode" : "");
}

/* ---- the thread hooks, as the glue counts them ------------------------------------------------
 * alloc8_thread_hook_counts(out), which the threads file of a library with hooks compiled in
 * defines (templates/linux/threads.c.j2): out[0] 1 if the hooks run in this process, out[1] and
 * out[2] how many times init and cleanup ran in the calling thread, out[3] and out[4] in all
 * threads, out[5] and out[6] how many times they began in all threads, out[7] the hook the
 * calling thread is in (1 init, 2 cleanup, 0 none). Async-signal-safe. */
enum { KIT_HOOK_COUNTS = 8 };
typedef void kit_hook_counts_fn(unsigned long out[KIT_HOOK_COUNTS]);
static kit_hook_counts_fn *kit_hook_counts; /* NULL: no hooks to count */

/* Find the library's alloc8_thread_hook_counts when the spec binds a hook (a failed dlsym may
 * allocate, so not otherwise): in the library itself, never another object's. */
static inline void kit_find_hook_counts(void) {
    if (K.reference || (!kit_bound("threads.init") && !kit_bound("threads.cleanup")))
        return;
    void *sym = dlsym(kit_handle, "alloc8_thread_hook_counts");
    if (kit_in_library(sym))
        KIT_SET(kit_hook_counts, sym);
}

/* ---- signals: a crash or a hang says where it happened ---------------------------------------- */

/* "0x..." of `value` into `out` (at least 19 bytes): a signal handler may not call snprintf. */
static inline const char *kit_hex(char *out, uintptr_t value) {
    char digits[2 * sizeof value];
    int n = 0;
    do {
        digits[n++] = "0123456789abcdef"[value & 15];
        value >>= 4;
    } while (value != 0);
    out[0] = '0';
    out[1] = 'x';
    for (int i = 0; i < n; i++)
        out[2 + i] = digits[n - 1 - i];
    out[2 + n] = '\0';
    return out;
}

/* The decimal digits of `value` into `out` (at least 21 bytes), for a signal handler. */
static inline const char *kit_decimal(char *out, unsigned long value) {
    char digits[21];
    int n = 0;
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    for (int i = 0; i < n; i++)
        out[i] = digits[n - 1 - i];
    out[n] = '\0';
    return out;
}

/* The instruction a fault happened at, from the signal's context (0 where the kit does not know
 * the machine's context layout). */
static inline uintptr_t kit_fault_pc(void *context) {
#if defined(__x86_64__)
    return (uintptr_t)((ucontext_t *)context)->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
    return (uintptr_t)((ucontext_t *)context)->uc_mcontext.pc;
#else
    (void)context;
    return 0;
#endif
}

/* For a fault: " at address A, in FUNCTION (FILE)" or " at address A, at FILE+OFFSET". dladdr is
 * not async-signal-safe, but the program is ending with a fault its own code did not make: the
 * function's name is worth the risk (the alarm still ends a hang in it). */
static inline void kit_say_fault(int sig, siginfo_t *info, void *context) {
    char hex[24];
    if (sig != SIGSEGV && sig != SIGBUS && sig != SIGFPE && sig != SIGILL)
        return;
    if (sig == SIGSEGV || sig == SIGBUS)
        kit_say_raw(" at address ", kit_hex(hex, (uintptr_t)info->si_addr), "");
    uintptr_t pc = kit_fault_pc(context);
    Dl_info where;
    if (pc == 0 || dladdr((void *)pc, &where) == 0 || where.dli_fname == NULL)
        return;
    if (where.dli_sname != NULL) {
        kit_say_raw(", in ", where.dli_sname, " (");
        kit_say_raw(where.dli_fname, ")", "");
    } else {
        kit_say_raw(", at ", where.dli_fname, "+");
        kit_say_raw(kit_hex(hex, pc - (uintptr_t)where.dli_fbase), "", "");
    }
}

/* A thread hook the signal came in: for a fault, ", inside threads.init (SYMBOL), which the glue
 * called in this thread"; for the alarm, ", in threads.init (SYMBOL), which began N times and
 * returned M times (the glue's counts)" while a hook has not returned (in any thread). The driver
 * names the hook from it (gen/alloc8gen/checklib.py, _hook_failure). */
static inline void kit_say_hook(int sig) {
    static const char *const roles[2] = {"threads.init", "threads.cleanup"};
    if (kit_hook_counts == NULL)
        return;
    unsigned long c[KIT_HOOK_COUNTS];
    kit_hook_counts(c);
    for (int i = 0; i < 2; i++) {
        const char *symbol = kit_symbol(roles[i]);
        if (sig != SIGALRM && c[7] == (unsigned long)i + 1) {
            kit_say_raw(", inside ", roles[i], " (");
            kit_say_raw(symbol ? symbol : "?", "), which the glue called in this thread", "");
        } else if (sig == SIGALRM && c[5 + i] > c[3 + i]) {
            char begun[24], returned[24];
            kit_say_raw(", in ", roles[i], " (");
            kit_say_raw(symbol ? symbol : "?", "), which began ", kit_decimal(begun, c[5 + i]));
            kit_say_raw(c[5 + i] == 1 ? " time" : " times", " and returned ", kit_decimal(returned, c[3 + i]));
            kit_say_raw(c[3 + i] == 1 ? " time" : " times", " (the glue's counts)", "");
        } else {
            continue;
        }
        return;
    }
}

static inline void kit_on_signal(int sig, siginfo_t *info, void *context) {
    const char *what = sig == SIGALRM   ? "no progress (its alarm fired: a deadlock?)"
                       : sig == SIGSEGV ? "a segmentation fault (SIGSEGV)"
                       : sig == SIGBUS  ? "a bus error (SIGBUS)"
                       : sig == SIGABRT ? "an abort (SIGABRT)"
                                        : "a fatal signal";
    kit_say_raw("FAIL ", K.program, ": ");
    kit_say_raw(what, "", "");
    kit_say_fault(sig, info, context);
    kit_say_hook(sig);
    kit_say_raw(" while ", kit_phase_text, "\n");
    if (sig == SIGALRM)
        _exit(3);
    signal(sig, SIG_DFL);
    raise(sig);
}

static inline void kit_catch_signals(void) {
    /* a stack of its own for the main thread's handler: a recursion that overflowed the stack
       (an entry or hook that calls itself through malloc) is reported too */
    static char alternate[1 << 16];
    stack_t stack;
    memset(&stack, 0, sizeof stack);
    stack.ss_sp = alternate;
    stack.ss_size = sizeof alternate;
    int on_stack = sigaltstack(&stack, NULL) == 0 ? SA_ONSTACK : 0;
    int signals[] = {SIGSEGV, SIGBUS, SIGABRT, SIGALRM, SIGFPE, SIGILL};
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = kit_on_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER | on_stack;
        sigaction(signals[i], &sa, NULL);
    }
}

/* The phase of the first allocation when the spec binds entry.init, which it runs (the driver
 * explains a failure in it with the bootstrap area's rules), or threads.init, which it runs in the
 * main thread unless the library attached it when it was loaded (threads.lazy_init: false). */
#define KIT_INIT_PHASE "the first allocation, malloc(1), which runs entry.init"
#define KIT_HOOK_PHASE "the first allocation, malloc(1), which runs threads.init in the main thread"
/* The first allocation's watchdog: it does microseconds of work, so only a hang outlasts this. */
enum { KIT_FIRST_ALLOCATION_SECONDS = 20 };

/* The program's start: facts, service proof, signal handlers, a watchdog of `seconds` (a safety
 * net far above the program's own time: the failure it reports is a hang). With entry.init or
 * threads.init bound, the first allocation is made here, in a phase and under a watchdog of its
 * own: nothing the kit does before it allocates (dlsym and dladdr of names that exist do not). */
static inline int kit_begin(const char *program, int argc, char **argv, unsigned seconds) {
    K.program = program;
    int next = 1;
    kit_parse(argc, argv, &next);
    kit_catch_signals();
    alarm(seconds);
    kit_bind();
    int init = kit_bound("init"), hook = kit_bound("threads.init") && !K.threads_at_start;
    if ((init || hook) && !K.reference) {
        kit_phase(init ? KIT_INIT_PHASE : KIT_HOOK_PHASE);
        alarm(KIT_FIRST_ALLOCATION_SECONDS);
        kit_find_hook_counts(); /* here: when the library has no such function, dlsym allocates */
        A.free(A.malloc(1));
        alarm(seconds);
        kit_phase("starting");
    } else {
        kit_find_hook_counts();
    }
    return next;
}

/* The last line: "<program>: N checks passed" (exit 0) or "<program>: F of N checks failed". */
static inline int kit_report(void) {
    int failures = atomic_load(&kit_failures), checks = atomic_load(&kit_checks);
    if (failures) {
        kit_say("%s: %d of %d checks failed", K.program, failures, checks);
        return 1;
    }
    kit_say("%s: %d checks passed", K.program, checks);
    return 0;
}

/* ---- small helpers ---------------------------------------------------------------------------- */

/* Hide deliberately absurd sizes and alignments from the compiler's diagnostics and folding. */
static inline size_t kit_opaque(size_t value) {
    volatile size_t hidden = value;
    return hidden;
}

static inline int kit_aligned(const void *p, size_t alignment) {
    return ((uintptr_t)p & (alignment - 1)) == 0;
}

/* The alignment every block of `size` bytes from malloc must have (docs/spec.md: 16 on x86_64,
 * guarantees.alignment when larger; with alignment_by_size, blocks smaller than that only as their
 * size needs: at least 8 under 16 bytes, 16 above). */
static inline size_t kit_min_alignment(size_t size) {
    size_t a = K.alignment > 16 ? K.alignment : 16;
    if (K.alignment_by_size && size < a)
        return size < 16 ? 8 : 16;
    return a;
}

/* The entry that makes plain blocks: entry.aligned when guarantees.alignment is under 16. */
static inline const char *kit_plain_entry(void) {
    return K.alignment < 16 ? "entry.aligned" : "entry.malloc";
}

/* splitmix64: the kit's random numbers (seeded, identical under every allocator) */
static inline uint64_t kit_random(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

#endif
