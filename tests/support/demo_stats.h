/* SPDX-License-Identifier: MIT */
/* The demo allocator's counters, read by a test program (header-only, C and C++). The structs come
 * from the demo allocator's own header (examples/demo_allocator/demo_allocator.h, which must be on
 * the include path); the functions are found at run time, so that the program links to no
 * allocator.
 *
 * Linux, a program under LD_PRELOAD of liballoc8demo.so: programs take `--alloc8` to REQUIRE the
 * counters (proof that the interposer served them); without it, alloc8-only checks are skipped so
 * the semantic checks can also be run against plain glibc. alloc8_test_begin, alloc8_test_snapshot.
 * With ALLOC8_TEST_STATIC (a -static program linked with the demo allocator's archive), the
 * functions are the linked-in ones.
 *
 * Windows: read through the module that exports them (the interposer DLL, or the program itself in
 * the link-time mode). counters_from, snap, me. */
#ifndef ALLOC8_TEST_DEMO_STATS_H
#define ALLOC8_TEST_DEMO_STATS_H

#if !defined(_WIN32) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE
#endif

#include "demo_allocator.h"

#include <stdio.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>

static void (*stats_get)(struct alloc8_demo_stats *);
static void (*thread_get)(struct alloc8_demo_thread *);

/* Finds the counters in `module`; 0 (with a message) when it does not export them. */
static inline int counters_from(HMODULE module, const char *name) {
    stats_get = (void (*)(struct alloc8_demo_stats *))(void (*)(void))GetProcAddress(module, "alloc8_demo_stats_get");
    thread_get =
        (void (*)(struct alloc8_demo_thread *))(void (*)(void))GetProcAddress(module, "alloc8_demo_thread_get");
    if (stats_get == NULL || thread_get == NULL) {
        printf("FAIL: %s does not export the demo allocator's counters\n", name);
        return 0;
    }
    return 1;
}

static inline struct alloc8_demo_stats snap(void) {
    struct alloc8_demo_stats s;
    stats_get(&s);
    return s;
}

/* The calling thread's view. */
static inline struct alloc8_demo_thread me(void) {
    struct alloc8_demo_thread t;
    thread_get(&t);
    return t;
}

#else
#include <dlfcn.h>
#include <stdlib.h>

typedef void (*alloc8_stats_fn)(struct alloc8_demo_stats *);

#ifdef ALLOC8_TEST_STATIC
/* A program linked with -static against the demo allocator's archive: there is no dynamic symbol
 * table to search (musl's dlsym fails in a static program), and the functions are linked in. */
static inline void alloc8_test_lookup(const char *name, void *fn, size_t size) {
    void (*found)(void) = NULL;
    if (strcmp(name, "alloc8_demo_stats_get") == 0)
        found = (void (*)(void))alloc8_demo_stats_get;
    else if (strcmp(name, "alloc8_demo_thread_get") == 0)
        found = (void (*)(void))alloc8_demo_thread_get;
    memcpy(fn, &found, size);
}
#else
/* Look up a function of the demo allocator and store it in *fn (NULL when it is not loaded);
 * memcpy turns the object pointer into a function pointer without a cast warning. */
static inline void alloc8_test_lookup(const char *name, void *fn, size_t size) {
    void *sym = dlsym(RTLD_DEFAULT, name);
    memcpy(fn, &sym, size);
}
#endif

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

#endif
