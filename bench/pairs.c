/* SPDX-License-Identifier: MIT */
/* N malloc(32)/free pairs, either through malloc/free (the generated glue when preloaded) or
 * straight into the demo allocator's entry points (built with -DALLOC8_BENCH_DIRECT).
 *
 * One block of the same size stays alive throughout, so that each free leaves its page in use, as
 * in a program that has other blocks of that size: otherwise an allocator that retires a page when
 * its last block is freed pays for that on every pair (mimalloc 2.0.9: 88 instructions per free
 * instead of 26, for its own library and for a binding alike, depending only on whether something
 * else happened to keep a block in that page). */
#include <stdlib.h>

void *xxmalloc(size_t size);
void xxfree(void *ptr);

#ifdef ALLOC8_BENCH_DIRECT
#define BENCH_MALLOC xxmalloc
#define BENCH_FREE xxfree
#else
#define BENCH_MALLOC malloc
#define BENCH_FREE free
#endif

int main(int argc, char **argv) {
    long pairs = argc > 1 ? atol(argv[1]) : 1000000;
    void *kept = BENCH_MALLOC(32);
    __asm__ volatile("" : : "r"(kept) : "memory");
    for (long i = 0; i < pairs; i++) {
        void *p = BENCH_MALLOC(32);
        __asm__ volatile("" : : "r"(p) : "memory");
        BENCH_FREE(p);
    }
    BENCH_FREE(kept);
    return 0;
}
