/* SPDX-License-Identifier: MIT */
/* GC objects referenced only from arena memory survive GC_gcollect() under every root strategy and
 * become collectable after reset; `none` does not keep them (why the strategies exist). The default
 * strategy handles 100,000 live chunks; add_roots stops with a clear error before the GC's root
 * table would abort the process; the push callback chains the one installed before it. */
#define _GNU_SOURCE
#include "alloc8/arena.h"
#include "alloc8/gc.h"
#include "check.h"
#include "gc_util.h"

#include <gc/gc_mark.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

enum { OBJECTS = 1000 };

/* Fill the arena with pointers to fresh tracked objects; the only references are in the arena. */
static __attribute__((noinline)) test_obj **fill(alloc8_allocator *a, int n) {
    test_obj **slots = alloc8_alloc(a, n * sizeof *slots, 16);
    for (int i = 0; i < n; i++)
        slots[i] = new_tracked((uint64_t)i);
    return slots;
}

static int intact(test_obj **slots, int n) {
    int ok = 0;
    for (int i = 0; i < n; i++)
        ok += slots[i]->magic == OBJ_MAGIC && slots[i]->id == (uint64_t)i;
    return ok;
}

static void survival(alloc8_roots strategy) {
    const char *name = alloc8_roots_name(strategy);
    alloc8_arena_options o = {.chunk_size = 4096, .roots = strategy};
    alloc8_allocator *a = alloc8_arena_create(&o);
    CHECK(a != NULL, "%s: arena: %s\n", name, alloc8_last_error());
    if (!a)
        return;
    long before = collect();
    test_obj **slots = fill(a, OBJECTS);
    long lost = collect() - before;
    churn(20000);
    if (strategy == ALLOC8_ROOTS_NONE) {
        CHECK(lost >= OBJECTS * 99 / 100, "%s: the GC does not see the arena: %ld of %d objects collected\n", name,
              lost, OBJECTS);
    } else {
        CHECK(lost == 0, "%s: no object referenced from the arena was collected (lost %ld)\n", name, lost);
        CHECK(intact(slots, OBJECTS) == OBJECTS, "%s: every object is intact after collection and churn\n", name);
        before = collect();
        alloc8_reset(a);
        long freed = collect() - before;
        CHECK(freed >= OBJECTS * 99 / 100, "%s: after reset %ld of %d objects became collectable\n", name, freed,
              OBJECTS);
    }
    alloc8_destroy(a);
}

/* 100 arenas of 1,000 chunks each, one GC object per chunk. */
static void hundred_thousand_chunks(void) {
    enum { ARENAS = 100, CHUNKS = 1000, SAMPLE = 1000 };
    static alloc8_allocator *arenas[ARENAS];
    static test_obj **slots[ARENAS][CHUNKS];
    alloc8_arena_options o = {.chunk_size = 256, .growth = 1, .large_threshold = 256};
    uint64_t chunks = 0;
    long before = collect();
    for (int i = 0; i < ARENAS; i++) {
        arenas[i] = alloc8_arena_create(&o);
        if (!arenas[i]) {
            CHECK(0, "arena %d: %s\n", i, alloc8_last_error());
            return;
        }
        for (int j = 0; j < CHUNKS; j++) {
            /* 200 bytes: one block per 256-byte chunk */
            slots[i][j] = alloc8_alloc(arenas[i], 200, 16);
            if (!slots[i][j]) {
                CHECK(0, "chunk %d of arena %d: %s\n", j, i, alloc8_last_error());
                return;
            }
            /* tracked objects for a sample, plain ones elsewhere */
            int k = i * CHUNKS + j;
            if (k % (ARENAS * CHUNKS / SAMPLE) == 0)
                slots[i][j][0] = new_tracked((uint64_t)k);
            else {
                slots[i][j][0] = GC_malloc_atomic(sizeof(test_obj));
                *slots[i][j][0] = (test_obj){OBJ_MAGIC, (uint64_t)k};
            }
        }
        alloc8_allocator_stats s;
        alloc8_stats(arenas[i], &s);
        chunks += s.chunks;
    }
    CHECK(chunks == ARENAS * CHUNKS, "%llu live chunks under the default strategy\n", (unsigned long long)chunks);
    long lost = collect() - before;
    churn(50000);
    int ok = 0;
    for (int i = 0; i < ARENAS; i++)
        for (int j = 0; j < CHUNKS; j++)
            ok += slots[i][j][0]->magic == OBJ_MAGIC && slots[i][j][0]->id == (uint64_t)(i * CHUNKS + j);
    CHECK(lost == 0 && ok == ARENAS * CHUNKS, "all %d objects survived collection (lost %ld, intact %d)\n",
          ARENAS * CHUNKS, lost, ok);
    for (int i = 0; i < ARENAS; i++)
        alloc8_destroy(arenas[i]);
}

static void add_roots_limit(void) {
    alloc8_arena_options o = {.chunk_size = 256, .growth = 1, .roots = ALLOC8_ROOTS_ADD_ROOTS};
    alloc8_allocator *a = alloc8_arena_create(&o);
    int blocks = 0;
    while (alloc8_alloc(a, 200, 16) != NULL && blocks <= 2 * ALLOC8_ADD_ROOTS_MAX)
        blocks++;
    alloc8_allocator_stats s;
    alloc8_stats(a, &s);
    CHECK(s.chunks == ALLOC8_ADD_ROOTS_MAX && strstr(alloc8_last_error(), "push_callback") != NULL,
          "add_roots stops at %d chunks with a clear error (%llu chunks): %s\n", ALLOC8_ADD_ROOTS_MAX,
          (unsigned long long)s.chunks, alloc8_last_error());
    alloc8_allocator *b = alloc8_arena_create(&o);
    CHECK(alloc8_alloc(b, 200, 16) == NULL, "a second add_roots arena gets no chunk while the table is at its limit\n");
    alloc8_destroy(a);
    CHECK(alloc8_alloc(b, 200, 16) != NULL, "destroying an arena gives its root slots back\n");
    alloc8_destroy(b);
    CHECK(collect() >= 0, "the GC still works after registering and removing %d root ranges\n", ALLOC8_ADD_ROOTS_MAX);

    /* The reason for the limit: the seed's one GC_add_roots per chunk, unbounded, aborts. */
    pid_t child = fork();
    if (child == 0) {
        alarm(20);
        for (int i = 0; i < 10000; i++) {
            char *p = malloc(64);
            GC_add_roots(p, p + 64);
        }
        _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
          "10,000 raw GC_add_roots calls abort the process (status %#x): the limit is needed\n", status);
}

/* A push-other-roots callback installed before alloc8's still runs, and its roots still count. */
static test_obj **user_root;
static int user_calls;
static void GC_CALLBACK user_push(void) {
    user_calls++;
    GC_push_all_eager(user_root, user_root + 1);
}

static void chaining(void) {
    user_root = malloc(sizeof *user_root); /* not scanned by the GC on its own */
    *user_root = new_tracked(7);
    GC_set_push_other_roots(user_push);
    alloc8_allocator *a = alloc8_arena_create(NULL);
    test_obj **slot = alloc8_alloc(a, sizeof *slot, 16);
    *slot = new_tracked(8);
    long before = collect();
    int calls = user_calls;
    long lost = collect() - before;
    CHECK(user_calls > calls && lost == 0 && (*user_root)->magic == OBJ_MAGIC && (*slot)->magic == OBJ_MAGIC,
          "the earlier callback is chained (%d calls), both its root and the arena's survive\n", user_calls - calls);
    alloc8_destroy(a);
}

int main(void) {
    alloc8_gc_init();
    chaining(); /* first: it must install its callback before alloc8 does */
    survival(ALLOC8_ROOTS_PUSH_CALLBACK);
    survival(ALLOC8_ROOTS_ADD_ROOTS);
    survival(ALLOC8_ROOTS_UNCOLLECTABLE);
    survival(ALLOC8_ROOTS_NONE);
    hundred_thousand_chunks();
    add_roots_limit();
    return check_report("runtime gc roots");
}
