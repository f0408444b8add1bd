/* SPDX-License-Identifier: MIT */
/* Arenas on many threads under GC pressure: 6 plain pthreads (not GC_pthread_create) each make
 * their own arena (default strategy), which registers the thread with the GC. Every round a thread
 * puts pointers to fresh GC objects only into its arena, allocates garbage so collections run
 * while the other threads work, checks every object is intact and not finalised, then resets. */
#define _GNU_SOURCE
#include "alloc8/arena.h"
#include "alloc8/current.h"
#include "alloc8/gc.h"
#include "check.h"
#include "gc_util.h"

#include <pthread.h>

enum { THREADS = 6, ROUNDS = 40, PER_ROUND = 300, GARBAGE = 3000 };

typedef struct {
    int id, rounds_ok, registered_after;
    long resets;
    const char *error;
} worker;

static _Atomic int current_round[THREADS];
static _Atomic long lost; /* tracked objects finalised while their round was still running */

static void check_not_live(void *obj, void *data) {
    (void)data;
    uint64_t tag = ((test_obj *)obj)->id;
    int thread = (int)(tag >> 32), round = (int)((tag >> 16) & 0xffff);
    if (round >= atomic_load(&current_round[thread]))
        atomic_fetch_add(&lost, 1);
}

static __attribute__((noinline)) test_obj **fill_round(alloc8_allocator *a, int id, int round) {
    test_obj **slots = alloc8_alloc(a, PER_ROUND * sizeof *slots, 16);
    for (int i = 0; i < PER_ROUND; i++) {
        uint64_t tag = ((uint64_t)id << 32) | ((uint64_t)round << 16) | (uint64_t)i;
        slots[i] = GC_malloc_atomic(sizeof(test_obj));
        *slots[i] = (test_obj){OBJ_MAGIC, tag};
        if (i % 10 == 0) /* some report their collection */
            GC_register_finalizer(slots[i], check_not_live, NULL, NULL, NULL);
    }
    return slots;
}

static void *work(void *arg) {
    worker *w = arg;
    alloc8_allocator *a = alloc8_arena_create(NULL);
    if (!a) {
        w->error = alloc8_last_error();
        return NULL;
    }
    w->registered_after = GC_thread_is_registered();
    alloc8_allocator *previous = alloc8_push(a);
    for (int round = 0; round < ROUNDS; round++) {
        test_obj **slots = fill_round(a, w->id, round);
        for (int g = 0; g < GARBAGE; g++) {
            test_obj *volatile garbage = GC_malloc_atomic(sizeof(test_obj)); /* reuses freed objects */
            garbage->magic = 0;
        }
        if (round % 10 == 5)
            GC_gcollect();
        int ok = 1;
        for (int i = 0; i < PER_ROUND; i++) {
            uint64_t tag = ((uint64_t)w->id << 32) | ((uint64_t)round << 16) | (uint64_t)i;
            ok &= slots[i]->magic == OBJ_MAGIC && slots[i]->id == tag;
        }
        w->rounds_ok += ok;
        atomic_store(&current_round[w->id], round + 1); /* this round's objects may go now */
        alloc8_reset(a);
    }
    alloc8_allocator_stats s;
    alloc8_stats(a, &s);
    w->resets = (long)s.resets;
    alloc8_pop(a, previous);
    alloc8_destroy(a);
    return NULL;
}

int main(void) {
    alloc8_gc_init();
    GC_word collections = GC_get_gc_no();
    pthread_t threads[THREADS];
    worker workers[THREADS] = {{0}};
    for (int i = 0; i < THREADS; i++) {
        workers[i].id = i;
        pthread_create(&threads[i], NULL, work, &workers[i]);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    for (int i = 0; i < THREADS; i++) {
        CHECK(workers[i].error == NULL, "thread %d: %s\n", i, workers[i].error);
        CHECK(workers[i].registered_after, "thread %d was registered with the GC by creating its arena\n", i);
        CHECK(workers[i].rounds_ok == ROUNDS && workers[i].resets == ROUNDS,
              "thread %d: %d of %d rounds intact, %ld resets\n", i, workers[i].rounds_ok, ROUNDS, workers[i].resets);
    }
    GC_word ran = GC_get_gc_no() - collections;
    CHECK(ran >= 10, "the GC collected %lu times while the arenas were in use\n", (unsigned long)ran);
    CHECK(atomic_load(&lost) == 0, "no object was collected while its arena still referenced it (%ld)\n",
          atomic_load(&lost));
    /* the threads are gone (and unregistered): collecting again works */
    GC_word before = GC_get_gc_no();
    collect();
    CHECK(GC_get_gc_no() > before, "the GC collects after the registered threads exited\n");
    return check_report("runtime arena threads");
}
