/* SPDX-License-Identifier: MIT */
/* Heap allocation workloads for bench/heap_cost.sh: `heap <mode> <count>` allocates count 32-byte
 * nodes, linked into a list that is dropped (GC) or reset (arena) every 4,096 nodes:
 *   gc              GC_malloc directly (what a runtime on the Boehm GC does today)
 *   dispatch-gc     bench_heap_allocate with no current allocator (the generated GC path)
 *   arena           alloc8_alloc on an arena directly
 *   dispatch-arena  bench_heap_allocate inside the arena's scope */
#define GC_THREADS
#define GC_NO_THREAD_REDIRECTS
#include <gc/gc.h>

#include "alloc8/arena.h"
#include "alloc8/current.h"
#include "alloc8/gc.h"
#include "bench_heap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct node {
    struct node *next;
    long value[3];
} node;

enum { ROUND = 4096 };

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: heap gc|dispatch-gc|arena|dispatch-arena <count>\n");
        return 2;
    }
    const char *mode = argv[1];
    long count = atol(argv[2]);
    alloc8_gc_init();
    alloc8_allocator *arena = alloc8_arena_create(NULL);
    int use_arena = strstr(mode, "arena") != NULL, dispatch = strncmp(mode, "dispatch", 8) == 0;
    if (use_arena && dispatch)
        alloc8_push(arena);
    node *volatile head = NULL;
    long checksum = 0;
    for (long i = 0; i < count; i++) {
        node *n = dispatch    ? bench_heap_allocate(sizeof *n)
                  : use_arena ? alloc8_alloc(arena, sizeof *n, 16)
                              : GC_malloc(sizeof *n);
        n->next = head;
        n->value[0] = i;
        head = n;
        if (i % ROUND == ROUND - 1) {
            checksum += head->value[0];
            head = NULL;
            if (use_arena)
                alloc8_reset(arena);
        }
    }
    return checksum == -1; /* keep the work observable */
}
