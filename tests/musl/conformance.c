/* SPDX-License-Identifier: MIT */
/* API conformance of the malloc family on musl, musl's own allocator being the reference: run
 * without arguments, every check holds for musl's mallocng; with --alloc8 (under LD_PRELOAD of the
 * demo allocator's musl interposer) the same checks hold and the demo allocator's counters prove
 * that each call reached it. Built with ALLOC8_TEST_STATIC (a `-static` link against the archive),
 * the counters are linked in and always required. Also checked: the names musl does not have
 * (glibc's extras, pvalloc, the __libc_* names, C23's free_sized) exist nowhere in the process,
 * and each of the eight names musl lets a program replace is the interposer's, as are the C++
 * operators (called from C: there is no C++ runtime for musl here). */
#define _GNU_SOURCE
#include "check.h"
#include "demo_stats.h"

#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Hide deliberately absurd sizes and alignments from the compiler's own diagnostics. */
static size_t opaque(size_t value) {
    volatile size_t hidden = value;
    return hidden;
}

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
#pragma GCC diagnostic ignored "-Wuse-after-free" /* the block is checked after a FAILED realloc */
#endif

static int aligned(const void *p, size_t a) {
    return ((uintptr_t)p & (a - 1)) == 0;
}

static alloc8_stats_fn stats;
static int strict; /* the demo allocator must serve (--alloc8, or the static build) */

static void test_malloc_free(void) {
    for (size_t n = 0; n <= 5000; n++) {
        unsigned char *p = malloc(n);
        CHECK(p != NULL && aligned(p, 16), "malloc(%zu) is 16-aligned and not NULL\n", n);
        CHECK(malloc_usable_size(p) >= n, "malloc_usable_size(malloc(%zu)) >= %zu\n", n, n);
        memset(p, 0x5a, n);
        free(p);
    }
    size_t big[] = {65537, 100000, 1 << 20, (1 << 24) + 3};
    for (size_t i = 0; i < 4; i++) {
        unsigned char *p = malloc(big[i]);
        CHECK(p != NULL && aligned(p, 16) && malloc_usable_size(p) >= big[i], "malloc(%zu)\n", big[i]);
        memset(p, 1, big[i]);
        free(p);
    }
    size_t huge[] = {SIZE_MAX, SIZE_MAX / 2, (size_t)PTRDIFF_MAX + 1};
    for (size_t i = 0; i < 3; i++) {
        errno = 0;
        CHECK(malloc(opaque(huge[i])) == NULL && errno == ENOMEM, "malloc(%zx) -> NULL, ENOMEM\n", huge[i]);
    }
    CHECK(malloc_usable_size(NULL) == 0, "malloc_usable_size(NULL) == 0\n");
    errno = 1234;
    free(NULL);
    free(malloc(100));
    CHECK(errno == 1234, "free leaves errno alone\n");
}

static void test_calloc(void) {
    for (size_t n = 1; n <= 70000; n = n * 3 + 1) {
        unsigned char *dirty = malloc(n);
        memset(dirty, 0xa5, n);
        free(dirty);
        unsigned char *p = calloc(n, 1);
        size_t nonzero = 0;
        for (size_t i = 0; p != NULL && i < n; i++)
            nonzero += p[i] != 0;
        CHECK(p != NULL && nonzero == 0, "calloc(%zu, 1) is zeroed after a dirty block\n", n);
        free(p);
    }
    errno = 0;
    CHECK(calloc(opaque(SIZE_MAX / 2), 3) == NULL && errno == ENOMEM, "calloc overflow -> NULL, ENOMEM\n");
    void *z = calloc(0, 16);
    CHECK(z != NULL, "calloc(0, 16) is a block\n");
    free(z);
}

static void test_realloc(void) {
    unsigned char *p = realloc(NULL, 10);
    CHECK(p != NULL, "realloc(NULL, 10) allocates\n");
    for (int i = 0; i < 10; i++)
        p[i] = (unsigned char)i;
    size_t sizes[] = {100, 5000, 70000, 1 << 20, 24, 5};
    for (size_t s = 0; s < 6 && p != NULL; s++) {
        p = realloc(p, sizes[s]);
        int same = p != NULL;
        for (size_t i = 0; same && i < sizes[s] && i < 10; i++)
            same = p[i] == (unsigned char)i;
        CHECK(same && malloc_usable_size(p) >= sizes[s], "realloc to %zu keeps the contents\n", sizes[s]);
    }
    errno = 0;
    unsigned char *failed = realloc(p, opaque(SIZE_MAX - 100));
    CHECK(failed == NULL && errno == ENOMEM, "realloc(p, SIZE_MAX - 100) -> NULL, ENOMEM\n");
    CHECK(p != NULL && p[0] == 0 && p[4] == 4, "and p is untouched\n");
    /* musl: realloc(p, 0) returns a block (p itself or a new one), never NULL for success */
    unsigned char *zero = realloc(p, 0);
    CHECK(zero != NULL, "realloc(p, 0) returns a block (musl)\n");
    free(zero);
}

static void test_aligned(void) {
    long page = sysconf(_SC_PAGESIZE);
    for (size_t a = 1; a <= 65536; a *= 2) {
        size_t sizes[] = {1, a, 3 * a + 5};
        for (int k = 0; k < 3; k++) {
            size_t n = sizes[k];
            void *m = memalign(a, n);
            CHECK(m != NULL && aligned(m, a) && malloc_usable_size(m) >= n, "memalign(%zu, %zu)\n", a, n);
            free(m);
            void *aa = aligned_alloc(a, n);
            CHECK(aa != NULL && aligned(aa, a) && malloc_usable_size(aa) >= n, "aligned_alloc(%zu, %zu)\n", a, n);
            free(aa);
            if (a >= sizeof(void *)) {
                void *pm = NULL;
                CHECK(posix_memalign(&pm, a, n) == 0 && pm != NULL && aligned(pm, a), "posix_memalign(%zu, %zu)\n", a,
                      n);
                free(pm);
            }
        }
    }
    /* musl: memalign is aligned_alloc; an alignment that is not a power of two fails */
    errno = 0;
    CHECK(aligned_alloc(opaque(24), 48) == NULL && errno == EINVAL, "aligned_alloc(24) -> EINVAL\n");
    errno = 0;
    CHECK(memalign(opaque(24), 10) == NULL && errno == EINVAL, "memalign(24) -> EINVAL (musl)\n");
    void *zero = aligned_alloc(opaque(0), 48);
    CHECK(zero != NULL && aligned(zero, 16), "aligned_alloc(0, 48) is a plain block (musl)\n");
    free(zero);
    errno = 0;
    CHECK(aligned_alloc(64, opaque(SIZE_MAX - 10)) == NULL && errno == ENOMEM, "aligned_alloc(64, huge) -> ENOMEM\n");
    void *sentinel = &sentinel, *pm = sentinel;
    size_t bad[] = {0, 1, 4, 24, 48};
    for (int i = 0; i < 5; i++) {
        pm = sentinel;
        CHECK(posix_memalign(&pm, opaque(bad[i]), 10) == EINVAL && pm == sentinel,
              "posix_memalign(alignment %zu) -> EINVAL, *memptr untouched\n", bad[i]);
    }
    pm = sentinel;
    CHECK(posix_memalign(&pm, 64, opaque(SIZE_MAX - 10)) == ENOMEM && pm == sentinel,
          "posix_memalign(64, huge) -> ENOMEM, *memptr untouched\n");
    void *v = valloc(10);
    CHECK(v != NULL && aligned(v, (size_t)page), "valloc(10) is page aligned\n");
    free(v);
}

/* What musl does not have, the process must not have either; the eight replaceable names are the
 * interposer's. */
static void test_names(void) {
    const char *absent[] = {"pvalloc",       "mallinfo",           "mallinfo2",       "mallopt",
                            "malloc_trim",   "malloc_stats",       "malloc_info",     "cfree",
                            "free_sized",    "free_aligned_sized", "__libc_malloc",   "__libc_free",
                            "__libc_calloc", "__libc_realloc",     "__libc_memalign", "__register_atfork"};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
        CHECK(dlsym(RTLD_DEFAULT, absent[i]) == NULL, "%s exists nowhere in the process\n", absent[i]);
    if (!strict || stats == NULL)
        return;
    Dl_info home;
    void *counters;
    memcpy(&counters, &stats, sizeof counters);
    if (dladdr(counters, &home) == 0 || home.dli_fname == NULL)
        return; /* the static build: there is nothing else to bind to */
    const char *replaced[] = {"malloc",        "free",           "calloc",   "realloc",
                              "aligned_alloc", "posix_memalign", "memalign", "malloc_usable_size"};
    for (size_t i = 0; i < sizeof replaced / sizeof replaced[0]; i++) {
        Dl_info info;
        void *sym = dlsym(RTLD_DEFAULT, replaced[i]);
        CHECK(sym != NULL && dladdr(sym, &info) != 0 && info.dli_fname != NULL &&
                  strcmp(info.dli_fname, home.dli_fname) == 0,
              "%s is the interposer's\n", replaced[i]);
    }
}

#define AROUND(call, field, expected)                                                                                  \
    do {                                                                                                               \
        struct alloc8_demo_stats a_ = alloc8_test_snapshot(stats);                                                     \
        call;                                                                                                          \
        struct alloc8_demo_stats b_ = alloc8_test_snapshot(stats);                                                     \
        CHECK(DELTA(a_, b_, field) == (expected), "%s: %s +%llu, expected +%d\n", #call, #field,                       \
              (unsigned long long)DELTA(a_, b_, field), (int)(expected));                                              \
    } while (0)

/* With the demo allocator: every function of the family, and musl's own callers, reach it. */
static void test_served(void) {
    if (!strict)
        return;
    void *p = NULL;
    AROUND(p = malloc(10), malloc_calls, 1);
    AROUND(free(p), free_calls, 1);
    AROUND(p = calloc(3, 10), malloc_calls, 1);
    AROUND(p = realloc(p, 100000), malloc_calls, 1);
    AROUND(malloc_usable_size(p), usable_size_calls, 1);
    free(p);
    AROUND(p = memalign(256, 10), memalign_calls, 1);
    free(p);
    AROUND(posix_memalign(&p, 64, 10), memalign_calls, 1);
    free(p);
    AROUND(p = aligned_alloc(128, 10), memalign_calls, 1);
    free(p);
    AROUND(p = valloc(10), memalign_calls, 1); /* musl's valloc calls memalign */
    free(p);
    AROUND(p = strdup("musl's strdup calls malloc"), malloc_calls, 1);
    AROUND(free(p), free_calls, 1);
    char *line = NULL;
    size_t capacity = 0;
    FILE *f = fmemopen((void *)"one line\n", 9, "r");
    struct alloc8_demo_stats a = alloc8_test_snapshot(stats);
    CHECK(f != NULL && getline(&line, &capacity, f) == 9, "getline\n");
    struct alloc8_demo_stats b = alloc8_test_snapshot(stats);
    CHECK(DELTA(a, b, malloc_calls) >= 1, "musl's getline allocates through the allocator\n");
    free(line);
    if (f != NULL)
        fclose(f);
#ifndef ALLOC8_TEST_STATIC
    /* the C++ operators (no C++ runtime for musl here: called from C by their mangled names) */
    void *(*op_new)(size_t) = NULL, *(*op_new_aligned)(size_t, size_t) = NULL;
    void (*op_delete)(void *) = NULL;
    void *found[3] = {dlsym(RTLD_DEFAULT, "_Znwm"), dlsym(RTLD_DEFAULT, "_ZnwmSt11align_val_t"),
                      dlsym(RTLD_DEFAULT, "_ZdlPv")};
    CHECK(found[0] != NULL && found[1] != NULL && found[2] != NULL, "the interposer exports operator new/delete\n");
    if (found[0] == NULL || found[1] == NULL || found[2] == NULL)
        return;
    memcpy(&op_new, &found[0], sizeof found[0]);
    memcpy(&op_new_aligned, &found[1], sizeof found[1]);
    memcpy(&op_delete, &found[2], sizeof found[2]);
    AROUND(p = op_new(24), malloc_calls, 1);
    AROUND(op_delete(p), free_calls, 1);
    AROUND(p = op_new_aligned(24, 256), memalign_calls, 1);
    CHECK(aligned(p, 256), "operator new(24, align_val_t(256)) is aligned\n");
    op_delete(p);
#endif
}

int main(int argc, char **argv) {
#ifdef ALLOC8_TEST_STATIC
    (void)argc;
    (void)argv;
    stats = alloc8_demo_stats_get;
    strict = 1;
#else
    stats = alloc8_test_begin(argc, argv, &strict);
#endif
    test_malloc_free();
    test_calloc();
    test_realloc();
    test_aligned();
    test_names();
    test_served();
    return check_report(strict ? "musl conformance (served by the demo allocator)" : "musl conformance (musl alone)");
}
