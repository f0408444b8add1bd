/* SPDX-License-Identifier: MIT */
#include "check.h"
/* Prefixed mode: demo_malloc & co. are served by the demo allocator, the system malloc is not
 * touched. The program links libdemo_prefixed.so directly, so every counter delta is exact. */
#include "demo_allocator.h"
#include "demo_prefixed.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int aligned(const void *p, size_t a) {
    return ((uintptr_t)p & (a - 1)) == 0;
}

int main(void) {
    struct alloc8_demo_stats before, after;
    alloc8_demo_stats_get(&before);

    void *sys = malloc(100); /* glibc's: must not reach the demo allocator */
    free(sys);
    alloc8_demo_stats_get(&after);
    CHECK(after.malloc_calls == before.malloc_calls && after.free_calls == before.free_calls,
          "the system malloc reached the demo allocator in prefixed mode\n");

    char *p = demo_malloc(100); /* malloc +1 */
    CHECK(p != NULL && aligned(p, 16), "demo_malloc(100)\n");
    CHECK(demo_malloc_usable_size(p) >= 100, "demo_malloc_usable_size\n");
    memset(p, 'x', 100);
    p = demo_realloc(p, 100000); /* usable_size, malloc +1, free +1 */
    CHECK(p != NULL && p[0] == 'x' && p[99] == 'x', "demo_realloc keeps the contents\n");
    unsigned char *z = demo_calloc(10, 10); /* malloc +1 */
    int zero = z != NULL;
    for (int i = 0; zero && i < 100; i++)
        zero = z[i] == 0;
    CHECK(zero, "demo_calloc zeroes\n");
    errno = 0;
    CHECK(demo_calloc(SIZE_MAX / 2, 3) == NULL && errno == ENOMEM, "demo_calloc overflow\n");
    void *m = demo_memalign(256, 10); /* memalign +1 */
    CHECK(m != NULL && aligned(m, 256), "demo_memalign(256)\n");
    void *pm = (void *)1;
    CHECK(demo_posix_memalign(&pm, 64, 100) == 0 && aligned(pm, 64), "demo_posix_memalign(64)\n"); /* +1 */
    void *bad = (void *)1;
    CHECK(demo_posix_memalign(&bad, 24, 100) == EINVAL && bad == (void *)1, "posix_memalign(24)\n");
    void *aa = demo_aligned_alloc(128, 1); /* memalign +1 */
    CHECK(aa != NULL && aligned(aa, 128), "demo_aligned_alloc(128)\n");
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    void *v = demo_valloc(1);   /* memalign +1 */
    void *pv = demo_pvalloc(1); /* memalign +1 */
    CHECK(v != NULL && aligned(v, page) && pv != NULL && aligned(pv, page), "demo_valloc/pvalloc\n");
    CHECK(demo_malloc_usable_size(pv) >= page, "demo_pvalloc rounds up to a page\n");
    demo_free(p); /* free +1 each */
    demo_free(z);
    demo_free(m);
    demo_free_sized(pm, 100);
    demo_free_aligned_sized(aa, 128, 1);
    demo_free(v);
    demo_free(pv);
    demo_free(NULL); /* no call */

    alloc8_demo_stats_get(&after);
    unsigned long long mallocs = after.malloc_calls - before.malloc_calls;
    unsigned long long memaligns = after.memalign_calls - before.memalign_calls;
    unsigned long long frees = after.free_calls - before.free_calls;
    CHECK(mallocs == 3, "expected 3 xxmalloc calls, counted %llu\n", mallocs);
    CHECK(memaligns == 5, "expected 5 xxmemalign calls, counted %llu\n", memaligns);
    CHECK(frees == 8, "expected 8 xxfree calls, counted %llu\n", frees);
    if (check_failures)
        return 1;
    printf("prefixed: demo_* served by the demo allocator (malloc=%llu memalign=%llu free=%llu), "
           "system malloc untouched\n",
           mallocs, memaligns, frees);
    return 0;
}
