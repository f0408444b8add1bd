/* SPDX-License-Identifier: MIT */
/* The arena on its own (root strategy `none`, no GC needed): any power-of-two alignment on every
 * path, chunk growth, dedicated chunks above the threshold, reset zeroes what was used and reuses
 * every chunk, owns, the last block given back, the limit, and a clear error for every bad
 * argument. */
#define _GNU_SOURCE
#include "alloc8/arena.h"
#include "alloc8/gc.h"
#include "alloc8/registry.h"
#include "check.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ALIGNED(p, a) (((uintptr_t)(p) & ((a)-1)) == 0)

static int has(const char *text, const char *part) {
    return strstr(text, part) != NULL;
}

static int all_zero(const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

static void alignment_on_every_path(void) {
    alloc8_arena_options o = {.chunk_size = 4096, .roots = ALLOC8_ROOTS_NONE};
    alloc8_allocator *a = alloc8_arena_create(&o);
    CHECK(a != NULL && alloc8_is_arena(a), "arena created: %s\n", alloc8_last_error());
    if (!a)
        return;
    enum { N = 2 * 17 };
    unsigned char *blocks[N];
    size_t sizes[N];
    int i = 0;
    for (size_t align = 1; align <= 65536; align *= 2) {
        for (int large = 0; large < 2; large++, i++) {
            sizes[i] = large ? 3000 : 24; /* threshold 1024: 3000 bytes get a dedicated chunk */
            blocks[i] = alloc8_alloc(a, sizes[i], align);
            CHECK(blocks[i] != NULL && ALIGNED(blocks[i], align) && alloc8_owns(a, blocks[i]) &&
                      alloc8_owns(a, blocks[i] + sizes[i] - 1),
                  "%s request aligned to %zu: %p\n", large ? "large" : "small", align, (void *)blocks[i]);
            if (blocks[i])
                memset(blocks[i], i + 1, sizes[i]);
        }
    }
    for (int j = 0; j < N; j++) /* no block overlaps another */
        for (size_t k = 0; blocks[j] && k < sizes[j]; k++)
            if (blocks[j][k] != (unsigned char)(j + 1)) {
                CHECK(0, "block %d was overwritten at byte %zu\n", j, k);
                break;
            }
    alloc8_allocator_stats s;
    alloc8_stats(a, &s);
    /* every large request, and small ones whose alignment padding exceeds the threshold */
    CHECK(s.large_allocations >= 17 && s.allocations == N, "stats: %llu large of %llu\n",
          (unsigned long long)s.large_allocations, (unsigned long long)s.allocations);
    int x;
    CHECK(!alloc8_owns(a, &x) && !alloc8_owns(a, NULL), "owns: not a stack address, not NULL\n");
    alloc8_destroy(a);
}

static void growth_reset_and_reuse(void) {
    alloc8_arena_options o = {.chunk_size = 1024, .max_chunk_size = 8192, .growth = 2, .roots = ALLOC8_ROOTS_NONE};
    alloc8_allocator *a = alloc8_arena_create(&o);
    CHECK(a != NULL, "arena created\n");
    if (!a)
        return;
    /* 128-byte blocks: 8 fill the 1 KiB chunk, 16 the next (2 KiB), then 32, 64, and 64 again at the cap */
    enum { N = 8 + 16 + 32 + 64 + 64 };
    static unsigned char *first[N + 1];
    alloc8_allocator_stats s;
    for (int i = 0; i < N; i++) {
        first[i] = alloc8_alloc(a, 128, 16);
        memset(first[i], 0xff, 128);
    }
    alloc8_stats(a, &s);
    CHECK(s.chunks == 5 && s.bytes_used == N * 128u, "5 chunks hold %d blocks (got %llu chunks)\n", N,
          (unsigned long long)s.chunks);
    CHECK(s.bytes_reserved >= 1024 + 2048 + 4096 + 8192 + 8192 && s.bytes_reserved < 23552 + 5 * 256,
          "chunks grow 1, 2, 4, 8 KiB and stop at the 8 KiB cap (reserved %llu)\n",
          (unsigned long long)s.bytes_reserved);
    first[N] = alloc8_alloc(a, 128, 16);
    alloc8_stats(a, &s);
    CHECK(s.chunks == 6, "one more block opens a 6th chunk\n");
    unsigned char *big = alloc8_alloc(a, 5000, 64);
    memset(big, 0xee, 5000);
    uint64_t reserved = (alloc8_stats(a, &s), s.bytes_reserved), chunks = s.chunks;
    CHECK(s.large_allocations == 1 && chunks == 7, "5000 bytes get a dedicated chunk\n");

    alloc8_reset(a);
    alloc8_stats(a, &s);
    CHECK(s.resets == 1 && s.bytes_used == 0 && s.chunks == chunks && s.bytes_reserved == reserved,
          "reset keeps every chunk\n");
    int zero = 1;
    for (int i = 0; i <= N; i++)
        zero &= all_zero(first[i], 128);
    CHECK(zero && all_zero(big, 5000), "reset zeroed every byte that was used\n");
    int same = 1;
    for (int i = 0; i <= N; i++)
        same &= alloc8_alloc(a, 128, 16) == first[i];
    CHECK(same, "after reset the same requests get the same addresses (chunks reused in order)\n");
    CHECK(alloc8_alloc(a, 4000, 64) == big, "the dedicated chunk is reused for a large request that fits\n");
    alloc8_stats(a, &s);
    CHECK(s.chunks == chunks && s.bytes_reserved == reserved, "no new chunk in the second round\n");

    unsigned char *last = alloc8_alloc(a, 40, 8);
    memset(last, 0x5a, 40);
    alloc8_free(a, last, 40, 8);
    CHECK(all_zero(last, 40) && alloc8_alloc(a, 40, 8) == last, "the most recent block is given back (and zeroed)\n");
    alloc8_free(a, first[0], 128, 16);
    alloc8_stats(a, &s);
    CHECK(s.frees == 2 && alloc8_owns(a, first[0]), "freeing an older block is counted; it lives until reset\n");
    unsigned char *z1 = alloc8_alloc(a, 0, 1), *z2 = alloc8_alloc(a, 0, 1);
    CHECK(z1 && z2 && z1 != z2, "zero-sized requests get distinct pointers\n");
    alloc8_destroy(a);
}

static void errors_and_limits(void) {
    alloc8_arena_options o = {.chunk_size = 1024, .limit = 8192, .roots = ALLOC8_ROOTS_NONE};
    alloc8_allocator *a = alloc8_arena_create(&o);
    CHECK(a != NULL, "arena with a limit\n");
    if (!a)
        return;
    CHECK(alloc8_alloc(a, 16, 24) == NULL && has(alloc8_last_error(), "alignment 24 is not a power of two"),
          "alignment 24: %s\n", alloc8_last_error());
    CHECK(alloc8_alloc(a, 16, 0) == NULL && has(alloc8_last_error(), "alignment 0"), "alignment 0: %s\n",
          alloc8_last_error());
    CHECK(alloc8_alloc(a, SIZE_MAX - 4, 16) == NULL && has(alloc8_last_error(), "overflows"), "size overflow: %s\n",
          alloc8_last_error());
    CHECK(alloc8_alloc(a, SIZE_MAX / 2, 16) == NULL && has(alloc8_last_error(), "limit of 8192 bytes"),
          "a request above the limit: %s\n", alloc8_last_error());
    int served = 0;
    while (alloc8_alloc(a, 100, 16) != NULL)
        served++;
    alloc8_allocator_stats s;
    alloc8_stats(a, &s);
    CHECK(served > 30 && s.bytes_reserved <= 8192 && has(alloc8_last_error(), "limit"),
          "allocation stops at the limit (%d blocks, %llu bytes reserved): %s\n", served,
          (unsigned long long)s.bytes_reserved, alloc8_last_error());
    alloc8_reset(a);
    CHECK(alloc8_alloc(a, 100, 16) != NULL, "after reset the arena serves again\n");
    alloc8_destroy(a);

    struct {
        alloc8_arena_options o;
        const char *message;
    } bad[] = {
        {{.chunk_size = 100}, "chunk_size 100 is out of range"},
        {{.chunk_size = 4096, .max_chunk_size = 1024}, "max_chunk_size 1024 is below chunk_size 4096"},
        {{.growth = 99}, "growth 99 is out of range"},
        {{.chunk_size = 1024, .large_threshold = 2048}, "large_threshold 2048 is above chunk_size 1024"},
        {{.roots = (alloc8_roots)42}, "roots 42 is not an alloc8_roots strategy"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        alloc8_set_last_error(NULL);
        CHECK(alloc8_arena_create(&bad[i].o) == NULL && has(alloc8_last_error(), bad[i].message),
              "bad options refused with \"%s\": got \"%s\"\n", bad[i].message, alloc8_last_error());
    }
}

static void registry(void) {
    alloc8_arena_options o = {.roots = ALLOC8_ROOTS_NONE};
    alloc8_allocator *a = alloc8_arena_create(&o), *b = alloc8_arena_create(&o);
    void *pa = alloc8_alloc(a, 10, 8), *pb = alloc8_alloc(b, 5000, 8);
    CHECK(alloc8_owner(pa) == a && alloc8_owner(pb) == b, "the registry finds each block's owner\n");
    void *m = malloc(16);
    CHECK(alloc8_owner(m) == NULL, "system memory has no registered owner\n");
    free(m);
    alloc8_destroy(a);
    CHECK(alloc8_owner(pb) == b, "destroying one arena leaves the other registered\n");
    alloc8_destroy(b);
}

int main(void) {
    CHECK(alloc8_last_error()[0] == '\0', "no error before anything failed\n");
    alloc8_allocator *d = alloc8_arena_create(NULL);
    CHECK(d != NULL &&
              alloc8_arena_roots(d) == (alloc8_gc_available() ? ALLOC8_ROOTS_PUSH_CALLBACK : ALLOC8_ROOTS_NONE),
          "the default arena uses %s\n", alloc8_roots_name(alloc8_arena_roots(d)));
    if (d)
        alloc8_destroy(d);
    alignment_on_every_path();
    growth_reset_and_reuse();
    errors_and_limits();
    registry();
    return check_report("runtime arena");
}
