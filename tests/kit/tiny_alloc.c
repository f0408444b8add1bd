/* SPDX-License-Identifier: MIT */
/* tiny_alloc.c: a small allocator written for the kit's own tests (tests/kit/README.md).
 *
 * Built as is, it is correct, and `kit.tiny.*` show that the kit passes it. Each TINY_BREAK
 * value plants one defect, of the kinds real allocators have had, and the `kit.broken.*` tests
 * show that the kit flags it with the contract it breaks:
 *
 *   TINY_BREAK_USABLE_SIZE     usable_size leaves the header out twice: it reports 16 bytes less
 *                              than the block has (less than was requested)
 *   TINY_BREAK_ALIGNED         the aligned entry trusts blocks to be aligned to their size and
 *                              returns a plain block for alignments up to 4 KiB
 *   TINY_BREAK_DOUBLE_PUSH     a free of a block of the 2 KiB class puts it on the free list
 *                              twice, so that two later allocations get the same block
 *   TINY_BREAK_FORK_LOCK       lock and unlock (the fork handlers) forget the small-block lock
 *   TINY_BREAK_THREAD_CLEANUP  the thread-exit hook (threads.cleanup) recycles the thread's
 *                              carving chunk while blocks carved from it are still alive
 *   TINY_BREAK_OWNS_ALL        entry.owns claims every pointer (tiny_alloc keeps no registry of
 *                              its memory, so only this variant binds an owns)
 *   TINY_BREAK_INIT_MALLOC     entry.init takes a table of 144 KiB from calloc, as if malloc were
 *                              still glibc's while it runs, and uses it without checking for NULL
 *   TINY_BREAK_HOOK_LOCK       the thread-start hook (threads.init) allocates the thread's record
 *                              with malloc while it holds the small-block lock, which malloc takes
 *   TINY_BREAK_HOOK_CACHE      malloc counts its calls in a per-thread table that threads.init
 *                              makes with malloc: init's own call finds no table yet
 *
 * Design: blocks up to 32 KiB come from size classes (16-byte steps to 1 KiB, then powers of
 * two), each with a 16-byte header in front; new blocks are carved from the calling thread's
 * 256 KiB chunk, freed ones go to one free list per class (one lock for all of them). Larger
 * blocks are mappings of their own (a second lock guards their count). Aligned blocks are carved
 * out of a larger plain block, behind a header that leads back to it. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define TINY_BREAK_NONE 0
#define TINY_BREAK_USABLE_SIZE 1
#define TINY_BREAK_ALIGNED 2
#define TINY_BREAK_DOUBLE_PUSH 3
#define TINY_BREAK_FORK_LOCK 4
#define TINY_BREAK_THREAD_CLEANUP 5
#define TINY_BREAK_OWNS_ALL 6
#define TINY_BREAK_INIT_MALLOC 7
#define TINY_BREAK_HOOK_LOCK 8
#define TINY_BREAK_HOOK_CACHE 9
#ifndef TINY_BREAK
#define TINY_BREAK TINY_BREAK_NONE
#endif

#define TINY_EXPORT __attribute__((visibility("default")))

enum { HEADER = 16, CLASSES = 64 + 5, LARGEST_SMALL = 32768, CHUNK = 256 * 1024, PAGE = 4096 };
enum { SMALL = 0x5a11u, LARGE = 0x1a6eu, ALIGNED = 0xa119u };

struct header {
    uint32_t magic;
    uint32_t cls;
    size_t size; /* SMALL: the class size; LARGE: the mapping's length; ALIGNED: the offset back */
};

struct free_block {
    struct free_block *next;
};

static pthread_mutex_t small_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t large_lock = PTHREAD_MUTEX_INITIALIZER;
static struct free_block *free_lists[CLASSES]; /* under small_lock */
static char *spare_chunk;                      /* under small_lock (TINY_BREAK_THREAD_CLEANUP) */
static size_t large_count;                     /* under large_lock */

static _Thread_local __attribute__((tls_model("initial-exec"))) char *carve_next, *carve_end;

static size_t class_size(unsigned cls) {
    return cls < 64 ? 16 * ((size_t)cls + 1) : (size_t)2048 << (cls - 64);
}

static unsigned class_of(size_t size) {
    if (size <= 1024)
        return size == 0 ? 0 : (unsigned)((size - 1) / 16);
    unsigned cls = 64;
    while (class_size(cls) < size)
        cls++;
    return cls;
}

static struct header *header_of(void *ptr) {
    return (struct header *)((char *)ptr - HEADER);
}

static void *map(size_t length) {
    void *p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

#if TINY_BREAK == TINY_BREAK_HOOK_CACHE
static _Thread_local size_t *tiny_calls; /* this thread's calls per class: made by threads.init */
#endif

/* A new block of class `cls`, carved from this thread's chunk. */
static void *carve(unsigned cls) {
    size_t stride = HEADER + class_size(cls);
    if (carve_next == NULL || (size_t)(carve_end - carve_next) < stride) {
        char *chunk = NULL;
        pthread_mutex_lock(&small_lock);
        if (spare_chunk != NULL) {
            chunk = spare_chunk;
            spare_chunk = NULL;
        }
        pthread_mutex_unlock(&small_lock);
        if (chunk == NULL && (chunk = map(CHUNK)) == NULL)
            return NULL;
        carve_next = chunk;
        carve_end = chunk + CHUNK;
    }
    struct header *h = (struct header *)carve_next;
    carve_next += stride;
    h->magic = SMALL;
    h->cls = cls;
    h->size = class_size(cls);
    return (char *)h + HEADER;
}

TINY_EXPORT void *tiny_malloc(size_t size) {
    if (size > LARGEST_SMALL) {
        if (size > (size_t)PTRDIFF_MAX - HEADER - PAGE)
            return NULL;
        size_t length = (size + HEADER + PAGE - 1) / PAGE * PAGE;
        struct header *h = map(length);
        if (h == NULL)
            return NULL;
        h->magic = LARGE;
        h->cls = 0;
        h->size = length;
        pthread_mutex_lock(&large_lock);
        large_count++;
        pthread_mutex_unlock(&large_lock);
        return (char *)h + HEADER;
    }
    unsigned cls = class_of(size);
#if TINY_BREAK == TINY_BREAK_HOOK_CACHE
    tiny_calls[cls]++; /* "init made the table before the thread's first call" */
#endif
    pthread_mutex_lock(&small_lock);
    struct free_block *b = free_lists[cls];
    if (b != NULL)
        free_lists[cls] = b->next;
    pthread_mutex_unlock(&small_lock);
    if (b != NULL)
        return b;
    return carve(cls);
}

TINY_EXPORT void tiny_free(void *ptr) {
    struct header *h = header_of(ptr);
    if (h->magic == ALIGNED) {
        tiny_free((char *)ptr - h->size);
        return;
    }
    if (h->magic == LARGE) {
        pthread_mutex_lock(&large_lock);
        large_count--;
        pthread_mutex_unlock(&large_lock);
        munmap(h, h->size);
        return;
    }
    struct free_block *b = ptr;
    pthread_mutex_lock(&small_lock);
    b->next = free_lists[h->cls];
    free_lists[h->cls] = b;
#if TINY_BREAK == TINY_BREAK_DOUBLE_PUSH
    if (h->cls == 64) { /* the 2 KiB class: pushed again */
        b->next = free_lists[h->cls];
        free_lists[h->cls] = b;
    }
#endif
    pthread_mutex_unlock(&small_lock);
}

TINY_EXPORT size_t tiny_usable_size(void *ptr) {
    struct header *h = header_of(ptr);
    if (h->magic == ALIGNED) {
        void *base = (char *)ptr - h->size;
        return tiny_usable_size(base) - h->size;
    }
    size_t usable = h->magic == LARGE ? h->size - HEADER : h->size;
#if TINY_BREAK == TINY_BREAK_USABLE_SIZE
    usable -= HEADER;
#endif
    return usable;
}

TINY_EXPORT void *tiny_aligned(size_t alignment, size_t size) {
    if (alignment <= 16)
        return tiny_malloc(size);
#if TINY_BREAK == TINY_BREAK_ALIGNED
    if (alignment <= 4096) /* "a block of at least `alignment` bytes is aligned to it" */
        return tiny_malloc(size < alignment ? alignment : size);
#endif
    if (size > (size_t)PTRDIFF_MAX - alignment - HEADER)
        return NULL;
    char *base = tiny_malloc(size + alignment + HEADER);
    if (base == NULL)
        return NULL;
    uintptr_t user = ((uintptr_t)base + HEADER + alignment - 1) & ~(uintptr_t)(alignment - 1);
    if (((uintptr_t)base & (alignment - 1)) == 0)
        return base;
    struct header *h = header_of((void *)user);
    h->magic = ALIGNED;
    h->cls = 0;
    h->size = user - (uintptr_t)base;
    return (void *)user;
}

/* fork: every lock, in one order; the glue calls them around fork() (entry.lock, entry.unlock) */
TINY_EXPORT void tiny_lock(void) {
    pthread_mutex_lock(&large_lock);
#if TINY_BREAK != TINY_BREAK_FORK_LOCK
    pthread_mutex_lock(&small_lock);
#endif
}

TINY_EXPORT void tiny_unlock(void) {
#if TINY_BREAK != TINY_BREAK_FORK_LOCK
    pthread_mutex_unlock(&small_lock);
#endif
    pthread_mutex_unlock(&large_lock);
}

/* threads.cleanup (only the THREAD_CLEANUP variant's spec binds it) */
TINY_EXPORT void tiny_thread_cleanup(void) {
#if TINY_BREAK == TINY_BREAK_THREAD_CLEANUP
    /* "the thread is gone, so its chunk is free": but the blocks carved from it are alive */
    if (carve_end != NULL) {
        pthread_mutex_lock(&small_lock);
        spare_chunk = carve_end - CHUNK;
        pthread_mutex_unlock(&small_lock);
        carve_next = carve_end = NULL;
    }
#endif
}

#if TINY_BREAK == TINY_BREAK_OWNS_ALL
/* entry.owns: "every pointer the glue asks about is one of ours". But a block from glibc's malloc
   (made before the interposer, or by a library bound to glibc) is not: the glue hands it to this
   allocator's free, usable_size and realloc, which read a header that is not there. */
TINY_EXPORT int tiny_owns(const void *ptr) {
    (void)ptr;
    return 1;
}
#endif

#if TINY_BREAK == TINY_BREAK_INIT_MALLOC
/* entry.init: per-CPU counters for each size class, "from glibc's calloc, since the allocator is not
   ready yet". While init runs, the glue serves its calls from its bootstrap area (bootstrap_size,
   64 KiB by default): 256 x 69 x 8 bytes do not fit, calloc returns NULL, and init uses it. */
struct tiny_cpu_stats {
    size_t calls[CLASSES];
};
struct tiny_cpu_stats *tiny_stats; /* not static: the compiler must keep the calloc */

TINY_EXPORT void tiny_init(void) {
    tiny_stats = calloc(256, sizeof *tiny_stats);
    tiny_stats[0].calls[0] = 1; /* "calloc cannot fail this early" */
}
#endif

#if TINY_BREAK == TINY_BREAK_HOOK_LOCK
/* threads.init: every thread goes on a list of threads, under the small-block lock, in a record from
   malloc, "which is safe: the glue has marked the thread as attached". But the record is made while
   the lock is held, and malloc takes that lock: the thread waits for itself (the lock is not
   recursive), in the first thread that allocates. */
struct tiny_thread {
    struct tiny_thread *next;
    pthread_t id;
};
static struct tiny_thread *tiny_threads; /* under small_lock */

TINY_EXPORT void tiny_thread_init(void) {
    pthread_mutex_lock(&small_lock);
    struct tiny_thread *t = malloc(sizeof *t);
    if (t != NULL) {
        t->id = pthread_self();
        t->next = tiny_threads;
        tiny_threads = t;
    }
    pthread_mutex_unlock(&small_lock);
}
#endif

#if TINY_BREAK == TINY_BREAK_HOOK_CACHE
/* threads.init: the thread's table of calls per class, from malloc. But that malloc is a call of
   this thread too, and the table is not there yet: init's own call into the allocator, which the
   glue serves at once, writes through NULL. */
TINY_EXPORT void tiny_thread_init(void) {
    tiny_calls = calloc(CLASSES, sizeof *tiny_calls);
}
#endif
