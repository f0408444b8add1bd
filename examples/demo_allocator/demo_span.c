/* SPDX-License-Identifier: MIT */
/* Small objects live in 256 KiB spans carved from one virtual reservation made at first use.
 * A byte per span records its size class, so free() finds the class from the address alone and
 * ownership of a small pointer is a range check. Each class has a central free list and a bump
 * cursor into its current span, under its own lock. Spans are never returned to the system. */
#define _GNU_SOURCE
#include "demo_internal.h"

#define DEMO_SPAN ((size_t)1 << DEMO_SPAN_SHIFT)
#define DEMO_MAX_RESERVE ((size_t)16 << 30) /* 16 GiB of address space, committed lazily */
#define DEMO_MAX_SPANS (DEMO_MAX_RESERVE >> DEMO_SPAN_SHIFT)

static _Atomic uintptr_t demo_region_base;
static _Atomic size_t demo_region_size;
static demo_lock_t demo_region_lock = DEMO_LOCK_INIT;
static _Atomic size_t demo_next_span;
static uint8_t demo_span_classes[DEMO_MAX_SPANS]; /* class + 1; 0 = unused */

struct demo_central {
    demo_lock_t lock;
    void *free_list;
    char *bump;
    char *bump_end;
};
static struct demo_central demo_centrals[DEMO_CLASSES];

/* Reserve the region; with strict overcommit a large reservation may fail, so halve it. */
static int demo_region_init(void) {
    if (atomic_load_explicit(&demo_region_base, memory_order_acquire))
        return 1;
    demo_lock(&demo_region_lock);
    for (size_t size = DEMO_MAX_RESERVE;
         !atomic_load_explicit(&demo_region_base, memory_order_relaxed) && size >= ((size_t)256 << 20); size /= 2) {
        void *map = demo_os_reserve(size + DEMO_SPAN);
        if (map == NULL)
            continue;
        uintptr_t base = ((uintptr_t)map + DEMO_SPAN - 1) & ~(uintptr_t)(DEMO_SPAN - 1);
        atomic_store_explicit(&demo_region_size, size, memory_order_relaxed);
        atomic_store_explicit(&demo_region_base, base, memory_order_release);
    }
    demo_unlock(&demo_region_lock);
    return atomic_load_explicit(&demo_region_base, memory_order_acquire) != 0;
}

int demo_is_small(const void *ptr) {
    uintptr_t base = atomic_load_explicit(&demo_region_base, memory_order_acquire);
    return (uintptr_t)ptr - base < atomic_load_explicit(&demo_region_size, memory_order_relaxed) && base;
}

static size_t demo_span_index(const void *ptr) {
    return ((uintptr_t)ptr - atomic_load_explicit(&demo_region_base, memory_order_relaxed)) >> DEMO_SPAN_SHIFT;
}

unsigned demo_span_class(const void *ptr) {
    return (unsigned)demo_span_classes[demo_span_index(ptr)] - 1;
}

int demo_span_in_use(const void *ptr) {
    return __atomic_load_n(&demo_span_classes[demo_span_index(ptr)], __ATOMIC_RELAXED) != 0;
}

/* A fresh span for a class, or 0 when the reservation is used up. */
static int demo_new_span(unsigned cls, struct demo_central *central) {
    if (!demo_region_init())
        return 0;
    size_t spans = atomic_load_explicit(&demo_region_size, memory_order_relaxed) >> DEMO_SPAN_SHIFT;
    size_t index = atomic_fetch_add_explicit(&demo_next_span, 1, memory_order_relaxed);
    if (index >= spans)
        return 0;
    char *span = (char *)(atomic_load_explicit(&demo_region_base, memory_order_relaxed) + (index << DEMO_SPAN_SHIFT));
    if (!demo_os_commit(span, DEMO_SPAN))
        return 0;
    __atomic_store_n(&demo_span_classes[index], (uint8_t)(cls + 1), __ATOMIC_RELAXED);
    central->bump = span;
    central->bump_end = span + DEMO_SPAN;
    return 1;
}

size_t demo_central_take(unsigned cls, void **head, size_t want) {
    struct demo_central *central = &demo_centrals[cls];
    size_t size = demo_class_size(cls), got = 0;
    void *list = NULL;
    int held = demo_lock_shared(&central->lock);
    while (got < want && central->free_list != NULL) {
        void *obj = central->free_list;
        central->free_list = *(void **)obj;
        *(void **)obj = list;
        list = obj;
        got++;
    }
    while (got < want) {
        if ((size_t)(central->bump_end - central->bump) < size && !demo_new_span(cls, central))
            break;
        void *obj = central->bump;
        central->bump += size;
        *(void **)obj = list;
        list = obj;
        got++;
    }
    demo_unlock_shared(&central->lock, held);
    *head = list;
    return got;
}

void demo_central_give(unsigned cls, void *head, void *tail) {
    struct demo_central *central = &demo_centrals[cls];
    int held = demo_lock_shared(&central->lock);
    *(void **)tail = central->free_list;
    central->free_list = head;
    demo_unlock_shared(&central->lock, held);
}

void demo_span_lock_all(void) {
    demo_lock(&demo_region_lock);
    for (unsigned cls = 0; cls < DEMO_CLASSES; cls++)
        demo_lock(&demo_centrals[cls].lock);
}

void demo_span_unlock_all(void) {
    for (unsigned cls = DEMO_CLASSES; cls-- > 0;)
        demo_unlock(&demo_centrals[cls].lock);
    demo_unlock(&demo_region_lock);
}
