/* SPDX-License-Identifier: MIT */
/* A heap whose fallback is the spec's own allocator (tests/specs/build/heap_allocator.yaml:
 * fb_heap, alignment 32): without an arena blocks come from the entry points (the aligned one, as
 * 32 is above the allocator's 16) and go back to its free; inside an arena they come from the arena. */
#include "alloc8/arena.h"
#include "alloc8/current.h"
#include "check.h"
#include "fb_heap.h"

#include <stdatomic.h>
#include <stdint.h>

extern _Atomic long fb_mallocs, fb_memaligns, fb_frees;

int main(void) {
    void *p = fb_heap_allocate(100), *q = fb_heap_allocate_norefs(0);
    CHECK(p && q && ((uintptr_t)p & 31) == 0 && ((uintptr_t)q & 31) == 0 && fb_memaligns == 2 && fb_mallocs == 0,
          "no allocator: the allocator's aligned entry serves both forms (%ld memalign, %ld malloc)\n",
          (long)fb_memaligns, (long)fb_mallocs);
    alloc8_allocator *arena = alloc8_arena_create(&(alloc8_arena_options){.roots = ALLOC8_ROOTS_NONE});
    void *a = NULL;
    ALLOC8_WITH_ALLOCATOR(arena) {
        a = fb_heap_allocate(100);
        fb_heap_deallocate(100, p); /* the allocator's block, freed inside the arena */
    }
    CHECK(alloc8_owns(arena, a) && ((uintptr_t)a & 31) == 0 && fb_memaligns == 2, "inside an arena: the arena\n");
    CHECK(fb_frees == 1, "the allocator's block freed inside the arena went to its free\n");
    fb_heap_deallocate(100, a);
    fb_heap_deallocate(0, q);
    alloc8_allocator_stats s;
    alloc8_stats(arena, &s);
    CHECK(fb_frees == 2 && s.frees == 1, "after the scope: the arena block to the arena, the other to the allocator\n");
    alloc8_destroy(arena);
    return check_report("heap with the allocator fallback");
}
