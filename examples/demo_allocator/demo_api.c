/* SPDX-License-Identifier: MIT */
/* The entry points bound by spec/allocator.yaml. */
#include "demo_allocator.h"
#include "demo_internal.h"

#include <string.h>

static inline void demo_count(struct demo_tcache *tc, int which, uint64_t amount) {
    if (DEMO_LIKELY(tc != NULL))
        demo_count_local(&tc->counters, which, amount);
    else
        demo_count_global(which, amount);
}

static void *demo_small_alloc(struct demo_tcache *tc, unsigned cls) {
    void *obj;
    if (DEMO_UNLIKELY(tc == NULL)) /* this thread's cache is gone (thread exit) */
        return demo_central_take(cls, &obj, 1) ? obj : NULL;
    struct demo_bin *bin = &tc->bins[cls];
    if (DEMO_UNLIKELY(bin->head == NULL)) {
        size_t got = demo_central_take(cls, &bin->head, demo_class_cache_limit(cls) / 2);
        if (got == 0)
            return NULL;
        bin->count = (uint32_t)got;
    }
    obj = bin->head;
    bin->head = *(void **)obj;
    bin->count--;
    return obj;
}

static void demo_small_free(struct demo_tcache *tc, void *ptr) {
    unsigned cls = demo_span_class(ptr);
    if (DEMO_UNLIKELY(tc == NULL)) {
        demo_central_give(cls, ptr, ptr);
        return;
    }
    struct demo_bin *bin = &tc->bins[cls];
    *(void **)ptr = bin->head;
    bin->head = ptr;
    if (DEMO_UNLIKELY(++bin->count > demo_class_cache_limit(cls)))
        demo_tcache_trim(cls, bin);
}

static void *demo_large(struct demo_tcache *tc, size_t size, size_t alignment) {
    void *ptr = demo_large_alloc(size, alignment);
    if (ptr != NULL)
        demo_count(tc, DEMO_LARGE, 1);
    return ptr;
}

void *xxmalloc(size_t size) {
    struct demo_tcache *tc = demo_tcache();
    demo_count(tc, DEMO_MALLOC, 1);
    demo_count(tc, DEMO_BYTES, size);
    if (DEMO_LIKELY(size <= DEMO_SMALL_MAX))
        return demo_small_alloc(tc, demo_class_of(size));
    return demo_large(tc, size, 16);
}

/* calloc: small blocks are reused and cleared here; a large block is a fresh mapping, which the
   kernel zeroes page by page on first touch, so it is left untouched (calloc(1, 1 GiB) costs no
   resident memory until used). The glue has checked count * size for overflow. */
void *xxcalloc(size_t count, size_t size) {
    size_t total = count * size;
    void *ptr = xxmalloc(total);
    if (ptr != NULL && total <= DEMO_SMALL_MAX)
        memset(ptr, 0, total);
    return ptr;
}

void *xxmemalign(size_t alignment, size_t size) {
    struct demo_tcache *tc = demo_tcache();
    demo_count(tc, DEMO_MEMALIGN, 1);
    demo_count(tc, DEMO_BYTES, size);
    if (alignment <= 16 && size <= DEMO_SMALL_MAX)
        return demo_small_alloc(tc, demo_class_of(size));
    unsigned cls = demo_class_for_alignment(alignment, size);
    if (cls < DEMO_CLASSES)
        return demo_small_alloc(tc, cls);
    return demo_large(tc, size, alignment);
}

void xxfree(void *ptr) {
    if (ptr == NULL)
        return;
    struct demo_tcache *tc = demo_tcache();
    demo_count(tc, DEMO_FREE, 1);
    if (DEMO_LIKELY(demo_is_small(ptr)))
        demo_small_free(tc, ptr);
    else
        demo_large_free(ptr);
}

size_t xxmalloc_usable_size(void *ptr) {
    if (ptr == NULL)
        return 0;
    demo_count(demo_tcache(), DEMO_USABLE, 1);
    if (demo_is_small(ptr))
        return demo_class_size(demo_span_class(ptr));
    return demo_large_usable_size(ptr);
}

int xxmalloc_owns(const void *ptr) {
    if (demo_is_small(ptr))
        return demo_span_in_use(ptr);
    return demo_large_owns(ptr);
}

/* fork(): every lock, always in the same order. */
void xxmalloc_lock(void) {
    demo_span_lock_all();
    demo_large_lock();
    demo_tcache_lock();
}

void xxmalloc_unlock(void) {
    demo_tcache_unlock();
    demo_large_unlock();
    demo_span_unlock_all();
}
