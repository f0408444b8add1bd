/* SPDX-License-Identifier: MIT */
/* Test helpers for GC survival: objects that count their own finalisation, and a way to leave no
 * stray references to them on the stack. */
#ifndef ALLOC8_TEST_GC_UTIL_H
#define ALLOC8_TEST_GC_UTIL_H

#define GC_THREADS
#define GC_NO_THREAD_REDIRECTS
#include <gc/gc.h>

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#define OBJ_MAGIC 0x616c6c6f63386763ull /* "alloc8gc" */

typedef struct test_obj {
    uint64_t magic, id;
} test_obj;

static _Atomic long finalized;

static inline void count_finalized(void *obj, void *data) {
    (void)obj;
    (void)data;
    atomic_fetch_add(&finalized, 1);
}

/* A GC object that bumps `finalized` when the GC collects it. */
static inline test_obj *new_tracked(uint64_t id) {
    test_obj *o = GC_malloc_atomic(sizeof *o);
    o->magic = OBJ_MAGIC;
    o->id = id;
    GC_register_finalizer(o, count_finalized, NULL, NULL, NULL);
    return o;
}

/* Overwrite the stack below the caller, where dead frames may still hold pointers. */
static __attribute__((noinline, unused)) void clear_stack(void) {
    volatile char buffer[16384];
    memset((char *)buffer, 0, sizeof buffer);
}

/* Collect until finalizers have run: returns how many objects were finalised so far. */
static inline long collect(void) {
    clear_stack();
    GC_gcollect();
    GC_gcollect();
    GC_invoke_finalizers();
    return atomic_load(&finalized);
}

/* Allocate and drop some GC memory so freed objects get reused (a wrongly collected object would
 * lose its magic). */
static inline void churn(int n) {
    for (int i = 0; i < n; i++) {
        void *volatile p = GC_malloc(sizeof(test_obj));
        memset(p, 0x11, sizeof(test_obj));
    }
}

#endif
