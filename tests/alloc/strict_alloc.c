/* SPDX-License-Identifier: MIT */
/* The demo allocator behind entries that check what the glue hands them (tests/specs/build/
 * strict.yaml, tests/linux/free_contract.c):
 *   - st_free_sized counts a violation when the size it is given is not the size requested for
 *     the block, as far as the demo's size classes can tell (a size-trusting allocator such as
 *     jemalloc's sdallocx picks the size class from it);
 *   - st_owns and st_thread_init leave errno changed, as an allocator may: the glue's freeing
 *     functions must still leave the caller's errno alone. */
#include "demo_allocator.h"
#include "demo_internal.h"

#include <errno.h>
#include <stdatomic.h>

static atomic_long st_violation_count;

/* The number of sized frees so far whose size did not match the block. */
__attribute__((visibility("default"))) long st_violations(void) {
    return atomic_load(&st_violation_count);
}

void st_free_sized(void *ptr, size_t size) {
    size_t usable = xxmalloc_usable_size(ptr);
    if (size > usable || (size <= DEMO_SMALL_MAX && demo_class_size(demo_class_of(size)) != usable))
        atomic_fetch_add(&st_violation_count, 1);
    xxfree(ptr);
}

int st_owns(const void *ptr) {
    int ours = xxmalloc_owns(ptr);
    errno = EDOM;
    return ours;
}

void st_thread_init(void) {
    xxthread_init();
    errno = EILSEQ;
}
