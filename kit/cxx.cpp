/* SPDX-License-Identifier: MIT */
/* kit/cxx.cpp: the 20 replaceable C++ operators new and delete through the glue (docs/checking.md).
 *
 *   cxx [facts...]          (kit.h lists the facts; the driver passes them from the spec)
 *
 * First the proof of service: each operator's mangled name, looked up as the dynamic linker binds
 * this program's own references (dlsym(RTLD_DEFAULT)), is defined in --lib (dladdr). Then, through
 * those definitions: plain, array, nothrow and aligned new of many sizes (there, aligned, usable,
 * disjoint from the other live blocks, contents kept), each freed by a matching delete (plain,
 * nothrow, sized with the size requested, aligned, aligned sized); new of 0 bytes; impossible
 * sizes: the throwing forms throw std::bad_alloc, the nothrow forms return nullptr; the
 * std::new_handler loop (called until it removes itself, its exception propagates, nothrow returns
 * nullptr after it); the delete operators keep errno. C++17, compiled only when a C++ compiler is
 * found (otherwise the driver reports the check as skipped). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "kit.h"

#include <new>

namespace {

#if __SIZEOF_SIZE_T__ == 8
#define KIT_Z "m" /* size_t in the Itanium mangling: unsigned long */
#else
#define KIT_Z "j"
#endif

enum op_index {
    NEW,
    NEW_ARRAY,
    NEW_NOTHROW,
    NEW_ARRAY_NOTHROW,
    NEW_ALIGNED,
    NEW_ARRAY_ALIGNED,
    NEW_ALIGNED_NOTHROW,
    NEW_ARRAY_ALIGNED_NOTHROW,
    DELETE,
    DELETE_ARRAY,
    DELETE_NOTHROW,
    DELETE_ARRAY_NOTHROW,
    DELETE_SIZED,
    DELETE_ARRAY_SIZED,
    DELETE_ALIGNED,
    DELETE_ARRAY_ALIGNED,
    DELETE_ALIGNED_NOTHROW,
    DELETE_ARRAY_ALIGNED_NOTHROW,
    DELETE_SIZED_ALIGNED,
    DELETE_ARRAY_SIZED_ALIGNED,
    OPS
};

struct op {
    const char *mangled;
    const char *shown;
    void *address;
};

op ops[OPS] = {
    {"_Znw" KIT_Z, "operator new(size_t)", nullptr},
    {"_Zna" KIT_Z, "operator new[](size_t)", nullptr},
    {"_Znw" KIT_Z "RKSt9nothrow_t", "operator new(size_t, nothrow_t)", nullptr},
    {"_Zna" KIT_Z "RKSt9nothrow_t", "operator new[](size_t, nothrow_t)", nullptr},
    {"_Znw" KIT_Z "St11align_val_t", "operator new(size_t, align_val_t)", nullptr},
    {"_Zna" KIT_Z "St11align_val_t", "operator new[](size_t, align_val_t)", nullptr},
    {"_Znw" KIT_Z "St11align_val_tRKSt9nothrow_t", "operator new(size_t, align_val_t, nothrow_t)", nullptr},
    {"_Zna" KIT_Z "St11align_val_tRKSt9nothrow_t", "operator new[](size_t, align_val_t, nothrow_t)", nullptr},
    {"_ZdlPv", "operator delete(void *)", nullptr},
    {"_ZdaPv", "operator delete[](void *)", nullptr},
    {"_ZdlPvRKSt9nothrow_t", "operator delete(void *, nothrow_t)", nullptr},
    {"_ZdaPvRKSt9nothrow_t", "operator delete[](void *, nothrow_t)", nullptr},
    {"_ZdlPv" KIT_Z, "operator delete(void *, size_t)", nullptr},
    {"_ZdaPv" KIT_Z, "operator delete[](void *, size_t)", nullptr},
    {"_ZdlPvSt11align_val_t", "operator delete(void *, align_val_t)", nullptr},
    {"_ZdaPvSt11align_val_t", "operator delete[](void *, align_val_t)", nullptr},
    {"_ZdlPvSt11align_val_tRKSt9nothrow_t", "operator delete(void *, align_val_t, nothrow_t)", nullptr},
    {"_ZdaPvSt11align_val_tRKSt9nothrow_t", "operator delete[](void *, align_val_t, nothrow_t)", nullptr},
    {"_ZdlPv" KIT_Z "St11align_val_t", "operator delete(void *, size_t, align_val_t)", nullptr},
    {"_ZdaPv" KIT_Z "St11align_val_t", "operator delete[](void *, size_t, align_val_t)", nullptr},
};

typedef void *(*new_fn)(std::size_t);
typedef void *(*new_nothrow_fn)(std::size_t, const std::nothrow_t &);
typedef void *(*new_aligned_fn)(std::size_t, std::align_val_t);
typedef void *(*new_aligned_nothrow_fn)(std::size_t, std::align_val_t, const std::nothrow_t &);
typedef void (*delete_fn)(void *);
typedef void (*delete_nothrow_fn)(void *, const std::nothrow_t &);
typedef void (*delete_sized_fn)(void *, std::size_t);
typedef void (*delete_aligned_fn)(void *, std::align_val_t);
typedef void (*delete_aligned_nothrow_fn)(void *, std::align_val_t, const std::nothrow_t &);
typedef void (*delete_sized_aligned_fn)(void *, std::size_t, std::align_val_t);

template <class F>
F fn(op_index i) {
    F f;
    static_assert(sizeof f == sizeof ops[i].address, "function and data pointers differ in size");
    memcpy(&f, &ops[i].address, sizeof f);
    return f;
}

#define C_CXX_NEW                                                                                                      \
    "\"all 20 Itanium operator new/delete variants ... behave as libstdc++'s and libc++'s own\" (docs/spec.md, What "  \
    "the generated glue does; C++17 [new.delete.single]: a non-null pointer to suitably aligned storage of the "       \
    "size requested)"
#define C_CXX_ALIGNED                                                                                                  \
    "the alignment requested (C++17 [new.delete.single]: the aligned forms return storage aligned to the "             \
    "align_val_t given; docs/spec.md, What the generated glue does)"
#define C_CXX_THROW                                                                                                    \
    "\"a throwing new that fails calls the installed std::new_handler in a loop (the handler may throw, and its "      \
    "exception propagates); with no handler it throws std::bad_alloc\" (docs/spec.md, What the generated glue does)"
#define C_CXX_NOTHROW                                                                                                  \
    "\"the nothrow forms run the same handler loop and return NULL where the throwing form would throw\" "             \
    "(docs/spec.md, What the generated glue does)"

/* The proof of service for the operators: each mangled name resolves into --lib (in a --reference
 * run, anywhere but --lib: the C++ runtime's own). */
void bind_operators() {
    for (int i = 0; i < OPS; i++) {
        ops[i].address = dlsym(RTLD_DEFAULT, ops[i].mangled);
        const char *where = kit_defined_in(ops[i].address);
        if (ops[i].address == nullptr) {
            kit_say("FAIL cxx: served: %s (%s) is not defined in this program (is the C++ runtime linked?)",
                    ops[i].shown, ops[i].mangled);
            _exit(1);
        }
        if (!K.reference && !kit_in_library(ops[i].address)) {
            kit_say("FAIL cxx: served: %s (%s) resolves to %s, not to %s: the allocator does not serve this "
                    "program's C++ operators (the spec's cxx: true makes the glue define them)",
                    ops[i].shown, ops[i].mangled, where, kit_server());
            _exit(1);
        }
    }
    if (K.reference)
        kit_say("served: cxx: the 20 C++ operators resolve to the C++ runtime (%s): the reference run",
                kit_defined_in(ops[NEW].address));
    else
        kit_say("served: cxx: the 20 C++ operators resolve to %s (dladdr)", kit_server());
}

unsigned char pattern(std::size_t i, unsigned seed) {
    return static_cast<unsigned char>(seed + i * 13);
}

void fill(void *p, std::size_t n, unsigned seed) {
    unsigned char *b = static_cast<unsigned char *>(p);
    for (std::size_t i = 0; i < n; i++)
        b[i] = pattern(i, seed);
}

bool intact(const void *p, std::size_t n, unsigned seed) {
    const unsigned char *b = static_cast<const unsigned char *>(p);
    for (std::size_t i = 0; i < n; i++)
        if (b[i] != pattern(i, seed))
            return false;
    return true;
}

/* Frees a block of `n` bytes from new (array: new[]) with one of the matching deletes. */
void free_plain(void *p, std::size_t n, bool array, int how) {
    switch (how % 3) {
    case 0: fn<delete_fn>(array ? DELETE_ARRAY : DELETE)(p); break;
    case 1: fn<delete_nothrow_fn>(array ? DELETE_ARRAY_NOTHROW : DELETE_NOTHROW)(p, std::nothrow); break;
    default: fn<delete_sized_fn>(array ? DELETE_ARRAY_SIZED : DELETE_SIZED)(p, n); break;
    }
}

void free_aligned(void *p, std::size_t n, std::size_t alignment, bool array, int how) {
    std::align_val_t a = static_cast<std::align_val_t>(alignment);
    switch (how % 3) {
    case 0: fn<delete_aligned_fn>(array ? DELETE_ARRAY_ALIGNED : DELETE_ALIGNED)(p, a); break;
    case 1:
        fn<delete_aligned_nothrow_fn>(array ? DELETE_ARRAY_ALIGNED_NOTHROW : DELETE_ALIGNED_NOTHROW)(p, a,
                                                                                                     std::nothrow);
        break;
    default: fn<delete_sized_aligned_fn>(array ? DELETE_ARRAY_SIZED_ALIGNED : DELETE_SIZED_ALIGNED)(p, n, a); break;
    }
}

/* ---- the plain forms: sizes, alignment, usable size, disjoint, contents ----------------------- */

void check_plain() {
    kit_phase("cxx: operator new and new[] (plain and nothrow) of sizes from 0 to 70000 bytes");
    static const std::size_t extra[] = {4095, 4096, 4097, 32768, 65536, 70000};
    for (std::size_t k = 0; k < 1024 + sizeof extra / sizeof extra[0]; k++) {
        std::size_t n = k < 1024 ? k : extra[k - 1024];
        for (int form = 0; form < 4; form++) {
            bool array = form & 1, nothrow = form & 2;
            op_index which = static_cast<op_index>(form);
            void *p = nothrow ? fn<new_nothrow_fn>(which)(n, std::nothrow) : fn<new_fn>(which)(n);
            KIT_CHECK(p != nullptr, kit_plain_entry(), C_CXX_NEW, "p = %s with %zu -> nullptr", ops[which].shown, n);
            if (p == nullptr)
                continue;
            std::size_t need = kit_min_alignment(n);
            KIT_CHECK(kit_aligned(p, need), kit_plain_entry(), C_ALIGNMENT, "p = %s with %zu -> %p, not %zu-aligned",
                      ops[which].shown, n, p, need);
            std::size_t u = A.usable_size(p);
            KIT_CHECK(u >= n, "entry.usable_size", C_USABLE, "p = %s with %zu; malloc_usable_size(p) -> %zu",
                      ops[which].shown, n, u);
            fill(p, n, static_cast<unsigned>(k));
            KIT_CHECK(intact(p, n, static_cast<unsigned>(k)), "entry.malloc", C_INTACT,
                      "p = %s with %zu; write %zu bytes; read them back -> changed", ops[which].shown, n, n);
            free_plain(p, n, array, static_cast<int>(k) + form);
        }
    }
    kit_phase("cxx: 64 live blocks of each size from operator new, side by side");
    static const std::size_t sizes[] = {0, 8, 24, 100, 1000, 5000, 40000};
    enum { LIVE = 64 };
    void *live[LIVE];
    for (std::size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        std::size_t n = sizes[s], span = n ? n : 1;
        for (int i = 0; i < LIVE; i++) {
            live[i] = fn<new_fn>(i & 1 ? NEW_ARRAY : NEW)(n);
            if (live[i] != nullptr)
                fill(live[i], n, static_cast<unsigned>(i));
            for (int j = 0; j < i && live[i] != nullptr; j++) {
                const char *a = static_cast<const char *>(live[i]), *b = static_cast<const char *>(live[j]);
                KIT_CHECK(b == nullptr || a + span <= b || b + span <= a, kit_plain_entry(), C_DISJOINT,
                          "p%d = operator new(%zu) -> %p; ...; p%d = operator new(%zu) -> %p, overlapping p%d (not "
                          "deleted)",
                          j, n, static_cast<const void *>(b), i, n, static_cast<const void *>(a), j);
            }
        }
        for (int i = 0; i < LIVE; i += 2) /* delete half; the others must keep their contents */
            free_plain(live[i], n, false, i / 2);
        for (int i = 1; i < LIVE; i += 2) {
            KIT_CHECK(live[i] == nullptr || intact(live[i], n, static_cast<unsigned>(i)), "entry.malloc+entry.free",
                      C_INTACT, "p%d = operator new[](%zu) -> %p; the even ones of 64 deleted; p%d's contents changed",
                      i, n, live[i], i);
            free_plain(live[i], n, true, i / 2);
        }
    }
    kit_phase("cxx: operator new(0)");
    void *zeros[8];
    for (int i = 0; i < 8; i++) {
        zeros[i] = fn<new_fn>(NEW)(0);
        for (int j = 0; j < i; j++)
            KIT_CHECK(zeros[i] != zeros[j], kit_plain_entry(), C_ZERO_SIZE,
                      "p%d = operator new(0); ...; p%d = operator new(0) -> the same pointer %p, p%d not deleted", j, i,
                      zeros[i], j);
    }
    for (int i = 0; i < 8; i++)
        fn<delete_fn>(DELETE)(zeros[i]);
}

/* ---- the aligned forms -------------------------------------------------------------------------- */

void check_aligned() {
    kit_phase("cxx: aligned operator new and new[] (plain and nothrow), alignments 32 bytes to 1 MiB");
    static const std::size_t sizes[] = {1, 24, 100, 1000, 5000, 70000};
    int how = 0;
    for (std::size_t alignment = 32; alignment <= (std::size_t)1 << 20; alignment *= 2) {
        std::align_val_t a = static_cast<std::align_val_t>(alignment);
        for (std::size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            std::size_t n = sizes[s];
            for (int form = 0; form < 4; form++, how++) {
                bool array = form & 1, nothrow = form & 2;
                op_index which = static_cast<op_index>(NEW_ALIGNED + form);
                void *p =
                    nothrow ? fn<new_aligned_nothrow_fn>(which)(n, a, std::nothrow) : fn<new_aligned_fn>(which)(n, a);
                KIT_CHECK(p != nullptr, "entry.aligned", C_CXX_NEW, "p = %s with %zu, %zu -> nullptr", ops[which].shown,
                          n, alignment);
                if (p == nullptr)
                    continue;
                KIT_CHECK(kit_aligned(p, alignment), "entry.aligned", C_CXX_ALIGNED, "p = %s with %zu, %zu -> %p",
                          ops[which].shown, n, alignment, p);
                std::size_t u = A.usable_size(p);
                KIT_CHECK(u >= n, "entry.usable_size", C_USABLE, "p = %s with %zu, %zu; malloc_usable_size(p) -> %zu",
                          ops[which].shown, n, alignment, u);
                fill(p, n, static_cast<unsigned>(how));
                KIT_CHECK(intact(p, n, static_cast<unsigned>(how)), "entry.aligned", C_INTACT,
                          "p = %s with %zu, %zu; write %zu bytes; read them back -> changed", ops[which].shown, n,
                          alignment, n);
                free_aligned(p, n, alignment, array, how);
            }
        }
    }
}

/* ---- failure: bad_alloc, nullptr, the new_handler loop ------------------------------------------ */

int handler_calls, handler_limit;
struct handler_thrown {};

void counting_handler() {
    if (++handler_calls >= handler_limit)
        std::set_new_handler(nullptr);
}

void throwing_handler() {
    handler_calls++;
    throw handler_thrown();
}

/* Calls the operator `which` (a new) with an impossible size; returns 0: returned nullptr,
 * 1: threw std::bad_alloc, 2: threw handler_thrown, 3: returned a block (freed). */
int impossible(op_index which) {
    std::size_t n = kit_opaque(SIZE_MAX / 2);
    std::align_val_t a = static_cast<std::align_val_t>(64);
    void *p = nullptr;
    try {
        switch (which) {
        case NEW:
        case NEW_ARRAY: p = fn<new_fn>(which)(n); break;
        case NEW_NOTHROW:
        case NEW_ARRAY_NOTHROW: p = fn<new_nothrow_fn>(which)(n, std::nothrow); break;
        case NEW_ALIGNED:
        case NEW_ARRAY_ALIGNED: p = fn<new_aligned_fn>(which)(n, a); break;
        default: p = fn<new_aligned_nothrow_fn>(which)(n, a, std::nothrow); break;
        }
    } catch (const std::bad_alloc &) {
        return 1;
    } catch (const handler_thrown &) {
        return 2;
    }
    if (p != nullptr) {
        A.free(p);
        return 3;
    }
    return 0;
}

const char *outcome(int o) {
    static const char *const words[] = {"returned nullptr", "threw std::bad_alloc", "threw the handler's exception",
                                        "returned a block"};
    return words[o];
}

void check_failure() {
    kit_phase("cxx: impossible sizes (SIZE_MAX / 2): bad_alloc, nullptr, the new_handler loop");
    for (int form = 0; form < 8; form++) {
        op_index which = static_cast<op_index>(form);
        bool nothrow = form & 2;
        const char *who = form >= NEW_ALIGNED ? "entry.aligned+the glue" : "the glue";
        /* no handler */
        std::set_new_handler(nullptr);
        int o = impossible(which);
        KIT_CHECK(o == (nothrow ? 0 : 1), who, nothrow ? C_CXX_NOTHROW : C_CXX_THROW,
                  "no new_handler; %s with SIZE_MAX / 2 %s", ops[which].shown, outcome(o));
        /* a handler that removes itself at its third call */
        handler_calls = 0;
        handler_limit = 3;
        std::set_new_handler(counting_handler);
        o = impossible(which);
        KIT_CHECK(o == (nothrow ? 0 : 1) && handler_calls == 3, who, nothrow ? C_CXX_NOTHROW : C_CXX_THROW,
                  "set_new_handler(h), h removes itself at its 3rd call; %s with SIZE_MAX / 2 %s after %d calls of h",
                  ops[which].shown, outcome(o), handler_calls);
        /* a handler that throws: its exception propagates (nothrow: nullptr) */
        handler_calls = 0;
        std::set_new_handler(throwing_handler);
        o = impossible(which);
        KIT_CHECK(o == (nothrow ? 0 : 2) && handler_calls == 1, who, nothrow ? C_CXX_NOTHROW : C_CXX_THROW,
                  "set_new_handler(h), h throws its own exception; %s with SIZE_MAX / 2 %s after %d calls of h",
                  ops[which].shown, outcome(o), handler_calls);
        std::set_new_handler(nullptr);
    }
}

/* ---- errno across the deletes, and deletes of nullptr ------------------------------------------- */

void check_delete_errno() {
    kit_phase("cxx: the delete operators keep errno; delete of nullptr");
    const char *who = K.free_preserves_errno ? "entry.free+guarantees.free_preserves_errno (true)"
                                             : "the glue (guarantees.free_preserves_errno: false: it saves errno)";
    for (int d = DELETE; d < OPS; d++) {
        op_index which = static_cast<op_index>(d);
        bool array = (d - DELETE) & 1;
        bool aligned = d >= DELETE_ALIGNED;
        std::size_t n = 100 + static_cast<std::size_t>(d);
        void *p = aligned ? fn<new_aligned_fn>(array ? NEW_ARRAY_ALIGNED : NEW_ALIGNED)(n, std::align_val_t(64))
                          : fn<new_fn>(array ? NEW_ARRAY : NEW)(n);
        int how = (d - DELETE) / 2 % 3; /* plain, nothrow, sized; the same for the aligned ones */
        errno = 1234;
        if (aligned)
            free_aligned(p, n, 64, array, how);
        else
            free_plain(p, n, array, how);
        KIT_CHECK(errno == 1234, who, C_FREE_ERRNO, "p = new of %zu bytes; errno = 1234; %s -> errno %d", n,
                  ops[which].shown, errno);
        errno = 1234;
        if (aligned)
            free_aligned(nullptr, n, 64, array, how);
        else
            free_plain(nullptr, n, array, how);
        KIT_CHECK(errno == 1234, who, C_FREE_ERRNO, "errno = 1234; a delete of nullptr -> errno %d", errno);
    }
}

} // namespace

int main(int argc, char **argv) {
    int next = kit_begin("cxx", argc, argv, 300);
    if (next < argc)
        kit_usage(argv[next]);
    if (K.prefix != nullptr)
        kit_usage("--prefixed: a prefixed library defines no C++ operators (cxx: true is refused there)");
    bind_operators();
    check_plain();
    check_aligned();
    check_failure();
    check_delete_errno();
    kit_phase("cxx: done");
    return kit_report();
}
