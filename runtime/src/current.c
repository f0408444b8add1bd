/* SPDX-License-Identifier: MIT */
/* The thread's current allocator: one thread-local pointer. */
#include "alloc8/current.h"

_Thread_local alloc8_allocator *alloc8_current_allocator;

alloc8_allocator *alloc8_current(void) {
    return alloc8_current_allocator;
}

alloc8_allocator *alloc8_push(alloc8_allocator *a) {
    alloc8_allocator *previous = alloc8_current_allocator;
    alloc8_current_allocator = a;
    return previous;
}

int alloc8_pop(alloc8_allocator *a, alloc8_allocator *previous) {
    if (alloc8_current_allocator != a)
        return ALLOC8_POP_MISMATCH;
    alloc8_current_allocator = previous;
    return 0;
}
