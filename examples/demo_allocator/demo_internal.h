/* SPDX-License-Identifier: MIT */
/* Internals shared by the demo allocator's files (all hidden by -fvisibility=hidden). */
#ifndef DEMO_INTERNAL_H
#define DEMO_INTERNAL_H

#include "demo_lock.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#define DEMO_LIKELY(x) __builtin_expect(!!(x), 1)
#define DEMO_UNLIKELY(x) __builtin_expect(!!(x), 0)
#ifdef _WIN32
#define DEMO_TLS /* mingw-w64 emulates thread-locals; there is no TLS model to choose */
#elif defined(ALLOC8_TLS_MODEL)
#define DEMO_TLS __attribute__((tls_model(ALLOC8_TLS_MODEL))) /* alloc8_add_interposer(... TLS_MODEL) */
#else
#define DEMO_TLS __attribute__((tls_model("initial-exec"))) /* for LD_PRELOAD: one load per access */
#endif

/* ---- size classes (demo_size_class.c) ---- */
#define DEMO_CLASSES 44      /* 16..128 by 16, then 4 per power of two up to 64 KiB */
#define DEMO_SMALL_MAX 65536 /* larger requests get their own mapping */
unsigned demo_class_of(size_t size);
size_t demo_class_size(unsigned cls);
unsigned demo_class_for_alignment(size_t alignment, size_t size); /* DEMO_CLASSES if none */
unsigned demo_class_cache_limit(unsigned cls);

/* ---- spans and central free lists (demo_span.c) ---- */
#define DEMO_SPAN_SHIFT 18 /* 256 KiB spans, aligned to their size */
int demo_is_small(const void *ptr);
unsigned demo_span_class(const void *ptr); /* only for demo_is_small pointers */
int demo_span_in_use(const void *ptr);
/* Take up to `want` objects of a class as a linked list; returns how many (0: out of memory). */
size_t demo_central_take(unsigned cls, void **head, size_t want);
/* Give back a linked list of `count` objects ending at `tail`. */
void demo_central_give(unsigned cls, void *head, void *tail);
void demo_span_lock_all(void);
void demo_span_unlock_all(void);

/* ---- large blocks (demo_large.c) ---- */
void *demo_large_alloc(size_t size, size_t alignment);
void demo_large_free(void *ptr);
size_t demo_large_usable_size(const void *ptr);
int demo_large_owns(const void *ptr);
void demo_large_lock(void);
void demo_large_unlock(void);

/* ---- counters (demo_stats.c) ---- */
enum {
    DEMO_MALLOC,
    DEMO_FREE,
    DEMO_MEMALIGN,
    DEMO_USABLE,
    DEMO_BYTES,
    DEMO_LARGE,
    DEMO_CACHES,
    DEMO_REUSED,
    DEMO_THREAD_INIT,
    DEMO_THREAD_CLEANUP,
    DEMO_UNHOOKED,
    DEMO_AFTER_CLEANUP,
    DEMO_LOCKS_TAKEN,
    DEMO_LOCKS_ELIDED,
    DEMO_COUNTERS
};
typedef struct {
    _Atomic uint64_t value[DEMO_COUNTERS];
} demo_counters_t;
extern demo_counters_t demo_global_counters;
/* Single writer (the owning thread): a relaxed load and store, no locked instruction. */
static inline void demo_count_local(demo_counters_t *c, int which, uint64_t amount) {
    atomic_store_explicit(&c->value[which], atomic_load_explicit(&c->value[which], memory_order_relaxed) + amount,
                          memory_order_relaxed);
}
static inline void demo_count_global(int which, uint64_t amount) {
    atomic_fetch_add_explicit(&demo_global_counters.value[which], amount, memory_order_relaxed);
}

/* ---- lock elision: no locks while the process is single-threaded ---- */
/* demo_threads_created is set by the glue (spec: threads.created_flag) before a thread it starts
 * runs. glibc also starts threads the glue only sees at their first allocation (SIGEV_THREAD
 * timers, POSIX AIO helpers): its own __libc_single_threaded, cleared before any thread exists,
 * covers those. Without either signal the allocator always locks. */
extern _Atomic int demo_threads_created;
static inline int demo_single_threaded(void) {
    if (atomic_load_explicit(&demo_threads_created, memory_order_acquire))
        return 0;
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
    extern char __libc_single_threaded;
    return __libc_single_threaded;
#else
    return 0;
#endif
}

/* Lock a shared structure unless the process is single-threaded; pass the result to the unlock.
 * Switching over is safe: only the single thread itself can create the second one, and it is not
 * inside a critical section while it does. */
static inline int demo_lock_shared(demo_lock_t *lock) {
    if (demo_single_threaded()) {
        demo_count_global(DEMO_LOCKS_ELIDED, 1);
        return 0;
    }
    demo_lock(lock);
    demo_count_global(DEMO_LOCKS_TAKEN, 1);
    return 1;
}

static inline void demo_unlock_shared(demo_lock_t *lock, int held) {
    if (held)
        demo_unlock(lock);
}

/* ---- thread caches (demo_tcache.c) ---- */
struct demo_bin {
    void *head;
    uint32_t count;
};
struct demo_tcache {
    struct demo_bin bins[DEMO_CLASSES];
    demo_counters_t counters;
    struct demo_tcache *next_all;  /* every cache ever made (for statistics) */
    struct demo_tcache *next_free; /* caches of exited threads, ready for reuse */
    int live;
};
/* This thread's cache, or NULL once its cache has been torn down at thread exit. */
struct demo_tcache *demo_tcache(void);
void demo_tcache_lock(void);
void demo_tcache_unlock(void);
/* Move the surplus of an over-full bin to the central list (keeps half the limit). */
void demo_tcache_trim(unsigned cls, struct demo_bin *bin);
/* Add the counters of every live cache to `sum` (caller holds the tcache lock). */
void demo_tcache_sum_counters(uint64_t sum[DEMO_COUNTERS]);

#endif
