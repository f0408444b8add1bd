/* SPDX-License-Identifier: MIT */
/* A statically linked program with the demo allocator's static interposer archive: the linker
 * takes malloc & co. from the archive instead of glibc's malloc.o (the __libc_* aliases make the
 * set complete), so even glibc's internal callers such as strdup are served by the allocator.
 * libc's pthread_create cannot be replaced in a static link: the archive's users link with
 * --wrap=pthread_create (a usage requirement of the CMake target), so a thread the program starts
 * gets init before its start routine and the created_flag is set before it runs. */
#define _GNU_SOURCE
#include "check.h"
#include "demo_allocator.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct seen {
    struct alloc8_demo_thread at_start; /* before the thread's first allocation */
    uint64_t created_flag;              /* demo_threads_created, read by the thread at its start */
    struct alloc8_demo_thread after;    /* after its first allocation */
};

static void *worker(void *arg) {
    struct seen *seen = arg;
    struct alloc8_demo_stats now;
    alloc8_demo_stats_get(&now);
    seen->created_flag = now.threads_created;
    alloc8_demo_thread_get(&seen->at_start);
    free(malloc(1));
    alloc8_demo_thread_get(&seen->after);
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
    struct seen seen;
    CHECK(pthread_create(&thread, NULL, worker, &seen) == 0, "pthread_create\n");
    pthread_join(thread, NULL);
    CHECK(copy != NULL && strcmp(copy, "glibc's strdup, statically linked") == 0, "strdup works\n");
    CHECK(aligned != NULL && ((uintptr_t)aligned & 63) == 0, "aligned_alloc(64) is aligned\n");
    free(copy);
    free(aligned);
    alloc8_demo_stats_get(&after);
    CHECK(after.malloc_calls - before.malloc_calls >= 1001, "strdup and the thread's mallocs reached the allocator\n");
    CHECK(after.memalign_calls - before.memalign_calls == 1, "aligned_alloc reached the allocator\n");
    CHECK(after.free_calls - before.free_calls >= 1002, "frees reached the allocator\n");
    CHECK(before.threads_created == 0, "created_flag is 0 while the program is single-threaded\n");
    CHECK(seen.created_flag == 1, "created_flag was set before the thread ran (--wrap=pthread_create)\n");
    CHECK(seen.at_start.state == DEMO_THREAD_HOOKED && seen.at_start.inits == 1,
          "the thread got init before its start routine (state %d, inits %u)\n", seen.at_start.state,
          seen.at_start.inits);
    CHECK(seen.after.state == DEMO_THREAD_HOOKED && seen.after.inits == 1,
          "and no second init at its first allocation\n");
    CHECK(after.thread_inits - before.thread_inits == 1 && after.thread_cleanups - before.thread_cleanups == 1,
          "one init and one cleanup for the thread\n");
    CHECK(after.unhooked_caches == 0, "no thread allocated before its init\n");
    return check_report("static link");
}
