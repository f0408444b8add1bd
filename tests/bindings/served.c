/* SPDX-License-Identifier: MIT */
/* Proof that a binding really serves a program: run under LD_PRELOAD=<liba8NAME.so>.
 *   served <glibc|mimalloc|tcmalloc|jemalloc|tbb> <path of the interposer>
 * 1. The dynamic linker bound this program's malloc, free, calloc, realloc, aligned_alloc and
 *    operator new to the interposer (dladdr of what RTLD_DEFAULT finds).
 * 2. The allocator's own bookkeeping shows every block, asked through its introspection API
 *    (looked up with dlsym, so this program links to no allocator):
 *      mimalloc  mi_is_in_heap_region(p) for every block
 *      tcmalloc  MallocExtension_GetOwnership(p) == owned for every block
 *      jemalloc  mallctl("thread.allocated") (bytes ever allocated by this thread) grows by at
 *                least the bytes asked for
 *      tbb       __TBB_malloc_safer_msize(p, NULL), which is the block's usable size when
 *                tbbmalloc recognizes the block as its own and 0 otherwise (TBB 2021.8,
 *                src/tbbmalloc/frontend.cpp)
 *      glibc     mallinfo2, which the glue leaves to libc.so.6 (as it does mallopt, malloc_trim
 *                and the other extras: checked): bytes in use, in the heap or mmapped,
 *                cover the live block (a freed block may be reused, so no growth is required)
 */
#define _GNU_SOURCE
#include "check.h"

#include <dlfcn.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *lookup(void *handle, const char *name) {
    void *sym = dlsym(handle, name);
    if (sym == NULL) {
        printf("FAIL: %s not found: is the allocator loaded?\n", name);
        exit(1);
    }
    return sym;
}

/* The file a symbol (as this program sees it) is defined in. */
static const char *defined_in(const char *name) {
    Dl_info info;
    void *sym = dlsym(RTLD_DEFAULT, name);
    if (sym == NULL || dladdr(sym, &info) == 0 || info.dli_fname == NULL)
        return "(nowhere)";
    return info.dli_fname;
}

static const char *allocator;
static int (*mi_owns)(const void *); /* bool in mimalloc; only the low byte is used */
static int (*tc_ownership)(const void *);
static size_t (*tbb_safer_msize)(void *, size_t (*)(void *));
static int (*je_mallctl)(const char *, void *, size_t *, void *, size_t);
static struct mallinfo2 (*glibc_mallinfo2)(void);

static uint64_t bytes_counter(void) {
    if (je_mallctl) {
        uint64_t value = 0;
        size_t len = sizeof value;
        CHECK(je_mallctl("thread.allocated", &value, &len, NULL, 0) == 0, "mallctl(thread.allocated)\n");
        return value;
    }
    if (glibc_mallinfo2) {
        struct mallinfo2 info = glibc_mallinfo2();
        return info.uordblks + info.hblkhd;
    }
    return 0;
}

/* Check one block just allocated (of `size` bytes; `before` is bytes_counter() before). */
static void check_block(const char *what, void *p, size_t size, uint64_t before) {
    CHECK(p != NULL, "%s returned NULL\n", what);
    if (p == NULL)
        return;
    if (mi_owns)
        CHECK((mi_owns(p) & 0xff) != 0, "%s: mimalloc does not own the block\n", what);
    if (tc_ownership)
        CHECK(tc_ownership(p) == 1, "%s: tcmalloc does not own the block (ownership %d)\n", what, tc_ownership(p));
    if (tbb_safer_msize)
        CHECK(tbb_safer_msize(p, NULL) >= size, "%s: tbbmalloc does not own the block (its size %zu)\n", what,
              tbb_safer_msize(p, NULL));
    if (glibc_mallinfo2) {
        uint64_t in_use = bytes_counter();
        CHECK(in_use >= size, "%s: glibc counts %llu bytes in use, less than the live block of %zu\n", what,
              (unsigned long long)in_use, size);
    }
    if (je_mallctl) {
        uint64_t after = bytes_counter();
        CHECK(after >= before + size, "%s: the %s counter grew by %llu, not by %zu or more\n", what, allocator,
              (unsigned long long)(after - before), size);
    }
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: served <glibc|mimalloc|tcmalloc|jemalloc|tbb> <interposer path>\n");
        return 2;
    }
    allocator = argv[1];
    const char *lib = argv[2];
    const char *names[] = {"malloc",  "free",          "calloc",
                           "realloc", "aligned_alloc", "posix_memalign",
                           "_Znwm",   "_ZdlPv",        "_ZnwmSt11align_val_t"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        CHECK(strcmp(defined_in(names[i]), lib) == 0, "%s is defined in %s, not in %s\n", names[i],
              defined_in(names[i]), lib);

    if (strcmp(allocator, "mimalloc") == 0) {
        void *fn = lookup(RTLD_DEFAULT, "mi_is_in_heap_region");
        memcpy(&mi_owns, &fn, sizeof fn);
    } else if (strcmp(allocator, "tcmalloc") == 0) {
        void *fn = lookup(RTLD_DEFAULT, "MallocExtension_GetOwnership");
        memcpy(&tc_ownership, &fn, sizeof fn);
    } else if (strcmp(allocator, "tbb") == 0) {
        void *fn = lookup(RTLD_DEFAULT, "__TBB_malloc_safer_msize");
        memcpy(&tbb_safer_msize, &fn, sizeof fn);
    } else if (strcmp(allocator, "jemalloc") == 0) {
        void *fn = lookup(RTLD_DEFAULT, "mallctl");
        memcpy(&je_mallctl, &fn, sizeof fn);
    } else if (strcmp(allocator, "glibc") == 0) {
        /* the program's own mallinfo2: the glue leaves glibc's extras to glibc when glibc serves */
        void *fn = lookup(RTLD_DEFAULT, "mallinfo2");
        memcpy(&glibc_mallinfo2, &fn, sizeof fn);
        const char *glibc_names[] = {"__libc_malloc", "mallinfo2",    "mallinfo",    "mallopt",
                                     "malloc_trim",   "malloc_stats", "malloc_info", "__libc_mallopt"};
        for (size_t i = 0; i < sizeof glibc_names / sizeof glibc_names[0]; i++)
            CHECK(strstr(defined_in(glibc_names[i]), "libc.so") != NULL,
                  "%s (left to glibc, which serves) is defined in %s\n", glibc_names[i], defined_in(glibc_names[i]));
    } else {
        fprintf(stderr, "served: unknown allocator %s\n", allocator);
        return 2;
    }

    /* Through the pointers the dynamic linker gave this program (not inlined builtins). */
    void *(*volatile my_malloc)(size_t) = malloc;
    void *(*volatile my_calloc)(size_t, size_t) = calloc;
    void *(*volatile my_realloc)(void *, size_t) = realloc;
    void *(*volatile my_aligned_alloc)(size_t, size_t) = aligned_alloc;
    void (*volatile my_free)(void *) = free;
    size_t sizes[] = {1, 24, 100, 4000, 70000, 3 << 20};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i];
        uint64_t before = bytes_counter();
        void *p = my_malloc(n);
        check_block("malloc", p, n, before);
        before = bytes_counter();
        void *q = my_realloc(p, 2 * n);
        check_block("realloc", q, 2 * n, before);
        before = bytes_counter();
        void *z = my_calloc(n, 1);
        check_block("calloc", z, n, before);
        before = bytes_counter();
        void *a = my_aligned_alloc(256, n);
        check_block("aligned_alloc(256)", a, n, before);
        CHECK(((uintptr_t)a & 255) == 0, "aligned_alloc(256, %zu) is not 256-aligned\n", n);
        my_free(q);
        my_free(z);
        my_free(a);
    }
    if (check_failures == 0)
        printf("served: %s served malloc, calloc, realloc and aligned_alloc through %s\n", allocator, lib);
    return check_report("served");
}
