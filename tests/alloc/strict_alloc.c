/* SPDX-License-Identifier: MIT */
/* The demo allocator behind entries that check what the glue hands them (tests/specs/build/
 * strict.yaml, tests/linux/free_contract.c):
 *   - st_free_sized counts a violation when the size it is given is not the size requested for
 *     the block, as far as the demo's size classes can tell (a size-trusting allocator such as
 *     jemalloc's sdallocx picks the size class from it);
 *   - st_owns and st_thread_init leave errno changed, as an allocator may: the glue's freeing
 *     functions must still leave the caller's errno alone;
 *   - st_memalign (entry.aligned) and st_memalign_large (entry.aligned_large, from_alignment
 *     4096) count their calls, and a violation when given an alignment the other one serves;
 *   - st_register_error (entry.register_error) keeps the handler the glue gives it and counts the
 *     registrations; st_report_error calls it, as an allocator reports a failure. */
#include "demo_allocator.h"
#include "demo_internal.h"

#include <errno.h>
#include <stdatomic.h>

static atomic_long st_violation_count;

/* The number of sized frees so far whose size did not match the block. */
__attribute__((visibility("default"))) long st_violations(void) {
    return atomic_load(&st_violation_count);
}

enum { ST_FROM_ALIGNMENT = 4096 }; /* strict.yaml: entry.aligned_large.from_alignment */
static atomic_long st_aligned_count[2];

/* How many calls entry.aligned (large 0) or entry.aligned_large (large 1) had so far. */
__attribute__((visibility("default"))) long st_aligned_calls(int large) {
    return atomic_load(&st_aligned_count[large != 0]);
}

void *st_memalign(size_t alignment, size_t size) {
    atomic_fetch_add(&st_aligned_count[0], 1);
    if (alignment >= ST_FROM_ALIGNMENT)
        atomic_fetch_add(&st_violation_count, 1);
    return xxmemalign(alignment, size);
}

void *st_memalign_large(size_t size, size_t alignment) {
    atomic_fetch_add(&st_aligned_count[1], 1);
    if (alignment < ST_FROM_ALIGNMENT)
        atomic_fetch_add(&st_violation_count, 1);
    return xxmemalign(alignment, size);
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

static void (*st_error_handler)(int err, void *arg);
static void *st_error_arg;
static atomic_int st_error_registrations;

void st_register_error(void (*handler)(int err, void *arg), void *arg) {
    st_error_handler = handler;
    st_error_arg = arg;
    atomic_fetch_add(&st_error_registrations, 1);
}

/* How many times the glue registered a handler (once, at load). */
__attribute__((visibility("default"))) int st_error_registered(void) {
    return atomic_load(&st_error_registrations);
}

/* Reports err to the registered handler, as the allocator would report a failure. */
__attribute__((visibility("default"))) void st_report_error(int err) {
    if (st_error_handler != NULL)
        st_error_handler(err, st_error_arg);
}
