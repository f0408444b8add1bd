/* SPDX-License-Identifier: MIT */
/* A test allocator that needs initialising: li_init runs once, lazily, from the glue, and itself
 * calls malloc, calloc, strdup, aligned_alloc and dlsym. Those re-entrant calls reach the glue
 * before the allocator is ready and must be served from the bootstrap area; any call that reaches
 * an li_* entry point before li_init has finished aborts the process. The demo allocator does the
 * real work behind the li_* entry points (note the reversed argument order of li_memalign). */
#define _GNU_SOURCE
#include "demo_allocator.h"

#include <dlfcn.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int li_ready;
static void *li_boot_blocks[4];

static void li_require_ready(const char *who) {
    if (!li_ready) {
        static const char msg[] = "late_init: an entry point was called before li_init finished\n";
        if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0 || who == NULL) {
            /* nothing more to do */
        }
        abort();
    }
}

void li_init(void) {
    li_boot_blocks[0] = malloc(100);
    li_boot_blocks[1] = calloc(16, 8);
    li_boot_blocks[2] = strdup("served from the bootstrap area");
    li_boot_blocks[3] = aligned_alloc(256, 64);
    if (dlsym(RTLD_DEFAULT, "li_no_such_symbol") != NULL) /* dlerror state may allocate */
        abort();
    li_ready = 1;
}

void *li_malloc(size_t size) {
    li_require_ready("malloc");
    return xxmalloc(size);
}

void li_free(void *ptr) {
    li_require_ready("free");
    xxfree(ptr);
}

size_t li_usable_size(void *ptr) {
    li_require_ready("usable_size");
    return xxmalloc_usable_size(ptr);
}

void *li_memalign(size_t size, size_t alignment) {
    li_require_ready("memalign");
    return xxmemalign(alignment, size);
}

int li_owns(const void *ptr) {
    li_require_ready("owns");
    return xxmalloc_owns(ptr);
}

/* Thread hooks (spec: threads): the glue must never call them before li_init has finished. */
static _Atomic int li_hooks_early;

void li_thread_init(void) {
    if (!li_ready)
        atomic_fetch_add(&li_hooks_early, 1);
    xxthread_init();
}

void li_thread_cleanup(void) {
    if (!li_ready)
        atomic_fetch_add(&li_hooks_early, 1);
    xxthread_cleanup();
}

__attribute__((visibility("default"))) int late_init_hooks_before_ready(void) {
    return atomic_load(&li_hooks_early);
}

/* For the test program: the blocks li_init allocated while the allocator was not ready. */
__attribute__((visibility("default"))) void **late_init_boot_blocks(void) {
    return li_boot_blocks;
}
