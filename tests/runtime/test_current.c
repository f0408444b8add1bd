/* SPDX-License-Identifier: MIT */
/* The runtime's allocator interface and current-allocator stack, with the counting allocator:
 * new threads start with none; push returns the previous one; pop restores it and refuses a
 * mismatched pop; the scoped helper restores the outer allocator; the counting allocator counts
 * every call, honours alignment and owns exactly its live blocks. */
#define _GNU_SOURCE
#include "alloc8/counting.h"
#include "alloc8/current.h"
#include "check.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

static void *thread_sees(void *arg) {
    alloc8_allocator **out = arg;
    *out = alloc8_current();
    return NULL;
}

int main(void) {
    alloc8_allocator *outer = alloc8_counting_create(), *inner = alloc8_counting_create();
    CHECK(outer != NULL && inner != NULL, "counting allocators are created\n");
    if (check_failures)
        return check_report("runtime current");
    CHECK(alloc8_current() == NULL, "a thread starts with no current allocator\n");

    alloc8_allocator *prev_outer = alloc8_push(outer);
    CHECK(prev_outer == NULL && alloc8_current() == outer, "push makes it current, returns the previous one\n");
    alloc8_allocator *other_thread = outer;
    pthread_t t;
    pthread_create(&t, NULL, thread_sees, &other_thread);
    pthread_join(t, NULL);
    CHECK(other_thread == NULL, "another thread does not see this thread's allocator\n");

    alloc8_allocator *prev_inner = alloc8_push(inner);
    CHECK(prev_inner == outer && alloc8_current() == inner, "nested push\n");
    CHECK(alloc8_pop(outer, prev_outer) == ALLOC8_POP_MISMATCH && alloc8_current() == inner,
          "popping the outer allocator while the inner one is current is refused, nothing changes\n");
    CHECK(alloc8_pop(inner, prev_inner) == 0 && alloc8_current() == outer, "pop restores the outer one\n");
    CHECK(alloc8_pop(outer, prev_outer) == 0 && alloc8_current() == NULL, "pop restores none\n");

    int ran = 0;
    ALLOC8_WITH_ALLOCATOR(outer) {
        CHECK(alloc8_current() == outer, "scoped: current inside\n");
        ALLOC8_WITH_ALLOCATOR(inner) {
            CHECK(alloc8_current() == inner, "scoped: nested\n");
            ran++;
        }
        CHECK(alloc8_current() == outer, "scoped: the outer one is back after the nested scope\n");
        ran++;
    }
    CHECK(ran == 2 && alloc8_current() == NULL, "scoped blocks ran once each and restored none\n");

    /* the counting allocator */
    size_t alignments[] = {1, 8, 16, 64, 4096};
    void *blocks[5];
    for (int i = 0; i < 5; i++) {
        blocks[i] = alloc8_alloc(outer, 100, alignments[i]);
        CHECK(blocks[i] != NULL && ((uintptr_t)blocks[i] & (alignments[i] - 1)) == 0, "alloc(100, %zu) is aligned\n",
              alignments[i]);
        memset(blocks[i], 0xab, 100);
    }
    CHECK(alloc8_alloc(outer, 10, 3) == NULL, "a non-power-of-two alignment is refused\n");
    alloc8_allocator_stats s;
    alloc8_stats(outer, &s);
    CHECK(s.allocations == 5 && s.bytes_used == 500 && s.frees == 0, "stats count the allocations\n");
    CHECK(alloc8_owns(outer, blocks[2]) && !alloc8_owns(inner, blocks[2]) && !alloc8_owns(outer, &s),
          "owns is exact\n");
    alloc8_free(inner, blocks[0], 100, 1); /* not inner's: ignored */
    alloc8_stats(inner, &s);
    CHECK(s.frees == 0, "freeing a foreign block through the wrong allocator is ignored\n");
    alloc8_free(outer, blocks[0], 100, 1);
    alloc8_stats(outer, &s);
    CHECK(s.frees == 1 && s.bytes_used == 400 && !alloc8_owns(outer, blocks[0]), "free is counted\n");
    alloc8_reset(outer);
    alloc8_stats(outer, &s);
    CHECK(s.resets == 1 && s.bytes_used == 0 && !alloc8_owns(outer, blocks[4]), "reset forgets every block\n");
    alloc8_destroy(outer);
    alloc8_destroy(inner);
    return check_report("runtime current");
}
