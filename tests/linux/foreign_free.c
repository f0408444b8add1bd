/* SPDX-License-Identifier: MIT */
/* Blocks from glibc's own malloc (reached directly, bypassing the interposer) passed to the
 * interposer's free/realloc/malloc_usable_size: the glue sees that the demo allocator does not own
 * them (entry.owns) and hands them to glibc, or moves them into the allocator on realloc. */
#define _GNU_SOURCE
#include "check.h"
#include "demo_stats.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    int strict;
    alloc8_stats_fn stats = alloc8_test_begin(argc, argv, &strict);
    void *libc = dlopen("libc.so.6", RTLD_NOLOAD | RTLD_LAZY);
    void *sym = libc ? dlsym(libc, "malloc") : NULL;
    void *(*libc_malloc)(size_t);
    if (sym == NULL) {
        printf("FAIL: cannot find glibc's own malloc\n");
        return 1;
    }
    memcpy(&libc_malloc, &sym, sizeof sym);
    printf("foreign_free: start\n");
    fflush(stdout);

    struct alloc8_demo_stats a = alloc8_test_snapshot(stats), b;
    char *foreign = libc_malloc(200);
    b = alloc8_test_snapshot(stats);
    CHECK(foreign != NULL, "glibc's malloc works");
    if (strict)
        CHECK(b.malloc_calls == a.malloc_calls, "glibc's own malloc bypasses the demo allocator");
    CHECK(malloc_usable_size(foreign) >= 200, "malloc_usable_size of a foreign block is glibc's answer");
    a = alloc8_test_snapshot(stats);
    free(foreign); /* must go back to glibc */
    b = alloc8_test_snapshot(stats);
    if (strict)
        CHECK(b.free_calls == a.free_calls, "a foreign block is not freed by the demo allocator");

    foreign = libc_malloc(200);
    memset(foreign, 'f', 200);
    a = alloc8_test_snapshot(stats);
    char *moved = realloc(foreign, 300);
    b = alloc8_test_snapshot(stats);
    CHECK(moved != NULL && moved[0] == 'f' && moved[199] == 'f', "realloc of a foreign block keeps its contents");
    if (strict)
        CHECK(b.malloc_calls - a.malloc_calls == 1, "realloc moves a foreign block into the demo allocator");
    a = alloc8_test_snapshot(stats);
    free(moved);
    b = alloc8_test_snapshot(stats);
    if (strict)
        CHECK(b.free_calls - a.free_calls == 1, "the moved block is the demo allocator's");
    if (check_failures)
        return 1;
    printf("foreign_free: glibc's blocks go back to glibc; realloc moves them into the allocator\n");
    return 0;
}
