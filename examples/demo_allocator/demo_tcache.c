/* SPDX-License-Identifier: MIT */
/* Per-thread caches: per size class a bounded free list, refilled from and flushed to the central
 * lists in batches. A block freed by another thread simply goes into that thread's cache.
 * Cache structs come from a pool and are recycled when their thread exits, so 10,000 short
 * threads need only as many caches as run at once.
 * With the glue's thread hooks (spec: threads) xxthread_init hands a thread its cache before the
 * thread's first allocation and xxthread_cleanup takes it back; without them (the allocator called
 * directly, or a spec without hooks) a thread makes its cache at first use and a per-thread
 * destructor (a pthread key, or a Windows fiber-local slot) returns it. After its cache is returned a thread still
 * allocates, directly from the central lists: other libraries' destructors may run after ours and call malloc/free. */
#define _GNU_SOURCE
#include "demo_allocator.h"
#include "demo_internal.h"

#include <string.h>

/* The calling thread's words: its cache, its DEMO_THREAD_* state (demo_allocator.h), and how
   often the hooks ran on it. */
enum { TL_CACHE, TL_STATE, TL_INITS, TL_CLEANUPS, TL_WORDS };
#ifdef _WIN32
/* Windows TLS slots, not C11 thread-locals: mingw-w64 emulates those and frees them before the
   loader tells DllMain that the thread ends, which is when xxthread_cleanup runs. The slots are
   made on first use, not by a constructor: linked into a program (the link-time mode), the
   allocator serves the C runtime's start-up code, which runs before constructors. */
static demo_os_tls demo_tl_slots[TL_WORDS];
static _Atomic int demo_tl_made;
static demo_lock_t demo_tl_lock = DEMO_LOCK_INIT;

static int demo_tl_ready(void) {
    return atomic_load_explicit(&demo_tl_made, memory_order_acquire);
}

static void demo_tl_make(void) {
    demo_lock(&demo_tl_lock);
    if (!demo_tl_ready()) {
        for (int i = 0; i < TL_WORDS; i++)
            demo_tl_slots[i] = demo_os_tls_alloc();
        atomic_store_explicit(&demo_tl_made, 1, memory_order_release);
    }
    demo_unlock(&demo_tl_lock);
}

static uintptr_t demo_tl_get(int word) {
    return demo_tl_ready() ? demo_os_tls_get(demo_tl_slots[word]) : 0;
}

static void demo_tl_set(int word, uintptr_t value) {
    if (!demo_tl_ready())
        demo_tl_make();
    demo_os_tls_set(demo_tl_slots[word], value);
}
#define TL_GET(word) demo_tl_get(word)
#define TL_SET(word, value) demo_tl_set(word, (uintptr_t)(value))
#else
static _Thread_local uintptr_t demo_tl[TL_WORDS] DEMO_TLS;
#define TL_GET(word) demo_tl[word]
#define TL_SET(word, value) (demo_tl[word] = (uintptr_t)(value))
#endif
#define demo_tc_get() ((struct demo_tcache *)TL_GET(TL_CACHE))
#define demo_tc_state() ((int)TL_GET(TL_STATE))

_Atomic int demo_threads_created;

static demo_lock_t demo_pool_lock = DEMO_LOCK_INIT;
static struct demo_tcache *demo_pool_all;  /* every cache ever made */
static struct demo_tcache *demo_pool_free; /* caches of exited threads */
static char *demo_pool_bump, *demo_pool_end;
static demo_os_key demo_tc_key;
static _Atomic int demo_tc_key_made; /* 1: demo_tc_key exists, -1: it could not be made */
static demo_lock_t demo_tc_key_lock = DEMO_LOCK_INIT;

void demo_tcache_lock(void) {
    demo_lock(&demo_pool_lock);
}
void demo_tcache_unlock(void) {
    demo_unlock(&demo_pool_lock);
}

static struct demo_tcache *demo_pool_get(void) {
    struct demo_tcache *tc;
    demo_lock(&demo_pool_lock);
    if ((tc = demo_pool_free) != NULL) {
        demo_pool_free = tc->next_free;
        demo_count_global(DEMO_REUSED, 1);
    } else {
        if ((size_t)(demo_pool_end - demo_pool_bump) < sizeof *tc) {
            size_t chunk = 64 * sizeof *tc;
            char *map = demo_os_map(chunk);
            if (map == NULL) {
                demo_unlock(&demo_pool_lock);
                return NULL;
            }
            demo_pool_bump = map;
            demo_pool_end = map + chunk;
        }
        tc = (struct demo_tcache *)(void *)demo_pool_bump;
        demo_pool_bump += sizeof *tc;
        tc->next_all = demo_pool_all;
        demo_pool_all = tc;
    }
    tc->live = 1;
    demo_count_global(DEMO_CACHES, 1);
    demo_unlock(&demo_pool_lock);
    return tc;
}

static void demo_flush_bin(unsigned cls, struct demo_bin *bin, uint32_t keep) {
    if (bin->count <= keep)
        return;
    void *head = bin->head, *tail = head;
    for (uint32_t i = 1; i < bin->count - keep; i++)
        tail = *(void **)tail;
    bin->head = *(void **)tail;
    bin->count = keep;
    demo_central_give(cls, head, tail);
}

/* Return the cached blocks and the cache itself; keep the counters. Once per thread. */
static void demo_tcache_release(void) {
    struct demo_tcache *tc = demo_tc_get();
    if (tc == NULL)
        return;
    for (unsigned cls = 0; cls < DEMO_CLASSES; cls++)
        demo_flush_bin(cls, &tc->bins[cls], 0);
    demo_lock(&demo_pool_lock);
    for (int i = 0; i < DEMO_COUNTERS; i++) {
        demo_count_global(i, atomic_load_explicit(&tc->counters.value[i], memory_order_relaxed));
        atomic_store_explicit(&tc->counters.value[i], 0, memory_order_relaxed);
    }
    tc->live = 0;
    tc->next_free = demo_pool_free;
    demo_pool_free = tc;
    demo_unlock(&demo_pool_lock);
    TL_SET(TL_CACHE, NULL);
    TL_SET(TL_STATE, DEMO_THREAD_TORN_DOWN);
}

static DEMO_OS_DESTRUCTOR(demo_tc_key_destructor) {
    (void)value;
    demo_tcache_release();
}

static int demo_tc_key_ready(void) {
    int made = atomic_load_explicit(&demo_tc_key_made, memory_order_acquire);
    if (DEMO_UNLIKELY(made == 0)) {
        demo_lock(&demo_tc_key_lock);
        if ((made = atomic_load_explicit(&demo_tc_key_made, memory_order_relaxed)) == 0) {
            made = demo_os_key_create(&demo_tc_key, demo_tc_key_destructor) ? 1 : -1;
            atomic_store_explicit(&demo_tc_key_made, made, memory_order_release);
        }
        demo_unlock(&demo_tc_key_lock);
    }
    return made == 1;
}

void xxthread_init(void) {
    TL_SET(TL_INITS, TL_GET(TL_INITS) + 1);
    demo_count_global(DEMO_THREAD_INIT, 1);
    if (demo_tc_state() != DEMO_THREAD_NO_CACHE)
        return;
    struct demo_tcache *tc = demo_pool_get();
    if (tc != NULL) {
        TL_SET(TL_CACHE, tc);
        TL_SET(TL_STATE, DEMO_THREAD_HOOKED);
    }
}

void xxthread_cleanup(void) {
    TL_SET(TL_CLEANUPS, TL_GET(TL_CLEANUPS) + 1);
    demo_count_global(DEMO_THREAD_CLEANUP, 1);
    if (demo_tc_state() == DEMO_THREAD_UNHOOKED)
        demo_os_key_set(demo_tc_key, NULL); /* the key destructor must not release it again */
    demo_tcache_release();
}

/* No xxthread_init ran on this thread: make the cache now and return it with a key destructor. */
static struct demo_tcache *demo_tcache_slow(void) {
    if (demo_tc_state() == DEMO_THREAD_TORN_DOWN) {
        demo_count_global(DEMO_AFTER_CLEANUP, 1);
        return NULL;
    }
    struct demo_tcache *tc = demo_pool_get();
    if (tc == NULL)
        return NULL;
    demo_count_global(DEMO_UNHOOKED, 1);
    if (demo_tc_key_ready())
        demo_os_key_set(demo_tc_key, tc); /* keys < 32 need no allocation in glibc */
    TL_SET(TL_CACHE, tc);
    TL_SET(TL_STATE, DEMO_THREAD_UNHOOKED);
    return tc;
}

struct demo_tcache *demo_tcache(void) {
    struct demo_tcache *tc = demo_tc_get();
    return DEMO_LIKELY(tc != NULL) ? tc : demo_tcache_slow();
}

void alloc8_demo_thread_get(struct alloc8_demo_thread *out) {
    out->state = demo_tc_state();
    out->inits = (unsigned)TL_GET(TL_INITS);
    out->cleanups = (unsigned)TL_GET(TL_CLEANUPS);
}

void demo_tcache_sum_counters(uint64_t sum[DEMO_COUNTERS]) {
    for (struct demo_tcache *tc = demo_pool_all; tc != NULL; tc = tc->next_all)
        if (tc->live)
            for (int i = 0; i < DEMO_COUNTERS; i++)
                sum[i] += atomic_load_explicit(&tc->counters.value[i], memory_order_relaxed);
}

void demo_tcache_trim(unsigned cls, struct demo_bin *bin) {
    demo_flush_bin(cls, bin, demo_class_cache_limit(cls) / 2);
}
