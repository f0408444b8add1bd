/* SPDX-License-Identifier: MIT */
/* The consumer's generated heap with the installed runtime: an arena serves inside its scope, the
 * system outside it, and frees go to the owner. Exit status 0 when all of that holds. */
#include "alloc8/arena.h"
#include "alloc8/current.h"
#include "consumer_heap.h"

#include <stdio.h>

int main(void) {
    alloc8_arena_options o = {.roots = ALLOC8_ROOTS_NONE};
    alloc8_allocator *arena = alloc8_arena_create(&o);
    void *in = NULL, *out = consumer_heap_allocate(32);
    ALLOC8_WITH_ALLOCATOR(arena) {
        in = consumer_heap_allocate(32);
        consumer_heap_deallocate(32, out);
    }
    consumer_heap_deallocate(32, in);
    alloc8_allocator_stats s;
    alloc8_stats(arena, &s);
    int ok = arena && alloc8_owns(arena, in) && !alloc8_owns(arena, out) && s.allocations == 1 && s.frees == 1;
    printf("consumer heap: %s\n", ok ? "ok" : "FAILED");
    alloc8_destroy(arena);
    return ok ? 0 : 1;
}
