/* SPDX-License-Identifier: MIT */
/* The generated heap (tests/specs/build/heap_gc.yaml: rt_heap, fallback gc, abort when
 * exhausted): the seed's behaviour matrix, nested arenas, frees decided by owner, pointer-free
 * blocks, a clear abort for exhaustion and impossible sizes (NULL from the try_ forms), and GC
 * registration of a thread whose first GC allocation goes through the heap. */
#define _GNU_SOURCE
#include "../runtime/gc_util.h"
#include "alloc8/arena.h"
#include "alloc8/counting.h"
#include "alloc8/current.h"
#include "alloc8/gc.h"
#include "check.h"
#include "expect_abort.h"
#include "rt_heap.h"

#include <gc/gc_inline.h> /* GC_I_NORMAL, GC_I_PTRFREE */
#include <gc/gc_mark.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ALIGNED16(p) (((uintptr_t)(p)&15) == 0)

static int gc_kind(const void *p) {
    return GC_base((void *)p) == p ? GC_get_kind_and_size(p, NULL) : -1;
}

static uint64_t stat_of(alloc8_allocator *a, int which) {
    alloc8_allocator_stats s;
    alloc8_stats(a, &s);
    return which == 0 ? s.allocations : which == 1 ? s.frees : s.bytes_used;
}
#define ALLOCS(a) stat_of(a, 0)
#define FREES(a) stat_of(a, 1)

static void behaviour_matrix(void) {
    void *gc = rt_heap_allocate(48), *gc_atomic = rt_heap_allocate_norefs(48);
    CHECK(gc_kind(gc) == GC_I_NORMAL && ALIGNED16(gc), "no allocator: a GC block the GC scans\n");
    CHECK(gc_kind(gc_atomic) == GC_I_PTRFREE, "no allocator, norefs: a pointer-free GC block\n");

    alloc8_allocator *arena = alloc8_arena_create(NULL), *counting = alloc8_counting_create();
    void *in_arena = NULL, *in_arena_norefs = NULL, *counted = NULL;
    ALLOC8_WITH_ALLOCATOR(arena) {
        in_arena = rt_heap_allocate(48);
        in_arena_norefs = rt_heap_allocate_norefs(10);
    }
    CHECK(alloc8_owns(arena, in_arena) && alloc8_owns(arena, in_arena_norefs) && ALLOCS(arena) == 2 &&
              ALIGNED16(in_arena) && ALIGNED16(in_arena_norefs) && GC_base(in_arena) == NULL,
          "inside an arena: both forms come from the arena\n");
    ALLOC8_WITH_ALLOCATOR(counting) {
        counted = rt_heap_allocate(100);
    }
    CHECK(alloc8_owns(counting, counted) && ALLOCS(counting) == 1 && stat_of(counting, 2) == 100,
          "a custom (counting) allocator: counted\n");
    CHECK(alloc8_current() == NULL && gc_kind(rt_heap_allocate(8)) == GC_I_NORMAL, "after the scopes: the GC again\n");

    /* nested arenas restore the outer one */
    alloc8_allocator *outer = alloc8_arena_create(NULL), *inner = alloc8_arena_create(NULL);
    void *o1 = NULL, *i1 = NULL, *o2 = NULL;
    ALLOC8_WITH_ALLOCATOR(outer) {
        o1 = rt_heap_allocate(16);
        ALLOC8_WITH_ALLOCATOR(inner) {
            i1 = rt_heap_allocate(16);
        }
        o2 = rt_heap_allocate(16);
    }
    CHECK(alloc8_owns(outer, o1) && alloc8_owns(inner, i1) && alloc8_owns(outer, o2) && !alloc8_owns(outer, i1),
          "nested arenas: the inner one serves inside, the outer one again after it\n");

    /* frees are decided by owner */
    uint64_t arena_frees = FREES(arena);
    rt_heap_deallocate(48, in_arena); /* the arena was left long ago; the inner one is current */
    ALLOC8_WITH_ALLOCATOR(inner) {
        rt_heap_deallocate(10, in_arena_norefs);
    }
    CHECK(FREES(arena) == arena_frees + 2 && FREES(inner) == 0,
          "arena blocks freed after the arena was left (no allocator, another arena current) go to their arena\n");
    void *big = rt_heap_allocate(1 << 20);
    size_t free_before = GC_get_free_bytes();
    ALLOC8_WITH_ALLOCATOR(arena) {
        rt_heap_deallocate(1 << 20, big);
    }
    CHECK(GC_get_free_bytes() >= free_before + (1 << 20) && FREES(arena) == arena_frees + 2,
          "a GC block freed while an arena is current goes to the GC (free bytes %zu -> %zu)\n", free_before,
          GC_get_free_bytes());
    ALLOC8_WITH_ALLOCATOR(arena) {
        rt_heap_deallocate(100, counted);
    }
    CHECK(FREES(counting) == 1 && stat_of(counting, 2) == 0,
          "a counting block freed inside an arena goes to the counting allocator\n");
    void *foreign = malloc(32);
    rt_heap_deallocate(32, foreign); /* nobody's: left alone */
    free(foreign);
    rt_heap_deallocate(0, NULL);
    CHECK(1, "a block nobody owns, and NULL, are left alone\n");
    alloc8_destroy(arena);
    alloc8_destroy(counting);
    alloc8_destroy(outer);
    alloc8_destroy(inner);
}

static void exhausted_arena(void) {
    alloc8_arena_options o = {.chunk_size = 1024, .limit = 4096};
    alloc8_push(alloc8_arena_create(&o));
    rt_heap_allocate(1 << 20);
}

static void impossible_size(void) {
    alloc8_push(alloc8_arena_create(NULL));
    rt_heap_allocate(SIZE_MAX - 3);
}

/* The try_ forms return NULL instead, for callers that handle failure (the C++ header throws). */
static void try_forms(void) {
    alloc8_arena_options o = {.chunk_size = 1024, .limit = 4096};
    alloc8_allocator *tiny = alloc8_arena_create(&o);
    void *big = (void *)1, *big_norefs = (void *)1, *small = NULL;
    ALLOC8_WITH_ALLOCATOR(tiny) {
        big = rt_heap_try_allocate(1 << 20);
        big_norefs = rt_heap_try_allocate_norefs(1 << 20);
        small = rt_heap_try_allocate(32);
    }
    CHECK(big == NULL && big_norefs == NULL && strstr(alloc8_last_error(), "its limit of 4096 bytes") != NULL,
          "an abort heap's try_allocate returns NULL on exhaustion, and says why: %s\n", alloc8_last_error());
    CHECK(alloc8_owns(tiny, small) && gc_kind(rt_heap_try_allocate(8)) == GC_I_NORMAL &&
              gc_kind(rt_heap_try_allocate_norefs(8)) == GC_I_PTRFREE,
          "try_allocate serves from the arena, else the GC, like allocate\n");
    alloc8_destroy(tiny);
}

static void aborts(void) {
    char out[1024];
    CHECK(expect_abort(exhausted_arena, "rt_heap: cannot allocate 1048576 bytes: alloc8 arena: its limit of 4096 bytes",
                       out, sizeof out),
          "exhaustion aborts with a message: %s\n", out);
    CHECK(expect_abort(impossible_size, "overflows the size type", out, sizeof out),
          "an impossible size aborts with a message: %s\n", out);
}

/* A plain pthread (not GC_pthread_create): its first heap allocation registers it with the GC. */
typedef struct chain {
    struct chain *next;
    uint64_t magic, index;
} chain;

static void *thread_main(void *arg) {
    int *result = arg;
    int registered_before = GC_thread_is_registered();
    chain *head = NULL;
    for (uint64_t i = 0; i < 2000; i++) {
        chain *c = rt_heap_allocate(sizeof *c);
        *c = (chain){head, OBJ_MAGIC, i};
        head = c;
    }
    int registered_after = GC_thread_is_registered();
    GC_gcollect(); /* the chain is reachable only from this thread's stack */
    churn(20000);
    uint64_t n = 0, ok = 0;
    for (chain *c = head; c; c = c->next, n++)
        ok += c->magic == OBJ_MAGIC && c->index == 1999 - n;
    *result = !registered_before && registered_after && n == 2000 && ok == 2000;
    return NULL;
}

int main(void) {
    alloc8_gc_init();
    behaviour_matrix();
    try_forms();
    aborts();
    int ok = 0;
    pthread_t t;
    pthread_create(&t, NULL, thread_main, &ok);
    pthread_join(t, NULL);
    CHECK(ok, "a new thread is registered by its first GC allocation, and its stack keeps its objects alive\n");
    return check_report("heap dispatch");
}
