/* SPDX-License-Identifier: MIT */
/* The arena: bump allocation in chunks. Normal requests go to the current chunk, then the next
 * one (kept from before a reset) or a new one, each new chunk `growth` times the previous up to
 * max_chunk_size. A request needing more than large_threshold bytes gets a dedicated chunk. Reset
 * zeroes the bytes that were used, so stale pointers in them cannot keep GC objects alive, and
 * keeps every chunk for the next round. */
#include "alloc8/gc.h"
#include "alloc8/registry.h"
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_MIN_CHUNK 256u
#define ARENA_DEFAULT_CHUNK (64u * 1024u)
#define ARENA_DEFAULT_MAX_CHUNK (16u * 1024u * 1024u)
#define ARENA_MAX_GROWTH 16u
/* chunk header size, a multiple of 16 so chunk data keeps malloc's alignment */
#define ARENA_HEADER ((sizeof(alloc8_rt_chunk) + 15u) & ~(size_t)15u)

typedef struct arena {
    alloc8_allocator base;
    char *top, *end;                               /* bump range in the current chunk (NULL before the first) */
    alloc8_rt_chunk *cur;                          /* the current normal chunk */
    alloc8_rt_chunk *_Atomic normal, *normal_tail; /* normal chunks, in creation order */
    alloc8_rt_chunk *_Atomic large, *large_tail;   /* dedicated chunks */
    alloc8_rt_chunk *large_cursor;                 /* next dedicated chunk to reuse after a reset */
    size_t next_size, max_chunk_size, large_threshold, limit;
    unsigned growth;
    alloc8_roots roots;
    _Atomic uintptr_t lo, hi; /* bounds of every chunk: a quick "no" for owns() */
    alloc8_rt_roots gc;
    alloc8_allocator_stats stats;
} arena;

static const alloc8_allocator_vtable arena_vtable;

static alloc8_rt_chunk *arena_new_chunk(arena *a, size_t usable, int dedicated) {
    if (usable > SIZE_MAX - ARENA_HEADER) {
        alloc8_rt_error("alloc8 arena: a chunk of %llu bytes is larger than the address space", ALLOC8_RT_SIZE(usable));
        return NULL;
    }
    size_t total = ARENA_HEADER + usable;
    if (a->limit && (total > a->limit || a->stats.bytes_reserved > a->limit - total)) {
        alloc8_rt_error("alloc8 arena: its limit of %llu bytes is reached (%llu reserved, a chunk of %llu "
                        "more needed)",
                        ALLOC8_RT_SIZE(a->limit), ALLOC8_RT_SIZE(a->stats.bytes_reserved), ALLOC8_RT_SIZE(total));
        return NULL;
    }
    char *memory = alloc8_rt_chunk_alloc(a->roots, total);
    if (memory == NULL)
        return NULL;
    alloc8_rt_chunk *c = (alloc8_rt_chunk *)memory;
    c->data = c->top = memory + ARENA_HEADER;
    c->end = memory + total;
    atomic_init(&c->next, NULL);

    uintptr_t lo = atomic_load_explicit(&a->lo, memory_order_relaxed);
    if (lo == 0 || (uintptr_t)memory < lo)
        atomic_store_explicit(&a->lo, (uintptr_t)memory, memory_order_relaxed);
    if ((uintptr_t)c->end > atomic_load_explicit(&a->hi, memory_order_relaxed))
        atomic_store_explicit(&a->hi, (uintptr_t)c->end, memory_order_relaxed);
    /* publish: readers on other threads see a complete chunk or none */
    alloc8_rt_chunk **tail = dedicated ? &a->large_tail : &a->normal_tail;
    if (*tail)
        atomic_store_explicit(&(*tail)->next, c, memory_order_release);
    else
        atomic_store_explicit(dedicated ? &a->large : &a->normal, c, memory_order_release);
    *tail = c;
    a->stats.bytes_reserved += total;
    a->stats.chunks++;
    return c;
}

static void *arena_alloc_large(arena *a, size_t size, size_t alignment, size_t need) {
    alloc8_rt_chunk *c = a->large_cursor;
    while (c != NULL && (size_t)(c->end - c->data) < need)
        c = atomic_load_explicit(&c->next, memory_order_relaxed);
    if (c != NULL)
        a->large_cursor = atomic_load_explicit(&c->next, memory_order_relaxed);
    else if ((c = arena_new_chunk(a, need, 1)) == NULL)
        return NULL;
    uintptr_t p = ((uintptr_t)c->data + alignment - 1) & ~(uintptr_t)(alignment - 1);
    c->top = (char *)p + size;
    a->stats.large_allocations++;
    a->stats.allocations++;
    a->stats.bytes_used += size;
    return (void *)p;
}

/* Bump in the current chunk; the caller has checked that the block fits. */
static inline void *arena_bump(arena *a, uintptr_t p, size_t size) {
    a->top = (char *)(p + size);
    a->stats.allocations++;
    a->stats.bytes_used += size;
    return (void *)p;
}

/* Everything but a fitting request of at least one byte: bad arguments, the next chunk, large
 * requests. Kept out of line so the fast path stays a leaf. */
static void *__attribute__((noinline)) arena_alloc_slow(arena *a, size_t size, size_t alignment) {
    if (!alloc8_valid_alignment(alignment)) {
        alloc8_rt_error("alloc8 arena: alignment %llu is not a power of two", ALLOC8_RT_SIZE(alignment));
        return NULL;
    }
    size += size == 0; /* distinct pointers for zero-sized requests */
    if (size > SIZE_MAX - alignment) {
        alloc8_rt_error("alloc8 arena: a request of %llu bytes aligned to %llu overflows the size type",
                        ALLOC8_RT_SIZE(size), ALLOC8_RT_SIZE(alignment));
        return NULL;
    }
    size_t need = size + alignment - 1; /* enough for any starting address */
    if (need > a->large_threshold)
        return arena_alloc_large(a, size, alignment, need);
    uintptr_t top = (uintptr_t)a->top, end = (uintptr_t)a->end;
    uintptr_t p = (top + alignment - 1) & ~(uintptr_t)(alignment - 1);
    if (a->cur == NULL || p < top || p > end || size > end - p) {
        if (a->cur)
            a->cur->top = a->top;
        alloc8_rt_chunk *c = a->cur ? atomic_load_explicit(&a->cur->next, memory_order_relaxed)
                                    : atomic_load_explicit(&a->normal, memory_order_relaxed);
        if (c == NULL) {
            if ((c = arena_new_chunk(a, a->next_size, 0)) == NULL)
                return NULL;
            if (a->next_size < a->max_chunk_size)
                a->next_size =
                    a->max_chunk_size / a->growth < a->next_size ? a->max_chunk_size : a->next_size * a->growth;
        }
        /* every chunk holds at least large_threshold >= need bytes, so the request fits now */
        a->cur = c;
        a->top = c->top;
        a->end = c->end;
        p = ((uintptr_t)c->top + alignment - 1) & ~(uintptr_t)(alignment - 1);
    }
    return arena_bump(a, p, size);
}

static void *arena_alloc(alloc8_allocator *self, size_t size, size_t alignment) {
    arena *a = (arena *)self;
    uintptr_t top = (uintptr_t)a->top, end = (uintptr_t)a->end;
    uintptr_t p = (top + alignment - 1) & ~(uintptr_t)(alignment - 1);
    /* size - 1 wraps for 0, which (like a bad alignment) takes the slow path */
    if (alloc8_valid_alignment(alignment) && size - 1 < a->large_threshold && p >= top && p <= end && size <= end - p)
        return arena_bump(a, p, size);
    return arena_alloc_slow(a, size, alignment);
}

/* Blocks live until reset; only the most recent block of the current chunk is taken back now. */
static void arena_free(alloc8_allocator *self, void *ptr, size_t size, size_t alignment) {
    arena *a = (arena *)self;
    (void)alignment;
    if (ptr == NULL)
        return;
    a->stats.frees++;
    size += size == 0;
    if (a->cur && (char *)ptr >= a->cur->data && (char *)ptr < a->top && a->top - (char *)ptr == (ptrdiff_t)size) {
        memset(ptr, 0, size); /* the GC may scan the chunk: leave no stale pointers */
        a->top = ptr;
        a->stats.bytes_used -= size;
    }
}

static void arena_zero_list(alloc8_rt_chunk *c) {
    for (; c != NULL; c = atomic_load_explicit(&c->next, memory_order_relaxed)) {
        memset(c->data, 0, (size_t)(c->top - c->data));
        c->top = c->data;
    }
}

static void arena_reset(alloc8_allocator *self) {
    arena *a = (arena *)self;
    if (a->cur)
        a->cur->top = a->top;
    arena_zero_list(atomic_load_explicit(&a->normal, memory_order_relaxed));
    arena_zero_list(atomic_load_explicit(&a->large, memory_order_relaxed));
    a->cur = NULL;
    a->top = a->end = NULL;
    a->large_cursor = atomic_load_explicit(&a->large, memory_order_relaxed);
    a->stats.bytes_used = 0;
    a->stats.resets++;
}

static void arena_stats(const alloc8_allocator *self, alloc8_allocator_stats *out) {
    *out = ((const arena *)self)->stats;
}

static int arena_list_owns(alloc8_rt_chunk *c, uintptr_t p) {
    for (; c != NULL; c = atomic_load_explicit(&c->next, memory_order_acquire))
        if (p >= (uintptr_t)c->data && p < (uintptr_t)c->end)
            return 1;
    return 0;
}

static int arena_owns(const alloc8_allocator *self, const void *ptr) {
    arena *a = (arena *)self;
    uintptr_t p = (uintptr_t)ptr;
    if (p < atomic_load_explicit(&a->lo, memory_order_relaxed) ||
        p >= atomic_load_explicit(&a->hi, memory_order_relaxed))
        return 0;
    return arena_list_owns(atomic_load_explicit(&a->normal, memory_order_acquire), p) ||
           arena_list_owns(atomic_load_explicit(&a->large, memory_order_acquire), p);
}

static void arena_free_list(arena *a, alloc8_rt_chunk *c) {
    while (c != NULL) {
        alloc8_rt_chunk *next = atomic_load_explicit(&c->next, memory_order_relaxed);
        alloc8_rt_chunk_free(a->roots, c, (size_t)(c->end - (char *)c));
        c = next;
    }
}

static void arena_destroy(alloc8_allocator *self) {
    arena *a = (arena *)self;
    alloc8_unregister(self);
    if (a->roots == ALLOC8_ROOTS_PUSH_CALLBACK)
        alloc8_rt_roots_detach(&a->gc);
    arena_free_list(a, atomic_load_explicit(&a->normal, memory_order_relaxed));
    arena_free_list(a, atomic_load_explicit(&a->large, memory_order_relaxed));
    free(a);
}

static const alloc8_allocator_vtable arena_vtable = {
    arena_alloc, arena_free, arena_reset, arena_stats, arena_owns, arena_destroy,
};

static int arena_configure(arena *a, const alloc8_arena_options *o) {
    size_t chunk = o->chunk_size ? o->chunk_size : ARENA_DEFAULT_CHUNK;
    if (chunk < ARENA_MIN_CHUNK || chunk > SIZE_MAX / 4) {
        alloc8_rt_error("alloc8 arena: chunk_size %llu is out of range (expected %u to %llu, or 0 for "
                        "the default)",
                        ALLOC8_RT_SIZE(chunk), ARENA_MIN_CHUNK, ALLOC8_RT_SIZE(SIZE_MAX / 4));
        return -1;
    }
    size_t max =
        o->max_chunk_size ? o->max_chunk_size : (chunk > ARENA_DEFAULT_MAX_CHUNK ? chunk : ARENA_DEFAULT_MAX_CHUNK);
    if (max < chunk) {
        alloc8_rt_error("alloc8 arena: max_chunk_size %llu is below chunk_size %llu", ALLOC8_RT_SIZE(max),
                        ALLOC8_RT_SIZE(chunk));
        return -1;
    }
    unsigned growth = o->growth ? o->growth : 2;
    if (growth > ARENA_MAX_GROWTH) {
        alloc8_rt_error("alloc8 arena: growth %u is out of range (expected 1 to %u, or 0 for 2)", growth,
                        ARENA_MAX_GROWTH);
        return -1;
    }
    size_t threshold = o->large_threshold ? o->large_threshold : chunk / 4;
    if (threshold > chunk) {
        alloc8_rt_error("alloc8 arena: large_threshold %llu is above chunk_size %llu (a request up to the "
                        "threshold must fit in any chunk)",
                        ALLOC8_RT_SIZE(threshold), ALLOC8_RT_SIZE(chunk));
        return -1;
    }
    alloc8_roots roots = o->roots;
    if (roots == ALLOC8_ROOTS_DEFAULT)
        roots = alloc8_gc_available() ? ALLOC8_ROOTS_PUSH_CALLBACK : ALLOC8_ROOTS_NONE;
    if (roots < ALLOC8_ROOTS_DEFAULT || roots > ALLOC8_ROOTS_NONE) {
        alloc8_rt_error("alloc8 arena: roots %d is not an alloc8_roots strategy", (int)roots);
        return -1;
    }
    if (roots != ALLOC8_ROOTS_NONE && !alloc8_gc_available()) {
        alloc8_rt_error("alloc8 arena: the %s strategy needs the Boehm GC, and this alloc8 runtime was "
                        "built without it (install libgc-dev and rebuild)",
                        alloc8_roots_name(roots));
        return -1;
    }
    a->next_size = chunk;
    a->max_chunk_size = max;
    a->growth = growth;
    a->large_threshold = threshold;
    a->limit = o->limit;
    a->roots = roots;
    return 0;
}

alloc8_allocator *alloc8_arena_create(const alloc8_arena_options *options) {
    static const alloc8_arena_options defaults;
    arena *a = calloc(1, sizeof *a);
    if (a == NULL) {
        alloc8_rt_error("alloc8 arena: out of memory creating an arena");
        return NULL;
    }
    a->base.vtable = &arena_vtable;
    if (arena_configure(a, options ? options : &defaults) != 0) {
        free(a);
        return NULL;
    }
    a->gc.lists[0] = &a->normal;
    a->gc.lists[1] = &a->large;
    if ((a->roots == ALLOC8_ROOTS_PUSH_CALLBACK && alloc8_rt_roots_attach(&a->gc) != 0) ||
        alloc8_register(&a->base) != 0) {
        if (a->roots == ALLOC8_ROOTS_PUSH_CALLBACK)
            alloc8_rt_roots_detach(&a->gc);
        free(a);
        return NULL;
    }
    return &a->base;
}

int alloc8_is_arena(const alloc8_allocator *a) {
    return a != NULL && a->vtable == &arena_vtable;
}

alloc8_roots alloc8_arena_roots(const alloc8_allocator *a) {
    return alloc8_is_arena(a) ? ((const arena *)a)->roots : ALLOC8_ROOTS_DEFAULT;
}

const char *alloc8_roots_name(alloc8_roots strategy) {
    switch (strategy) {
    case ALLOC8_ROOTS_DEFAULT: return "default";
    case ALLOC8_ROOTS_PUSH_CALLBACK: return "push_callback";
    case ALLOC8_ROOTS_ADD_ROOTS: return "add_roots";
    case ALLOC8_ROOTS_UNCOLLECTABLE: return "uncollectable";
    case ALLOC8_ROOTS_NONE: return "none";
    }
    return "unknown";
}
