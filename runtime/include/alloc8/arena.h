/* SPDX-License-Identifier: MIT */
/* alloc8 runtime: the arena, a chunked bump allocator behind the allocator interface.
 *
 *   alloc8_allocator *arena = alloc8_arena_create(NULL);      (defaults)
 *   ALLOC8_WITH_ALLOCATOR(arena) { ... the heap allocates from the arena ... }
 *   alloc8_reset(arena);    every block is gone; the chunks stay for the next round
 *   alloc8_destroy(arena);
 *
 * One thread allocates from an arena at a time; owns() and the GC's scan may run on any thread.
 * Memory in the arena keeps GC objects alive according to its root strategy (docs/heap.md). */
#ifndef ALLOC8_ARENA_H
#define ALLOC8_ARENA_H

#include "alloc8/allocator.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How the Boehm GC learns about arena memory, so GC objects referenced only from an arena live. */
typedef enum alloc8_roots {
    ALLOC8_ROOTS_DEFAULT = 0,   /* push_callback when the runtime has the GC, else none */
    ALLOC8_ROOTS_PUSH_CALLBACK, /* one GC_set_push_other_roots callback scans every live chunk */
    ALLOC8_ROOTS_ADD_ROOTS,     /* GC_add_roots per chunk: limited to ALLOC8_ADD_ROOTS_MAX chunks */
    ALLOC8_ROOTS_UNCOLLECTABLE, /* chunks are GC_malloc_uncollectable blocks */
    ALLOC8_ROOTS_NONE           /* the GC does not see arena memory */
} alloc8_roots;

/* Chunks registered with GC_add_roots, process-wide. Boehm's root table holds about 2,048 ranges
 * (its own included) and aborts the process when full; alloc8 stops well before that. */
#define ALLOC8_ADD_ROOTS_MAX 1024

/* All zero means defaults. */
typedef struct alloc8_arena_options {
    size_t chunk_size;      /* usable bytes of the first chunk (0: 64 KiB; at least 256) */
    size_t max_chunk_size;  /* chunks grow up to this (0: 16 MiB, or chunk_size if larger) */
    unsigned growth;        /* each new chunk is this many times the previous (0: 2; 1: fixed) */
    size_t large_threshold; /* a request needing more than this gets a dedicated chunk
                               (0: chunk_size / 4; at most chunk_size) */
    size_t limit;           /* most bytes the arena may hold, chunks included (0: no limit) */
    alloc8_roots roots;     /* GC root strategy */
} alloc8_arena_options;

/* A new arena, or NULL with alloc8_last_error() saying why (bad options, no memory, a strategy
 * that needs the GC in a runtime built without it). `options` may be NULL. Creating an arena
 * with a GC strategy initialises the GC and registers the calling thread with it. */
alloc8_allocator *alloc8_arena_create(const alloc8_arena_options *options);

/* Non-zero iff `a` is an arena (made by alloc8_arena_create). */
int alloc8_is_arena(const alloc8_allocator *a);

/* The strategy an arena uses (ALLOC8_ROOTS_DEFAULT resolved), and its name ("push_callback"...). */
alloc8_roots alloc8_arena_roots(const alloc8_allocator *arena);
const char *alloc8_roots_name(alloc8_roots strategy);

#ifdef __cplusplus
}
#endif

#endif
