/* SPDX-License-Identifier: MIT */
/* calloc of a large block must not make it resident: glibc hands out fresh mappings, which the
 * kernel zeroes on first touch, and so does the demo allocator's bound calloc (entry.calloc:
 * xxcalloc). A glue that cleared the block itself (malloc + memset) would add all of it to the
 * resident set. Also: every calloc'd byte reads as zero, small blocks reused after being dirtied
 * included.
 *
 * Usage: calloc_fresh [--alloc8]   (--alloc8: the demo allocator's counters must show the calls) */
#define _GNU_SOURCE
#include "demo_stats.h"
#include "check.h"

#include <unistd.h>

enum { BIG = 256 << 20, SLACK = 16 << 20 };

/* Resident bytes of this process (/proc/self/statm, second field, in pages). */
static long resident_bytes(void) {
    long pages_total = 0, pages_resident = -1;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f != NULL) {
        if (fscanf(f, "%ld %ld", &pages_total, &pages_resident) != 2)
            pages_resident = -1;
        fclose(f);
    }
    return pages_resident < 0 ? -1 : pages_resident * sysconf(_SC_PAGESIZE);
}

int main(int argc, char **argv) {
    int strict;
    alloc8_stats_fn stats = alloc8_test_begin(argc, argv, &strict);
    struct alloc8_demo_stats before = {0}, after = {0};
    if (stats != NULL)
        stats(&before);

    /* small blocks, dirtied and freed, come back zeroed */
    for (size_t size = 1; size <= 4096; size = size * 2 + 1) {
        unsigned char *dirty = malloc(size);
        memset(dirty, 0xa5, size);
        free(dirty);
        unsigned char *zeroed = calloc(1, size);
        int all_zero = zeroed != NULL;
        for (size_t i = 0; all_zero && i < size; i++)
            all_zero = zeroed[i] == 0;
        CHECK(all_zero, "calloc(1, %zu) after a dirtied block of that size reads as zero\n", size);
        free(zeroed);
    }

    long rss_before = resident_bytes();
    unsigned char *big = calloc(1, BIG);
    long rss_after = resident_bytes();
    CHECK(big != NULL, "calloc(1, %d MiB)\n", BIG >> 20);
    CHECK(rss_before > 0 && rss_after - rss_before < SLACK,
          "calloc(1, %d MiB) left the block out of the resident set (+%ld KiB)\n", BIG >> 20,
          (rss_after - rss_before) >> 10);
    int all_zero = big != NULL;
    for (size_t i = 0; all_zero && i < (size_t)BIG; i += 16 * 4096) /* one page in 16: each read faults */
        all_zero = big[i] == 0 && big[i + 4095] == 0;
    CHECK(all_zero && big[BIG - 1] == 0, "its pages read as zero\n");
    free(big);

    if (stats != NULL)
        stats(&after);
    if (strict)
        CHECK(after.large_allocs - before.large_allocs == 1 && after.malloc_calls - before.malloc_calls >= 13,
              "the allocator served the callocs (mallocs +%llu, large +%llu)\n",
              (unsigned long long)(after.malloc_calls - before.malloc_calls),
              (unsigned long long)(after.large_allocs - before.large_allocs));
    return check_report("calloc_fresh");
}
