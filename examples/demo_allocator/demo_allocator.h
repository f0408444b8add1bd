/* The demo allocator: the backend of spec/allocator.yaml.
 * Entry points bound by the spec (the classic alloc8 names), and its statistics. */
#ifndef DEMO_ALLOCATOR_H
#define DEMO_ALLOCATOR_H

#include <stddef.h>
#include <stdint.h>

void *xxmalloc(size_t size);
void xxfree(void *ptr);
void *xxmemalign(size_t alignment, size_t size);
size_t xxmalloc_usable_size(void *ptr);
void xxmalloc_lock(void);
void xxmalloc_unlock(void);
int xxmalloc_owns(const void *ptr);

struct alloc8_demo_stats {
    uint64_t malloc_calls;         /* calls of xxmalloc */
    uint64_t free_calls;           /* calls of xxfree with a non-NULL pointer */
    uint64_t memalign_calls;       /* calls of xxmemalign */
    uint64_t usable_size_calls;    /* calls of xxmalloc_usable_size */
    uint64_t bytes_requested;      /* sum of sizes passed to xxmalloc and xxmemalign */
    uint64_t large_allocs;         /* requests served by a dedicated mmap */
    uint64_t thread_caches;        /* per-thread caches handed out (new or reused) */
    uint64_t thread_caches_reused; /* ... of which were recycled from exited threads */
};

/* Exported (default visibility) so that programs and tests can read the counters. */
__attribute__((visibility("default"))) void alloc8_demo_stats_get(struct alloc8_demo_stats *out);

#endif
