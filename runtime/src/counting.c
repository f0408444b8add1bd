/* SPDX-License-Identifier: MIT */
/* The counting allocator: each block is a system allocation with a header in front of the user
 * pointer linking it into the allocator's list of live blocks, so ownership is exact (a list walk
 * under a lock, as owns() may come from any thread: this is a test aid, not a fast allocator) and
 * destroy can free what is left. */
#include "alloc8/counting.h"
#include "alloc8/registry.h"
#include "internal.h"

#include <stdlib.h>

struct counting_block {
    struct counting_block *prev, *next;
    void *base;  /* what the system allocator returned */
    size_t size; /* requested */
};

typedef struct {
    alloc8_allocator base;
    alloc8_rt_lock lock;        /* guards the list and the stats */
    struct counting_block live; /* list head */
    alloc8_allocator_stats stats;
} counting_allocator;

static void *counting_alloc(alloc8_allocator *self, size_t size, size_t alignment) {
    counting_allocator *c = (counting_allocator *)self;
    if (!alloc8_valid_alignment(alignment)) {
        alloc8_rt_error("alloc8 counting: alignment %llu is not a power of two", ALLOC8_RT_SIZE(alignment));
        return NULL;
    }
    if (alignment < _Alignof(struct counting_block))
        alignment = _Alignof(struct counting_block);
    size_t header = sizeof(struct counting_block);
    if (size > SIZE_MAX - header - alignment) {
        alloc8_rt_error("alloc8 counting: a request of %llu bytes overflows the size type", ALLOC8_RT_SIZE(size));
        return NULL;
    }
    char *base = malloc(header + alignment + size);
    if (base == NULL) {
        alloc8_rt_error("alloc8 counting: out of memory for %llu bytes", ALLOC8_RT_SIZE(size));
        return NULL;
    }
    uintptr_t user = ((uintptr_t)base + header + alignment - 1) & ~(uintptr_t)(alignment - 1);
    struct counting_block *b = (struct counting_block *)(user - header);
    b->base = base;
    b->size = size;
    alloc8_rt_lock_acquire(&c->lock);
    b->prev = &c->live;
    b->next = c->live.next;
    c->live.next->prev = b;
    c->live.next = b;
    c->stats.allocations++;
    c->stats.bytes_used += size;
    c->stats.bytes_reserved += header + alignment + size;
    alloc8_rt_lock_release(&c->lock);
    return (void *)user;
}

static struct counting_block *counting_find(counting_allocator *c, const void *ptr) {
    for (struct counting_block *b = c->live.next; b != &c->live; b = b->next)
        if ((const void *)(b + 1) == ptr)
            return b;
    return NULL;
}

static void counting_unlink(counting_allocator *c, struct counting_block *b) {
    b->prev->next = b->next;
    b->next->prev = b->prev;
    c->stats.bytes_used -= b->size;
    c->stats.bytes_reserved -= (size_t)((char *)(b + 1) - (char *)b->base) + b->size;
    free(b->base);
}

static void counting_free(alloc8_allocator *self, void *ptr, size_t size, size_t alignment) {
    counting_allocator *c = (counting_allocator *)self;
    (void)size;
    (void)alignment;
    alloc8_rt_lock_acquire(&c->lock);
    struct counting_block *b = counting_find(c, ptr);
    if (b != NULL) { /* not ours: never touch it */
        c->stats.frees++;
        counting_unlink(c, b);
    }
    alloc8_rt_lock_release(&c->lock);
}

static void counting_reset(alloc8_allocator *self) {
    counting_allocator *c = (counting_allocator *)self;
    alloc8_rt_lock_acquire(&c->lock);
    while (c->live.next != &c->live)
        counting_unlink(c, c->live.next);
    c->stats.resets++;
    alloc8_rt_lock_release(&c->lock);
}

static void counting_stats(const alloc8_allocator *self, alloc8_allocator_stats *out) {
    counting_allocator *c = (counting_allocator *)self;
    alloc8_rt_lock_acquire(&c->lock);
    *out = c->stats;
    alloc8_rt_lock_release(&c->lock);
}

static int counting_owns(const alloc8_allocator *self, const void *ptr) {
    counting_allocator *c = (counting_allocator *)self;
    alloc8_rt_lock_acquire(&c->lock);
    int owns = counting_find(c, ptr) != NULL;
    alloc8_rt_lock_release(&c->lock);
    return owns;
}

static void counting_destroy(alloc8_allocator *self) {
    alloc8_unregister(self);
    counting_reset(self);
    alloc8_rt_lock_destroy(&((counting_allocator *)self)->lock);
    free(self);
}

static const alloc8_allocator_vtable counting_vtable = {
    counting_alloc, counting_free, counting_reset, counting_stats, counting_owns, counting_destroy,
};

alloc8_allocator *alloc8_counting_create(void) {
    counting_allocator *c = calloc(1, sizeof *c);
    if (c == NULL) {
        alloc8_rt_error("alloc8 counting: out of memory creating an allocator");
        return NULL;
    }
    c->base.vtable = &counting_vtable;
    c->live.prev = c->live.next = &c->live;
    alloc8_rt_lock_init(&c->lock);
    if (alloc8_register(&c->base) != 0) {
        alloc8_rt_lock_destroy(&c->lock);
        free(c);
        return NULL;
    }
    return &c->base;
}
