/* SPDX-License-Identifier: MIT */
/* A library that registers fork handlers from its constructor, as many older libraries do, and
 * whose prepare handler allocates (a reserve for the child, taken in the parent before fork).
 * Linked into atfork_order (as a shared library, or into its static build): its constructor runs
 * before the interposer's in both, so its handlers are registered first unless the glue puts its
 * own ahead of them (docs/threads.md, "fork"). */
#include "atfork_lib.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { RESERVE_BLOCKS = 8 };
static void *reserve[RESERVE_BLOCKS];
static struct atfork_lib_counts counts;

/* Small blocks of several sizes and a large one: the allocator's shared structures, which its
 * lock entry holds during fork, serve at least some of them. */
static void lib_prepare(void) {
    counts.prepares++;
    for (int i = 0; i < RESERVE_BLOCKS; i++) {
        size_t size = i == RESERVE_BLOCKS - 1 ? (size_t)1 << 20 : (size_t)(i + 1) * 96;
        reserve[i] = malloc(size);
        if (reserve[i] != NULL) {
            memset(reserve[i], 0x5a, size);
            counts.prepare_blocks++;
        }
    }
}

static void release(void) {
    for (int i = 0; i < RESERVE_BLOCKS; i++) {
        free(reserve[i]);
        reserve[i] = NULL;
    }
}

static void lib_parent(void) {
    counts.parents++;
    release();
}

static void lib_child(void) {
    counts.children++;
    release();
}

__attribute__((constructor)) static void lib_register(void) {
    counts.registered = pthread_atfork(lib_prepare, lib_parent, lib_child) == 0;
}

void atfork_lib_counts_get(struct atfork_lib_counts *out) {
    *out = counts;
}
