/* SPDX-License-Identifier: MIT */
/* The Boehm GC side of the runtime: chunk memory per root strategy, the one push-other-roots
 * callback that scans every push_callback arena, and thread registration. Built without the GC
 * (ALLOC8_RT_HAVE_GC undefined) only the `none` strategy exists. */
#include "alloc8/gc.h"
#include "internal.h"

#include <stdlib.h>

#ifdef ALLOC8_RT_HAVE_GC

#define GC_THREADS
#define GC_NO_THREAD_REDIRECTS
#include <gc/gc.h>
#include <gc/gc_mark.h>
#include <pthread.h>

static pthread_once_t gc_once = PTHREAD_ONCE_INIT;
static pthread_key_t gc_thread_key;

static void gc_thread_exit(void *registered) {
    (void)registered;
    GC_unregister_my_thread();
}

static void gc_init_once(void) {
    if (!GC_is_init_called())
        GC_INIT();
    GC_allow_register_threads();
    pthread_key_create(&gc_thread_key, gc_thread_exit);
}

int alloc8_gc_available(void) {
    return 1;
}

int alloc8_gc_init(void) {
    pthread_once(&gc_once, gc_init_once);
    return 0;
}

int alloc8_gc_register_thread(void) {
    static _Thread_local unsigned char registered;
    if (registered)
        return 0;
    alloc8_gc_init();
    if (!GC_thread_is_registered()) {
        struct GC_stack_base base;
        if (GC_get_stack_base(&base) != GC_SUCCESS) {
            alloc8_rt_error("alloc8 gc: cannot find this thread's stack to register it with the GC");
            return -1;
        }
        int rc = GC_register_my_thread(&base);
        if (rc != GC_SUCCESS && rc != GC_DUPLICATE) {
            alloc8_rt_error("alloc8 gc: GC_register_my_thread failed (%d)", rc);
            return -1;
        }
        if (rc == GC_SUCCESS) /* ours to undo when the thread exits */
            pthread_setspecific(gc_thread_key, (void *)1);
    }
    registered = 1;
    return 0;
}

/* ---- push_callback: every attached arena, scanned by one callback ---------------------------- */

static alloc8_rt_roots attached = {&attached, &attached, {NULL, NULL}}; /* list head */
static GC_push_other_roots_proc previous_push;
static int push_installed;

/* Runs while the GC marks, holding its allocation lock. Chunks are scanned eagerly: pushing
 * 100,000 ranges at once would overflow Boehm's mark stack, which aborts from this callback. */
static void GC_CALLBACK push_arena_chunks(void) {
    for (alloc8_rt_roots *r = attached.next; r != &attached; r = r->next)
        for (int list = 0; list < 2; list++)
            for (alloc8_rt_chunk *c = atomic_load_explicit(r->lists[list], memory_order_acquire); c != NULL;
                 c = atomic_load_explicit(&c->next, memory_order_acquire))
                GC_push_all_eager(c->data, c->end);
    if (previous_push)
        previous_push();
}

/* Attach and detach run under the GC's allocation lock, so never during a scan. */
static void *GC_CALLBACK roots_attach_locked(void *arg) {
    alloc8_rt_roots *r = arg;
    if (!push_installed) {
        previous_push = GC_get_push_other_roots();
        GC_set_push_other_roots(push_arena_chunks);
        push_installed = 1;
    }
    r->prev = &attached;
    r->next = attached.next;
    attached.next->prev = r;
    attached.next = r;
    return NULL;
}

static void *GC_CALLBACK roots_detach_locked(void *arg) {
    alloc8_rt_roots *r = arg;
    if (r->next != NULL) {
        r->prev->next = r->next;
        r->next->prev = r->prev;
        r->next = r->prev = NULL;
    }
    return NULL;
}

int alloc8_rt_roots_attach(alloc8_rt_roots *roots) {
    if (alloc8_gc_register_thread() != 0)
        return -1;
    GC_call_with_alloc_lock(roots_attach_locked, roots);
    return 0;
}

void alloc8_rt_roots_detach(alloc8_rt_roots *roots) {
    GC_call_with_alloc_lock(roots_detach_locked, roots);
}

/* ---- chunk memory ------------------------------------------------------------------------------ */

static _Atomic int add_roots_used;

void *alloc8_rt_chunk_alloc(alloc8_roots strategy, size_t bytes) {
    void *memory;
    if (strategy != ALLOC8_ROOTS_NONE && alloc8_gc_register_thread() != 0)
        return NULL;
    if (strategy == ALLOC8_ROOTS_UNCOLLECTABLE) {
        if ((memory = GC_malloc_uncollectable(bytes)) == NULL) /* zeroed by the GC */
            alloc8_rt_error("alloc8 arena: the GC has no memory for an uncollectable chunk of %llu bytes",
                            ALLOC8_RT_SIZE(bytes));
        return memory;
    }
    if (strategy == ALLOC8_ROOTS_ADD_ROOTS &&
        atomic_fetch_add_explicit(&add_roots_used, 1, memory_order_relaxed) >= ALLOC8_ADD_ROOTS_MAX) {
        atomic_fetch_sub_explicit(&add_roots_used, 1, memory_order_relaxed);
        alloc8_rt_error("alloc8 arena: the add_roots strategy has registered %d chunks with GC_add_roots, "
                        "its limit (the GC's root table aborts the process when full); use the "
                        "push_callback strategy for more chunks",
                        ALLOC8_ADD_ROOTS_MAX);
        return NULL;
    }
    if ((memory = calloc(1, bytes)) == NULL) { /* zeroed: the GC may scan all of it */
        alloc8_rt_error("alloc8 arena: out of memory for a chunk of %llu bytes", ALLOC8_RT_SIZE(bytes));
        if (strategy == ALLOC8_ROOTS_ADD_ROOTS)
            atomic_fetch_sub_explicit(&add_roots_used, 1, memory_order_relaxed);
        return NULL;
    }
    if (strategy == ALLOC8_ROOTS_ADD_ROOTS)
        GC_add_roots(memory, (char *)memory + bytes);
    return memory;
}

void alloc8_rt_chunk_free(alloc8_roots strategy, void *memory, size_t bytes) {
    if (strategy == ALLOC8_ROOTS_UNCOLLECTABLE) {
        GC_free(memory);
        return;
    }
    if (strategy == ALLOC8_ROOTS_ADD_ROOTS) {
        GC_remove_roots(memory, (char *)memory + bytes);
        atomic_fetch_sub_explicit(&add_roots_used, 1, memory_order_relaxed);
    }
    free(memory);
}

#else /* no GC: arenas with the `none` strategy only */

int alloc8_gc_available(void) {
    return 0;
}

int alloc8_gc_init(void) {
    return -1;
}

int alloc8_gc_register_thread(void) {
    alloc8_rt_error("alloc8 gc: this alloc8 runtime was built without the Boehm GC");
    return -1;
}

void *alloc8_rt_chunk_alloc(alloc8_roots strategy, size_t bytes) {
    (void)strategy;
    void *memory = calloc(1, bytes);
    if (memory == NULL)
        alloc8_rt_error("alloc8 arena: out of memory for a chunk of %llu bytes", ALLOC8_RT_SIZE(bytes));
    return memory;
}

void alloc8_rt_chunk_free(alloc8_roots strategy, void *memory, size_t bytes) {
    (void)strategy;
    (void)bytes;
    free(memory);
}

int alloc8_rt_roots_attach(alloc8_rt_roots *roots) {
    (void)roots;
    return -1;
}

void alloc8_rt_roots_detach(alloc8_rt_roots *roots) {
    (void)roots;
}

#endif
