/* SPDX-License-Identifier: MIT */
/* API conformance of the malloc family under the interposer (see docs/spec.md, "What the
 * generated glue does"). With --alloc8 the demo allocator's counters must prove that each call
 * really reached it, and the alloc8-specific choices (aligned_alloc EINVAL, mallopt, ...) are
 * checked; without it the portable checks also run against plain glibc. */
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
static int by_size; /* --alignment-by-size: blocks under 16 bytes need only 8 (C23, the allocator's
                       guarantees.alignment_by_size) */
static size_t min_align(size_t n) {
    return by_size && n < 16 ? 8 : 16;
}
static alloc8_stats_fn stats;
static int strict; /* --alloc8 */

static void *lookup(const char *name) {
    void *sym = dlsym(RTLD_DEFAULT, name);
    if (sym == NULL && strict)
        CHECK(0, "%s is not exported by the interposer\n", name);
    return sym;
}

static void test_malloc_free(void) {
    for (size_t n = 0; n <= 5000; n++) {
        unsigned char *p = malloc(n);
        CHECK(p != NULL && aligned(p, min_align(n)), "malloc(%zu) is %zu-aligned\n", n, min_align(n));
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
    void *a = malloc(0), *b = malloc(0);
    CHECK(a != NULL && b != NULL && a != b, "malloc(0) returns unique pointers\n");
    free(a);
    free(b);
    errno = 0;
    CHECK(malloc(opaque(SIZE_MAX)) == NULL && errno == ENOMEM, "malloc(opaque(SIZE_MAX)) -> NULL, ENOMEM\n");
    errno = 0;
    CHECK(malloc(opaque((size_t)PTRDIFF_MAX + 1)) == NULL && errno == ENOMEM, "malloc(PTRDIFF_MAX+1) -> ENOMEM\n");
    /* At or below PTRDIFF_MAX, but larger than any address space: here the allocator itself fails,
       and errno must say so whether the allocator or the glue sets it (guarantees.sets_errno). */
    size_t no_room[] = {(size_t)PTRDIFF_MAX, (size_t)PTRDIFF_MAX - 4096, (size_t)PTRDIFF_MAX / 2};
    for (size_t i = 0; i < 3; i++) {
        errno = 0;
        CHECK(malloc(opaque(no_room[i])) == NULL && errno == ENOMEM, "malloc(%zx) -> NULL, ENOMEM\n", no_room[i]);
        errno = 0;
        CHECK(calloc(1, opaque(no_room[i])) == NULL && errno == ENOMEM, "calloc(1, %zx) -> NULL, ENOMEM\n", no_room[i]);
        errno = 0;
        CHECK(memalign(64, opaque(no_room[i] - 64)) == NULL && errno == ENOMEM, "memalign(64, %zx) -> NULL, ENOMEM\n",
              no_room[i] - 64);
        void *keep = malloc(24);
        errno = 0;
        CHECK(realloc(keep, opaque(no_room[i])) == NULL && errno == ENOMEM, "realloc(p, %zx) -> NULL, ENOMEM\n",
              no_room[i]);
        free(keep);
    }
    free(NULL);
    CHECK(malloc_usable_size(NULL) == 0, "malloc_usable_size(NULL) == 0\n");
    void *p = malloc(100);
    errno = 1234;
    free(p);
    CHECK(errno == 1234, "free preserves errno\n");
    p = malloc(1 << 20);
    errno = 1234;
    free(p);
    CHECK(errno == 1234, "free of a large block preserves errno\n");
}

static void test_calloc(void) {
    errno = 0;
    CHECK(calloc(opaque(SIZE_MAX / 2), 3) == NULL && errno == ENOMEM, "calloc overflow -> NULL, ENOMEM\n");
    errno = 0;
    CHECK(calloc(opaque((size_t)1 << 33), (size_t)1 << 33) == NULL && errno == ENOMEM, "calloc 2^33*2^33 overflow\n");
    size_t sizes[] = {1, 48, 1000, 70000, 300000};
    for (size_t i = 0; i < 5; i++) {
        unsigned char *p = malloc(sizes[i]);
        memset(p, 0xff, sizes[i]);
        free(p);
        unsigned char *z = calloc(1, sizes[i]); /* likely the block just freed */
        int zero = z != NULL;
        for (size_t j = 0; zero && j < sizes[i]; j++)
            zero = z[j] == 0;
        CHECK(zero, "calloc(1, %zu) is zeroed (also reused memory)\n", sizes[i]);
        free(z);
    }
}

static void test_realloc(void) {
    size_t steps[] = {1, 16, 100, 5000, 70000, 300000, 2000, 24, 3};
    unsigned char *p = NULL;
    size_t have = 0;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        p = realloc(p, steps[i]);
        CHECK(p != NULL && aligned(p, min_align(steps[i])), "realloc to %zu\n", steps[i]);
        size_t keep = have < steps[i] ? have : steps[i];
        int same = 1;
        for (size_t j = 0; j < keep; j++)
            same &= p[j] == (unsigned char)(j * 7);
        CHECK(same, "realloc to %zu keeps the first %zu bytes\n", steps[i], keep);
        for (size_t j = 0; j < steps[i]; j++)
            p[j] = (unsigned char)(j * 7);
        have = steps[i];
    }
    errno = 0;
    void *fail = realloc(p, opaque(SIZE_MAX));
    CHECK(fail == NULL && errno == ENOMEM, "realloc(p, opaque(SIZE_MAX)) -> NULL, ENOMEM\n");
    CHECK(p[0] == 0 && p[2] == 14, "the block survives a failed realloc\n");
    CHECK(realloc(p, 0) == NULL, "realloc(p, 0) frees p and returns NULL (glibc)\n");
    void *q = realloc(NULL, 40);
    CHECK(q != NULL && malloc_usable_size(q) >= 40, "realloc(NULL, 40) allocates\n");
    free(q);
}

static void test_aligned(void) {
    size_t sizes[] = {1, 100, 4096, 70000};
    for (size_t a = 1; a <= (1 << 20); a <<= 1) {
        for (size_t i = 0; i < 4; i++) {
            size_t n = sizes[i];
            void *m = memalign(a, n);
            CHECK(m != NULL && aligned(m, a) && malloc_usable_size(m) >= n, "memalign(%zu, %zu)\n", a, n);
            free(m);
            void *pm = NULL;
            if (a >= sizeof(void *)) {
                CHECK(posix_memalign(&pm, a, n) == 0 && aligned(pm, a), "posix_memalign(%zu, %zu)\n", a, n);
                free(pm);
            }
            void *aa = aligned_alloc(a, n);
            CHECK(aa != NULL && aligned(aa, a), "aligned_alloc(%zu, %zu)\n", a, n);
            free(aa);
        }
    }
    void *m = memalign(opaque(24), 10);
    CHECK(m != NULL && aligned(m, 32), "memalign(24) rounds up to 32\n");
    free(m);
    errno = 0;
    CHECK(memalign(opaque(SIZE_MAX / 2 + 2), 1) == NULL && errno == EINVAL, "memalign(huge alignment) -> EINVAL\n");
    size_t bad[] = {0, 3, 4, 24};
    for (size_t i = 0; i < 4; i++) {
        void *sentinel = (void *)0x1234, *pm = sentinel;
        CHECK(posix_memalign(&pm, opaque(bad[i]), 10) == EINVAL && pm == sentinel,
              "posix_memalign(alignment %zu) -> EINVAL, *memptr untouched\n", bad[i]);
    }
    void *sentinel = (void *)0x1234, *pm = sentinel;
    CHECK(posix_memalign(&pm, 64, opaque(SIZE_MAX)) == ENOMEM && pm == sentinel,
          "posix_memalign(64, SIZE_MAX) -> ENOMEM, *memptr untouched\n");
    if (strict) {
        errno = 0;
        CHECK(aligned_alloc(opaque(24), 48) == NULL && errno == EINVAL, "aligned_alloc(24) -> EINVAL\n");
        errno = 0;
        CHECK(aligned_alloc(opaque(0), 48) == NULL && errno == EINVAL, "aligned_alloc(0) -> EINVAL\n");
    }
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    void *v = valloc(10), *pv = pvalloc(1);
    CHECK(v != NULL && aligned(v, page), "valloc is page aligned\n");
    CHECK(pv != NULL && aligned(pv, page) && malloc_usable_size(pv) >= page, "pvalloc(1) is one page\n");
    free(v);
    free(pv);
    errno = 0;
    CHECK(pvalloc(opaque(SIZE_MAX - 10)) == NULL && errno == ENOMEM, "pvalloc overflow -> ENOMEM\n");
}

static void test_extras(void) {
    void (*cfree_fn)(void *) = NULL;
    void (*free_sized_fn)(void *, size_t) = NULL;
    void (*free_aligned_sized_fn)(void *, size_t, size_t) = NULL;
    void *sym;
    if ((sym = lookup("cfree")) != NULL) {
        memcpy(&cfree_fn, &sym, sizeof sym);
        cfree_fn(malloc(10));
    }
    if ((sym = lookup("free_sized")) != NULL) {
        memcpy(&free_sized_fn, &sym, sizeof sym);
        free_sized_fn(malloc(100), 100);
    }
    if ((sym = lookup("free_aligned_sized")) != NULL) {
        memcpy(&free_aligned_sized_fn, &sym, sizeof sym);
        free_aligned_sized_fn(aligned_alloc(64, 128), 64, 128);
    }
    lookup("mallinfo2");
    int opt = mallopt(M_MMAP_THRESHOLD, 1 << 20);
    if (strict)
        CHECK(opt == 1, "mallopt returns 1\n");
    CHECK(malloc_trim(0) == 0 || !strict, "malloc_trim returns 0\n");
    FILE *devnull = fopen("/dev/null", "w");
    CHECK(devnull != NULL && malloc_info(0, devnull) == 0, "malloc_info(0, f) == 0\n");
    if (strict) {
        errno = 0;
        CHECK(malloc_info(1, devnull) == -1 && errno == EINVAL, "malloc_info(1, f) -> -1, EINVAL\n");
        int saved = dup(2); /* malloc_stats prints nothing under alloc8; keep stderr clean anyway */
        malloc_stats();
        close(saved);
    }
    if (devnull)
        fclose(devnull);
}

/* Under --alloc8: every function reaches the allocator (exact counter deltas). */
static void test_counters(void) {
    struct alloc8_demo_stats a, b;
    void *p, *q;
#define AROUND(call, field, expect)                                                                                    \
    do {                                                                                                               \
        a = alloc8_test_snapshot(stats);                                                                               \
        call;                                                                                                          \
        b = alloc8_test_snapshot(stats);                                                                               \
        CHECK(DELTA(a, b, field) == (expect), "%s moves %s by %d (moved %llu)\n", #call, #field, (int)(expect),        \
              DELTA(a, b, field));                                                                                     \
    } while (0)
    AROUND(p = malloc(100), malloc_calls, 1);
    AROUND(free(p), free_calls, 1);
    AROUND(p = calloc(3, 100), malloc_calls, 1);
    AROUND(q = realloc(p, 100000), malloc_calls, 1);
    AROUND(free(q), free_calls, 1);
    AROUND(p = memalign(256, 10), memalign_calls, 1);
    free(p);
    AROUND(posix_memalign(&p, 64, 10), memalign_calls, 1);
    free(p);
    AROUND(p = aligned_alloc(128, 10), memalign_calls, 1);
    free(p);
    AROUND(p = valloc(10), memalign_calls, 1);
    free(p);
    AROUND(p = pvalloc(10), memalign_calls, 1);
    free(p);
    AROUND(p = strdup("glibc's strdup calls our malloc"), malloc_calls, 1);
    free(p);
    AROUND(p = reallocarray(NULL, 10, 10), malloc_calls, 1);
    free(p);
    /* glibc's __libc_* names are aliases of the interposer's functions */
    const char *allocs[] = {"__libc_malloc", "__libc_valloc", "__libc_pvalloc"};
    for (int i = 0; i < 3; i++) {
        void *(*fn)(size_t) = NULL;
        void *sym = lookup(allocs[i]);
        if (sym == NULL)
            continue;
        memcpy(&fn, &sym, sizeof sym);
        a = alloc8_test_snapshot(stats);
        p = fn(50);
        b = alloc8_test_snapshot(stats);
        CHECK(DELTA(a, b, malloc_calls) + DELTA(a, b, memalign_calls) == 1, "%s reaches the allocator\n", allocs[i]);
        void (*libc_free)(void *) = NULL;
        sym = lookup("__libc_free");
        if (sym == NULL)
            continue;
        memcpy(&libc_free, &sym, sizeof sym);
        AROUND(libc_free(p), free_calls, 1);
    }
    /* not formatted: clang-format 14 indents the second line of these declarators by 33 columns */
    /* clang-format off */
    void *(*libc_calloc)(size_t, size_t) = NULL, *(*libc_realloc)(void *, size_t) = NULL,
         *(*libc_memalign)(size_t, size_t) = NULL;
    /* clang-format on */
    void *sym;
    if ((sym = lookup("__libc_calloc")) != NULL) {
        memcpy(&libc_calloc, &sym, sizeof sym);
        AROUND(p = libc_calloc(2, 2), malloc_calls, 1);
        free(p);
    }
    if ((sym = lookup("__libc_realloc")) != NULL) {
        memcpy(&libc_realloc, &sym, sizeof sym);
        AROUND(p = libc_realloc(NULL, 20), malloc_calls, 1);
        free(p);
    }
    if ((sym = lookup("__libc_memalign")) != NULL) {
        memcpy(&libc_memalign, &sym, sizeof sym);
        AROUND(p = libc_memalign(512, 20), memalign_calls, 1);
        free(p);
    }
#undef AROUND
}

int main(int argc, char **argv) {
    stats = alloc8_test_begin(argc, argv, &strict);
    for (int i = 1; i < argc; i++)
        by_size |= strcmp(argv[i], "--alignment-by-size") == 0;
    printf("conformance: %s\n", stats ? "running under the alloc8 demo allocator" : "plain run");
    fflush(stdout); /* stdio's buffer is allocated now, not inside a counted call */
    test_malloc_free();
    test_calloc();
    test_realloc();
    test_aligned();
    test_extras();
    if (strict)
        test_counters();
    else
        printf("skip: counter checks (no --alloc8)\n");
    return check_report("conformance");
}
