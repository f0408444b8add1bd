/* SPDX-License-Identifier: MIT */
/* The demo allocator: the backend of spec/allocator.yaml.
 * Entry points bound by the spec (the classic alloc8 names), and its statistics. */
#ifndef DEMO_ALLOCATOR_H
#define DEMO_ALLOCATOR_H

#ifndef __cplusplus
#include <stdatomic.h>
#endif
#include <stddef.h>
#include <stdint.h>

void *xxmalloc(size_t size);
void *xxcalloc(size_t count, size_t size); /* large blocks are fresh mappings: not cleared again */
void xxfree(void *ptr);
void *xxmemalign(size_t alignment, size_t size);
size_t xxmalloc_usable_size(void *ptr);
void xxmalloc_lock(void);
void xxmalloc_unlock(void);
int xxmalloc_owns(const void *ptr);

/* Thread hooks (spec: threads). xxthread_init gives the calling thread its cache, xxthread_cleanup
 * returns it to the pool; the glue sets demo_threads_created before a second thread runs, and
 * until then the allocator takes no locks. */
void xxthread_init(void);
void xxthread_cleanup(void);
#ifndef __cplusplus
extern _Atomic int demo_threads_created;
#endif

struct alloc8_demo_stats {
    uint64_t malloc_calls;         /* calls of xxmalloc */
    uint64_t free_calls;           /* calls of xxfree with a non-NULL pointer */
    uint64_t memalign_calls;       /* calls of xxmemalign */
    uint64_t usable_size_calls;    /* calls of xxmalloc_usable_size */
    uint64_t bytes_requested;      /* sum of sizes passed to xxmalloc and xxmemalign */
    uint64_t large_allocs;         /* requests served by a dedicated mmap */
    uint64_t thread_caches;        /* per-thread caches handed out (new or reused) */
    uint64_t thread_caches_reused; /* ... of which were recycled from exited threads */
    uint64_t thread_inits;         /* calls of xxthread_init */
    uint64_t thread_cleanups;      /* calls of xxthread_cleanup */
    uint64_t unhooked_caches;      /* caches a thread made itself, with no xxthread_init before */
    uint64_t after_cleanup_calls;  /* calls on threads whose cache was already returned */
    uint64_t threads_created;      /* the value of demo_threads_created (0 or 1) */
    uint64_t locks_taken;          /* shared-structure locks taken ... */
    uint64_t locks_elided;         /* ... and skipped because the process was single-threaded */
};

/* The calling thread's view. */
enum { DEMO_THREAD_NO_CACHE, DEMO_THREAD_HOOKED, DEMO_THREAD_UNHOOKED, DEMO_THREAD_TORN_DOWN };
struct alloc8_demo_thread {
    int state;         /* DEMO_THREAD_*: HOOKED = its cache came from xxthread_init */
    unsigned inits;    /* xxthread_init calls on this thread */
    unsigned cleanups; /* xxthread_cleanup calls on this thread */
};

/* Exported so that programs and tests can read the counters (a Windows DLL exports only what it
   marks). */
#ifdef _WIN32
#define DEMO_API __declspec(dllexport)
#else
#define DEMO_API __attribute__((visibility("default")))
#endif
DEMO_API void alloc8_demo_stats_get(struct alloc8_demo_stats *out);
DEMO_API void alloc8_demo_thread_get(struct alloc8_demo_thread *out);

#endif
