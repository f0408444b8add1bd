/* A statically linked program with the demo allocator's static interposer archive: the linker
 * takes malloc & co. from the archive instead of glibc's malloc.o (the __libc_* aliases make the
 * set complete), so even glibc's internal callers such as strdup are served by the allocator. */
#define _GNU_SOURCE
#include "check.h"
#include "demo_allocator.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *worker(void *arg) {
    (void)arg;
    for (int i = 0; i < 1000; i++)
        free(malloc((size_t)i));
    return NULL;
}

int main(void) {
    struct alloc8_demo_stats before, after;
    alloc8_demo_stats_get(&before);
    char *copy = strdup("glibc's strdup, statically linked");
    void *aligned = aligned_alloc(64, 100);
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, worker, NULL) == 0, "pthread_create\n");
    pthread_join(thread, NULL);
    CHECK(copy != NULL && strcmp(copy, "glibc's strdup, statically linked") == 0, "strdup works\n");
    CHECK(aligned != NULL && ((uintptr_t)aligned & 63) == 0, "aligned_alloc(64) is aligned\n");
    free(copy);
    free(aligned);
    alloc8_demo_stats_get(&after);
    CHECK(after.malloc_calls - before.malloc_calls >= 1001, "strdup and the thread's mallocs reached the allocator\n");
    CHECK(after.memalign_calls - before.memalign_calls == 1, "aligned_alloc reached the allocator\n");
    CHECK(after.free_calls - before.free_calls >= 1002, "frees reached the allocator\n");
    return check_report("static link");
}
