/* SPDX-License-Identifier: MIT */
/* 16 threads exchange blocks through shared slots, so most blocks are freed by a thread other than
 * the one that allocated them. Each block carries a pattern derived from its size, checked by the
 * thread that frees it. Mixed sizes (mostly small, some large), aligned blocks and reallocs. */
#define _GNU_SOURCE
#include "check.h"
#include "demo_stats.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { THREADS = 16, SLOTS = 512, OPS = 40000 };
static void *_Atomic slots[SLOTS];
static atomic_long corrupt, allocations;

static void fill(unsigned char *block, size_t size) {
    memcpy(block, &size, sizeof size);
    for (size_t i = sizeof size; i < size; i += 13)
        block[i] = (unsigned char)(size * 31 + i);
}

static int intact(const unsigned char *block) {
    size_t size;
    memcpy(&size, block, sizeof size);
    for (size_t i = sizeof size; i < size; i += 13)
        if (block[i] != (unsigned char)(size * 31 + i))
            return 0;
    return 1;
}

static void *worker(void *arg) {
    uint64_t seed = (uintptr_t)arg * 0x9E3779B97F4A7C15ull;
    for (int op = 0; op < OPS; op++) {
        seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
        size_t size = sizeof(size_t) + (op % 211 == 0 ? seed % 200000 : seed % 1024);
        unsigned char *block;
        if (op % 7 == 0)
            block = aligned_alloc((size_t)32 << (seed % 6), size);
        else
            block = malloc(size);
        if (block == NULL) {
            atomic_fetch_add(&corrupt, 1);
            break;
        }
        atomic_fetch_add(&allocations, 1);
        fill(block, size);
        if (op % 5 == 0) { /* grow or shrink through realloc */
            size_t new_size = sizeof(size_t) + seed % 3000;
            unsigned char *moved = realloc(block, new_size);
            if (moved == NULL) {
                atomic_fetch_add(&corrupt, 1);
                break;
            }
            block = moved;
            fill(block, new_size);
        }
        unsigned char *old = atomic_exchange(&slots[seed % SLOTS], block);
        if (old != NULL) {
            if (!intact(old))
                atomic_fetch_add(&corrupt, 1);
            free(old);
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    int strict;
    alloc8_stats_fn stats = alloc8_test_begin(argc, argv, &strict);
    struct alloc8_demo_stats before = alloc8_test_snapshot(stats);
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++)
        if (pthread_create(&threads[i], NULL, worker, (void *)(uintptr_t)(i + 1)) != 0) {
            printf("FAIL: pthread_create\n");
            return 1;
        }
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    for (int i = 0; i < SLOTS; i++) {
        unsigned char *left = atomic_exchange(&slots[i], NULL);
        if (left != NULL && !intact(left))
            atomic_fetch_add(&corrupt, 1);
        free(left);
    }
    struct alloc8_demo_stats after = alloc8_test_snapshot(stats);
    CHECK(atomic_load(&corrupt) == 0, "%ld blocks were corrupted or could not be allocated\n", atomic_load(&corrupt));
    long made = atomic_load(&allocations);
    if (strict) {
        unsigned long long served = DELTA(before, after, malloc_calls) + DELTA(before, after, memalign_calls);
        unsigned long long freed = DELTA(before, after, free_calls);
        CHECK(served >= (unsigned long long)made && freed >= (unsigned long long)(made - SLOTS),
              "the allocator served %llu allocations and %llu frees for %ld allocations\n", served, freed, made);
    }
    if (check_failures == 0)
        printf("stress: %d threads, %ld allocations with cross-thread frees, every block intact%s\n", THREADS, made,
               strict ? ", all served by the demo allocator" : "");
    return check_report("stress");
}
