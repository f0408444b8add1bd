/* What the Windows test programs share: CHECK, and the demo allocator's counters, read through
 * the module that exports them (the interposer DLL, or the program itself in the link-time mode). */
#ifndef ALLOC8_TEST_DEMO_CHECK_H
#define ALLOC8_TEST_DEMO_CHECK_H

#include "demo_allocator.h"
#include "check.h"

#include <stdio.h>
#include <windows.h>

static void (*stats_get)(struct alloc8_demo_stats *);
static void (*thread_get)(struct alloc8_demo_thread *);

/* Finds the counters in `module`; 0 (with a message) when it does not export them. */
static inline int counters_from(HMODULE module, const char *name) {
    stats_get = (void (*)(struct alloc8_demo_stats *))(void (*)(void))GetProcAddress(module, "alloc8_demo_stats_get");
    thread_get = (void (*)(struct alloc8_demo_thread *))(void (*)(void))GetProcAddress(module, "alloc8_demo_thread_get");
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

/* How much a counter grew between the snapshots `before` and `after`. */
#define DELTA(field) ((unsigned long long)(after.field - before.field))

#endif
