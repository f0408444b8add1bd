/* SPDX-License-Identifier: MIT */
/* alloc8 runtime: the allocator interface. Any allocator (an arena, a counting wrapper, a user's
 * own) is a struct whose first member points at a table of these functions; the heap dispatch
 * calls them through the thread's current allocator (alloc8/current.h). */
#ifndef ALLOC8_ALLOCATOR_H
#define ALLOC8_ALLOCATOR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct alloc8_allocator alloc8_allocator;

typedef struct alloc8_allocator_stats {
    uint64_t bytes_reserved;    /* memory obtained from the system */
    uint64_t bytes_used;        /* of which handed out (live, or until the next reset) */
    uint64_t chunks;            /* chunks held (arenas) */
    uint64_t large_allocations; /* requests that got a dedicated chunk (arenas) */
    uint64_t resets;            /* calls of reset */
    uint64_t allocations;       /* successful calls of alloc */
    uint64_t frees;             /* calls of free */
} alloc8_allocator_stats;

typedef struct alloc8_allocator_vtable {
    /* size bytes aligned to `alignment` (a power of two); NULL only when memory is exhausted. */
    void *(*alloc)(alloc8_allocator *self, size_t size, size_t alignment);
    /* Give back a block from alloc with the same size and alignment (arenas may ignore it). */
    void (*free)(alloc8_allocator *self, void *ptr, size_t size, size_t alignment);
    /* Forget every block at once (arenas keep their chunks); may be NULL if not supported. */
    void (*reset)(alloc8_allocator *self);
    void (*stats)(const alloc8_allocator *self, alloc8_allocator_stats *out);
    /* Non-zero iff ptr is a block of this allocator: frees are decided by owner, never by which
     * allocator is current. Must be safe for any pointer value. */
    int (*owns)(const alloc8_allocator *self, const void *ptr);
    /* Release everything, including the allocator itself. */
    void (*destroy)(alloc8_allocator *self);
} alloc8_allocator_vtable;

struct alloc8_allocator {
    const alloc8_allocator_vtable *vtable;
};

static inline void *alloc8_alloc(alloc8_allocator *a, size_t size, size_t alignment) {
    return a->vtable->alloc(a, size, alignment);
}
static inline void alloc8_free(alloc8_allocator *a, void *ptr, size_t size, size_t alignment) {
    a->vtable->free(a, ptr, size, alignment);
}
static inline void alloc8_reset(alloc8_allocator *a) {
    if (a->vtable->reset != NULL)
        a->vtable->reset(a);
}
static inline void alloc8_stats(const alloc8_allocator *a, alloc8_allocator_stats *out) {
    a->vtable->stats(a, out);
}
static inline int alloc8_owns(const alloc8_allocator *a, const void *ptr) {
    return a->vtable->owns(a, ptr);
}
static inline void alloc8_destroy(alloc8_allocator *a) {
    a->vtable->destroy(a);
}

/* Why the last call of the runtime on this thread failed (an allocation returning NULL, a create
 * returning NULL): a sentence such as "alloc8 arena: alignment 24 is not a power of two". Empty
 * when nothing failed yet. The runtime's allocators set it; an allocator of your own may too. */
const char *alloc8_last_error(void);
void alloc8_set_last_error(const char *message);

/* Non-zero iff alignment is a power of two (the only alignments the interface accepts). */
static inline int alloc8_valid_alignment(size_t alignment) {
    return alignment != 0 && (alignment & (alignment - 1)) == 0;
}

#ifdef __cplusplus
}
#endif

#endif
