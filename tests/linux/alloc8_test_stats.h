/* Test helper (header-only, C and C++): read the demo allocator's counters from a program running
 * under LD_PRELOAD of liballoc8demo.so. Programs take `--alloc8` to REQUIRE the counters (proof
 * that the interposer served them); without it, alloc8-only checks are skipped so the semantic
 * checks can also be run against plain glibc. */
#ifndef ALLOC8_TEST_STATS_H
#define ALLOC8_TEST_STATS_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The layout of examples/demo_allocator/demo_allocator.h (which may be included first instead). */
#ifndef DEMO_ALLOCATOR_H
struct alloc8_demo_stats {
    uint64_t malloc_calls;
    uint64_t free_calls;
    uint64_t memalign_calls;
    uint64_t usable_size_calls;
    uint64_t bytes_requested;
    uint64_t large_allocs;
    uint64_t thread_caches;
    uint64_t thread_caches_reused;
    uint64_t thread_inits;
    uint64_t thread_cleanups;
    uint64_t unhooked_caches;
    uint64_t after_cleanup_calls;
    uint64_t threads_created;
    uint64_t locks_taken;
    uint64_t locks_elided;
};
enum { DEMO_THREAD_NO_CACHE, DEMO_THREAD_HOOKED, DEMO_THREAD_UNHOOKED, DEMO_THREAD_TORN_DOWN };
struct alloc8_demo_thread {
    int state;
    unsigned inits;
    unsigned cleanups;
};
#endif

typedef void (*alloc8_stats_fn)(struct alloc8_demo_stats *);

/* Look up a function of the demo allocator and store it in *fn (NULL when it is not loaded);
 * memcpy turns the object pointer into a function pointer without a cast warning. */
static inline void alloc8_test_lookup(const char *name, void *fn, size_t size) {
    void *sym = dlsym(RTLD_DEFAULT, name);
    memcpy(fn, &sym, size);
}

/* The counters function, or NULL when the demo allocator is not loaded. */
static inline alloc8_stats_fn alloc8_test_stats_fn(void) {
    alloc8_stats_fn fn;
    alloc8_test_lookup("alloc8_demo_stats_get", &fn, sizeof fn);
    return fn;
}

/* 1 if argv holds --alloc8. */
static inline int alloc8_test_required(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--alloc8") == 0)
            return 1;
    return 0;
}

/* Parse --alloc8 into *strict and find the counters; with --alloc8 but no demo allocator loaded,
 * print FAIL and exit 1 (the program was not served by the interposer). */
static inline alloc8_stats_fn alloc8_test_begin(int argc, char **argv, int *strict) {
    alloc8_stats_fn fn = alloc8_test_stats_fn();
    *strict = alloc8_test_required(argc, argv);
    if (*strict && fn == NULL) {
        printf("FAIL: --alloc8 given but alloc8_demo_stats_get is not loaded (no LD_PRELOAD?)\n");
        exit(1);
    }
    return fn;
}

typedef void (*alloc8_thread_fn)(struct alloc8_demo_thread *);

/* The per-thread view, or NULL when the demo allocator is not loaded. */
static inline alloc8_thread_fn alloc8_test_thread_fn(void) {
    alloc8_thread_fn fn;
    alloc8_test_lookup("alloc8_demo_thread_get", &fn, sizeof fn);
    return fn;
}

static inline struct alloc8_demo_stats alloc8_test_snapshot(alloc8_stats_fn fn) {
    struct alloc8_demo_stats s;
    memset(&s, 0, sizeof s);
    if (fn)
        fn(&s);
    return s;
}

#endif
