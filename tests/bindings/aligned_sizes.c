/* SPDX-License-Identifier: MIT */
/* Every alignment from 16 bytes to 64 KiB with sizes from 1 byte to several multiples of it, through
 * every aligned allocation function of the malloc family, as a preloaded library serves them:
 *   LD_PRELOAD=<library> aligned_sizes --lib <library> [--expect-misaligned A:N,... --expect-mi-version V]
 * The functions: memalign, posix_memalign, aligned_alloc and C++'s operator new(size_t, align_val_t)
 * (called by its mangled name: this program is C). For alignment a the sizes are every n from 1 to
 * min(4a, 4096), then k*a - 16, k*a - 1, k*a, k*a + 1, k*a + 16 and k*a + a/2 for k = 1 to 8 (up
 * to 544 KiB for 64 KiB). For each (function, a, n) four blocks are live at once; each must be
 * aligned to a, have a malloc_usable_size of at least n, and hold a pattern over its n bytes until it
 * is freed (blocks that overlap overwrite each other's). aligned_alloc's blocks are freed by free
 * and free_aligned_sized (where the library defines it), operator new's by the aligned operator
 * delete with and without the size, the others by free.
 * Two threads sweep at once, one from the smallest alignment and size up and one from the largest
 * down, so that blocks come both from fresh pages and from reused ones.
 * First, proof of service: each function resolves (dlsym(RTLD_DEFAULT), as the program's own calls
 * bind) into the library given, or the program stops.
 * --expect-misaligned: documents a defect of an allocator's own library (bindings/README.md). The
 * run passes only if the misaligned blocks are exactly those of the listed (alignment, size)
 * pairs, in every function, nothing else fails, and (with --expect-mi-version) mimalloc's
 * mi_version() is the version the list was measured with. */
#define _GNU_SOURCE
#include "check.h"

#include <dlfcn.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { FN_MEMALIGN, FN_POSIX_MEMALIGN, FN_ALIGNED_ALLOC, FN_NEW, FN_COUNT };
static const char *const fn_names[FN_COUNT] = {"memalign", "posix_memalign", "aligned_alloc",
                                               "operator new(size_t, align_val_t)"};
enum { MIN_SHIFT = 4, MAX_SHIFT = 16, LIVE = 4, THREADS = 2, MAX_RECORDED = 4096, MAX_PRINTED = 20 };

static void *(*op_new_aligned)(size_t, size_t);                 /* operator new(size_t, std::align_val_t) */
static void (*op_delete_aligned)(void *, size_t);               /* operator delete(void *, std::align_val_t) */
static void (*op_delete_sized_aligned)(void *, size_t, size_t); /* (void *, size_t, std::align_val_t) */
static void (*free_aligned_sized_fn)(void *, size_t, size_t);

/* The misaligned blocks seen: (function, alignment, size), each once. */
static struct misaligned {
    int fn;
    size_t alignment, size;
} recorded[MAX_RECORDED];
static int recorded_count, recorded_overflow;
static _Atomic int printed;
static int expecting; /* --expect-misaligned given */
static pthread_mutex_t record_lock = PTHREAD_MUTEX_INITIALIZER;

static void record_misaligned(int fn, size_t alignment, size_t size) {
    pthread_mutex_lock(&record_lock);
    int seen = 0;
    for (int i = 0; i < recorded_count && !seen; i++)
        seen = recorded[i].fn == fn && recorded[i].alignment == alignment && recorded[i].size == size;
    if (!seen) {
        if (recorded_count < MAX_RECORDED)
            recorded[recorded_count++] = (struct misaligned){fn, alignment, size};
        else
            recorded_overflow = 1;
    }
    pthread_mutex_unlock(&record_lock);
}

/* The library that must serve: its device and inode (the path may be a symbolic link). */
static struct stat served_by;

static void must_serve(const char *name) {
    Dl_info info;
    struct stat st;
    void *sym = dlsym(RTLD_DEFAULT, name);
    if (sym == NULL || dladdr(sym, &info) == 0 || info.dli_fname == NULL || stat(info.dli_fname, &st) != 0 ||
        st.st_dev != served_by.st_dev || st.st_ino != served_by.st_ino) {
        printf("FAIL: %s resolves to %s, not to the library given: the preload did not apply\n", name,
               sym && dladdr(sym, &info) && info.dli_fname ? info.dli_fname : "(nowhere)");
        exit(1);
    }
}

/* A function of the served library, or NULL when the library does not define it. */
static void *if_served(const char *name) {
    Dl_info info;
    struct stat st;
    void *sym = dlsym(RTLD_DEFAULT, name);
    if (sym == NULL || dladdr(sym, &info) == 0 || info.dli_fname == NULL || stat(info.dli_fname, &st) != 0 ||
        st.st_dev != served_by.st_dev || st.st_ino != served_by.st_ino)
        return NULL;
    return sym;
}

/* p's offset from an a-aligned address. Through a volatile: glibc declares memalign and
 * aligned_alloc with alloc_align, so a compiler may otherwise fold the test to "aligned". */
static size_t misalignment(const void *p, size_t a) {
    volatile uintptr_t address = (uintptr_t)p;
    return address % a;
}

static void *allocate(int fn, size_t alignment, size_t size) {
    switch (fn) {
    case FN_MEMALIGN: return memalign(alignment, size);
    case FN_POSIX_MEMALIGN: {
        void *p = NULL;
        int rc = posix_memalign(&p, alignment, size);
        CHECK(rc == 0, "posix_memalign(&p, %zu, %zu) -> %d\n", alignment, size, rc);
        return rc == 0 ? p : NULL;
    }
    case FN_ALIGNED_ALLOC: return aligned_alloc(alignment, size);
    default: return op_new_aligned(size, alignment);
    }
}

static void release(int fn, void *p, size_t alignment, size_t size, int which) {
    if (fn == FN_NEW) {
        if (which % 2)
            op_delete_sized_aligned(p, size, alignment);
        else
            op_delete_aligned(p, alignment);
    } else if (fn == FN_ALIGNED_ALLOC && which % 2 && free_aligned_sized_fn) {
        free_aligned_sized_fn(p, alignment, size);
    } else {
        free(p);
    }
}

static unsigned char pattern(size_t size, int which) {
    return (unsigned char)(0x11 + 37 * which + size % 199);
}

/* 1 if the n bytes at p all hold c */
static int holds(const unsigned char *p, size_t n, unsigned char c) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != c)
            return 0;
    return 1;
}

/* One (function, alignment, size): LIVE blocks at once, checked, then freed. */
static void try_size(int thread, int fn, size_t alignment, size_t size) {
    unsigned char *block[LIVE];
    for (int i = 0; i < LIVE; i++) {
        block[i] = allocate(fn, alignment, size);
        if (block[i] == NULL) {
            CHECK(0, "thread %d: %s: alignment %zu, size %zu -> NULL\n", thread, fn_names[fn], alignment, size);
            continue;
        }
        if (misalignment(block[i], alignment)) {
            record_misaligned(fn, alignment, size);
            if (printed++ < MAX_PRINTED)
                printf("%s: thread %d: %s: alignment %zu, size %zu -> %p, not %zu-aligned\n",
                       expecting ? "misaligned (compared with the expected defect at the end)" : "FAIL", thread,
                       fn_names[fn], alignment, size, (void *)block[i], alignment);
            check_failures++;
        }
        check_count++;
        size_t usable = malloc_usable_size(block[i]);
        CHECK(usable >= size, "thread %d: %s: alignment %zu, size %zu -> %p: malloc_usable_size %zu\n", thread,
              fn_names[fn], alignment, size, (void *)block[i], usable);
        memset(block[i], pattern(size, i), size);
    }
    for (int i = 0; i < LIVE; i++) {
        if (block[i] == NULL)
            continue;
        CHECK(holds(block[i], size, pattern(size, i)),
              "thread %d: %s: alignment %zu, size %zu -> %p: its bytes changed while %d blocks of that size were "
              "live (an overlap)\n",
              thread, fn_names[fn], alignment, size, (void *)block[i], LIVE);
        release(fn, block[i], alignment, size, i);
    }
}

/* The sizes for one alignment, in order: sizes(a, i) for i = 0 .. count_sizes(a) - 1. */
static size_t dense_limit(size_t alignment) {
    return 4 * alignment < 4096 ? 4 * alignment : 4096;
}
static const long offsets[] = {-16, -1, 0, 1, 16}; /* then a/2 */
enum { OFFSETS = sizeof offsets / sizeof offsets[0] + 1, MULTIPLES = 8 };
static size_t count_sizes(size_t alignment) {
    return dense_limit(alignment) + MULTIPLES * OFFSETS;
}
/* 0 for a size already among the dense ones */
static size_t nth_size(size_t alignment, size_t i) {
    size_t dense = dense_limit(alignment);
    if (i < dense)
        return i + 1;
    i -= dense;
    size_t k = i / OFFSETS + 1;
    size_t size = i % OFFSETS == OFFSETS - 1 ? k * alignment + alignment / 2
                                             : (size_t)((long)(k * alignment) + offsets[i % OFFSETS]);
    return size > dense ? size : 0;
}

static void *sweep(void *arg) {
    int thread = (int)(intptr_t)arg;
    for (int step = 0; step <= MAX_SHIFT - MIN_SHIFT; step++) {
        int shift = thread == 0 ? MIN_SHIFT + step : MAX_SHIFT - step;
        size_t alignment = (size_t)1 << shift, count = count_sizes(alignment);
        for (size_t j = 0; j < count; j++) {
            size_t size = nth_size(alignment, thread == 0 ? j : count - 1 - j);
            for (int fn = 0; size && fn < FN_COUNT; fn++)
                try_size(thread, fn, alignment, size);
        }
    }
    return NULL;
}

static int cmp_misaligned(const void *x, const void *y) {
    const struct misaligned *a = x, *b = y;
    if (a->fn != b->fn)
        return a->fn < b->fn ? -1 : 1;
    if (a->alignment != b->alignment)
        return a->alignment < b->alignment ? -1 : 1;
    return a->size < b->size ? -1 : a->size > b->size;
}

/* --expect-misaligned A:N,...: exactly these pairs misaligned, in every function, and no other failure. */
static int expected_defect(const char *list, long mi_version_expected) {
    struct misaligned expected[64 * FN_COUNT];
    int count = 0;
    for (const char *s = list; *s && count < 64;) {
        char *end;
        size_t a = strtoul(s, &end, 10), n = *end == ':' ? strtoul(end + 1, &end, 10) : 0;
        if (a == 0 || n == 0 || (*end && *end != ',')) {
            printf("FAIL: --expect-misaligned %s: expected ALIGNMENT:SIZE,...\n", list);
            return 1;
        }
        for (int fn = 0; fn < FN_COUNT; fn++)
            expected[count * FN_COUNT + fn] = (struct misaligned){fn, a, n};
        count++;
        s = *end ? end + 1 : end;
    }
    if (mi_version_expected) {
        int (*mi_version)(void) = (int (*)(void))if_served("mi_version");
        int version = mi_version ? mi_version() : -1;
        if (version != mi_version_expected) {
            printf("FAIL: the expected defect was measured with mi_version() %ld; this library's is %d\n",
                   mi_version_expected, version);
            return 1;
        }
    }
    count *= FN_COUNT;
    qsort(expected, (size_t)count, sizeof expected[0], cmp_misaligned);
    qsort(recorded, (size_t)recorded_count, sizeof recorded[0], cmp_misaligned);
    int same = count == recorded_count && !recorded_overflow;
    for (int i = 0; same && i < count; i++)
        same = cmp_misaligned(&expected[i], &recorded[i]) == 0;
    int misaligned_checks = printed;
    if (!same || check_failures != misaligned_checks) {
        printf("FAIL: expected exactly the blocks of (alignment:size) %s misaligned, in every function, and no "
               "other failure; misaligned were:\n",
               list);
        for (int i = 0; i < recorded_count; i++)
            printf("  %s: alignment %zu, size %zu\n", fn_names[recorded[i].fn], recorded[i].alignment,
                   recorded[i].size);
        printf("and %d other checks failed\n", check_failures - misaligned_checks);
        return 1;
    }
    printf("EXPECTED: the library's known defect, reproduced exactly: misaligned blocks for (alignment:size) %s "
           "through every function (%d misaligned blocks in %d checks), nothing else wrong\n",
           list, misaligned_checks, check_count);
    return 0;
}

int main(int argc, char **argv) {
    const char *lib = NULL, *expect = NULL;
    long mi_version_expected = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--lib") == 0)
            lib = argv[i + 1];
        else if (strcmp(argv[i], "--expect-misaligned") == 0)
            expect = argv[i + 1];
        else if (strcmp(argv[i], "--expect-mi-version") == 0)
            mi_version_expected = strtol(argv[i + 1], NULL, 10);
    }
    expecting = expect != NULL;
    if (lib == NULL || stat(lib, &served_by) != 0) {
        printf("usage: LD_PRELOAD=LIB aligned_sizes --lib LIB [--expect-misaligned A:N,... [--expect-mi-version V]]\n");
        return 2;
    }
    /* not malloc_usable_size: the glibc passthrough binding leaves it to glibc */
    const char *served[] = {"memalign",
                            "posix_memalign",
                            "aligned_alloc",
                            "free",
                            "_ZnwmSt11align_val_t",
                            "_ZdlPvSt11align_val_t",
                            "_ZdlPvmSt11align_val_t"};
    for (size_t i = 0; i < sizeof served / sizeof served[0]; i++)
        must_serve(served[i]);
    op_new_aligned = (void *(*)(size_t, size_t))dlsym(RTLD_DEFAULT, "_ZnwmSt11align_val_t");
    op_delete_aligned = (void (*)(void *, size_t))dlsym(RTLD_DEFAULT, "_ZdlPvSt11align_val_t");
    op_delete_sized_aligned = (void (*)(void *, size_t, size_t))dlsym(RTLD_DEFAULT, "_ZdlPvmSt11align_val_t");
    free_aligned_sized_fn = (void (*)(void *, size_t, size_t))if_served("free_aligned_sized");
    printf("aligned_sizes: alignments 16 to 65536, %d threads, %d live blocks per size; free_aligned_sized %s\n",
           THREADS, LIVE, free_aligned_sized_fn ? "served too" : "not defined by the library (free instead)");
    fflush(stdout);

    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++)
        if (pthread_create(&threads[t], NULL, sweep, (void *)(intptr_t)t) != 0) {
            printf("FAIL: pthread_create\n");
            return 1;
        }
    for (int t = 0; t < THREADS; t++)
        pthread_join(threads[t], NULL);
    if (printed > MAX_PRINTED)
        printf("... %d misaligned blocks in all\n", (int)printed);
    if (expecting)
        return expected_defect(expect, mi_version_expected);
    return check_report("aligned_sizes");
}
