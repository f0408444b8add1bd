/* SPDX-License-Identifier: MIT */
/* N malloc(32)/free pairs, either through malloc/free (the generated glue when preloaded) or
 * straight into the demo allocator's entry points (built with -DALLOC8_BENCH_DIRECT). */
#include <stdlib.h>

void *xxmalloc(size_t size);
void xxfree(void *ptr);

int main(int argc, char **argv) {
    long pairs = argc > 1 ? atol(argv[1]) : 1000000;
    for (long i = 0; i < pairs; i++) {
#ifdef ALLOC8_BENCH_DIRECT
        void *p = xxmalloc(32);
        __asm__ volatile("" : : "r"(p) : "memory");
        xxfree(p);
#else
        void *p = malloc(32);
        __asm__ volatile("" : : "r"(p) : "memory");
        free(p);
#endif
    }
    return 0;
}
