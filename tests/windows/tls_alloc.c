/* SPDX-License-Identifier: MIT */
/* An allocator written the way an author outside alloc8 writes one, with its per-thread state in a
 * C thread-local (`__thread`: emulated TLS on mingw-w64, which allocates through the C runtime the
 * first time each thread touches it, and frees it again as the thread ends). It is the backend of
 * tests/windows/tls_alloc.yaml, built with the glue by run_wine.sh (step `tls`) and run by
 * tls_threads.c (docs/platforms.md).
 *
 * Size classes 16 B to 1 MiB (powers of two) in one reserved region, committed a span at a time;
 * a block's class is read from a byte per 64 KiB span, so blocks carry no header and a block of
 * class 2^k is 2^k-aligned. Each thread caches freed blocks per class in its thread-local state
 * from its `init` hook to its `cleanup` hook, which hands them back to the central lists; outside
 * that window a thread uses the central lists (under one lock) directly. */
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <windows.h>

#include "tls_alloc.h"

enum { MIN_SHIFT = 4, MAX_SHIFT = 20, CLASSES = MAX_SHIFT - MIN_SHIFT + 1, SPAN_SHIFT = 16 };
#define REGION_SIZE ((size_t)256 << 20)
#define SPAN ((size_t)1 << SPAN_SHIFT)
#define CLASS_SIZE(c) ((size_t)1 << ((c) + MIN_SHIFT))

static char *_Atomic region;                         /* REGION_SIZE bytes, aligned to 1 MiB */
static unsigned char span_class[REGION_SIZE / SPAN]; /* class + 1 of each span in use, 0 if none */
static SRWLOCK lock = SRWLOCK_INIT;                  /* the fields below */
static size_t carved;                                /* bytes of the region handed to classes */
static void *central[CLASSES];                       /* free blocks, linked through their first word */

static atomic_ullong n_malloc, n_free, n_inits, n_cleanups, n_cached;

/* The thread's state: `active` between its init and cleanup hooks, and a free list per class. */
struct tls_cache {
    int active;
    unsigned inits, cleanups;
    void *free[CLASSES];
};
static __thread struct tls_cache cache;

static char *region_base(void) {
    char *base = atomic_load_explicit(&region, memory_order_acquire);
    if (base != NULL)
        return base;
    AcquireSRWLockExclusive(&lock);
    base = atomic_load_explicit(&region, memory_order_relaxed);
    if (base == NULL) {
        char *raw = VirtualAlloc(NULL, REGION_SIZE + ((size_t)1 << MAX_SHIFT), MEM_RESERVE, PAGE_NOACCESS);
        if (raw != NULL) {
            uintptr_t align = (uintptr_t)1 << MAX_SHIFT;
            base = (char *)(((uintptr_t)raw + align - 1) & ~(align - 1));
            atomic_store_explicit(&region, base, memory_order_release);
        }
    }
    ReleaseSRWLockExclusive(&lock);
    return base;
}

static int class_of(size_t size) {
    int c = 0;
    while (c < CLASSES && CLASS_SIZE(c) < size)
        c++;
    return c < CLASSES ? c : -1;
}

/* A central block of class c, carving a new span when the list is empty; lock held. */
static void *central_take(char *base, int c) {
    void *block = central[c];
    if (block != NULL) {
        central[c] = *(void **)block;
        return block;
    }
    size_t size = CLASS_SIZE(c), span = size > SPAN ? size : SPAN;
    size_t at = (carved + span - 1) & ~(span - 1);
    if (at > REGION_SIZE - span || VirtualAlloc(base + at, span, MEM_COMMIT, PAGE_READWRITE) == NULL)
        return NULL;
    carved = at + span;
    memset(span_class + at / SPAN, c + 1, span / SPAN);
    for (size_t off = size; off < span; off += size) { /* the rest of the span goes on the list */
        *(void **)(base + at + off) = central[c];
        central[c] = base + at + off;
    }
    return base + at;
}

void *tls_malloc(size_t size) {
    char *base = region_base();
    int c = class_of(size == 0 ? 1 : size);
    if (base == NULL || c < 0)
        return NULL;
    atomic_fetch_add_explicit(&n_malloc, 1, memory_order_relaxed);
    struct tls_cache *t = &cache;
    if (t->active && t->free[c] != NULL) {
        void *block = t->free[c];
        t->free[c] = *(void **)block;
        return block;
    }
    AcquireSRWLockExclusive(&lock);
    void *block = central_take(base, c);
    ReleaseSRWLockExclusive(&lock);
    return block;
}

void *tls_memalign(size_t alignment, size_t size) {
    return tls_malloc(size > alignment ? size : alignment); /* class 2^k blocks are 2^k-aligned */
}

int tls_owns(const void *ptr) {
    char *base = atomic_load_explicit(&region, memory_order_acquire);
    return base != NULL && (uintptr_t)ptr - (uintptr_t)base < REGION_SIZE &&
           span_class[((uintptr_t)ptr - (uintptr_t)base) / SPAN] != 0;
}

size_t tls_usable_size(void *ptr) {
    char *base = atomic_load_explicit(&region, memory_order_acquire);
    return CLASS_SIZE(span_class[((uintptr_t)ptr - (uintptr_t)base) / SPAN] - 1);
}

void tls_free(void *ptr) {
    if (ptr == NULL)
        return;
    atomic_fetch_add_explicit(&n_free, 1, memory_order_relaxed);
    int c = span_class[((uintptr_t)ptr - (uintptr_t)region) / SPAN] - 1;
    struct tls_cache *t = &cache;
    if (t->active) {
        *(void **)ptr = t->free[c];
        t->free[c] = ptr;
        return;
    }
    AcquireSRWLockExclusive(&lock);
    *(void **)ptr = central[c];
    central[c] = ptr;
    ReleaseSRWLockExclusive(&lock);
}

void tls_thread_init(void) {
    struct tls_cache *t = &cache;
    t->active = 1;
    t->inits++;
    atomic_fetch_add_explicit(&n_inits, 1, memory_order_relaxed);
}

void tls_thread_cleanup(void) {
    struct tls_cache *t = &cache;
    t->cleanups++;
    atomic_fetch_add_explicit(&n_cleanups, 1, memory_order_relaxed);
    if (!t->active)
        return;
    t->active = 0;
    unsigned long long returned = 0;
    AcquireSRWLockExclusive(&lock);
    for (int c = 0; c < CLASSES; c++) {
        while (t->free[c] != NULL) {
            void *block = t->free[c];
            t->free[c] = *(void **)block;
            *(void **)block = central[c];
            central[c] = block;
            returned++;
        }
    }
    ReleaseSRWLockExclusive(&lock);
    atomic_fetch_add_explicit(&n_cached, returned, memory_order_relaxed);
}

TLS_ALLOC_API void tls_alloc_stats_get(struct tls_alloc_stats *out) {
    out->malloc_calls = atomic_load(&n_malloc);
    out->free_calls = atomic_load(&n_free);
    out->thread_inits = atomic_load(&n_inits);
    out->thread_cleanups = atomic_load(&n_cleanups);
    out->blocks_returned = atomic_load(&n_cached);
}

TLS_ALLOC_API void tls_alloc_thread_get(struct tls_alloc_thread *out) {
    struct tls_cache *t = &cache;
    out->active = t->active;
    out->inits = t->inits;
    out->cleanups = t->cleanups;
}

TLS_ALLOC_API int tls_alloc_owns(const void *ptr) {
    return tls_owns(ptr);
}
