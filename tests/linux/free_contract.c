/* SPDX-License-Identifier: MIT */
/* What the glue's freeing functions promise, under an allocator that tests it
 * (tests/alloc/strict_alloc.c, LD_PRELOAD of libstrict.so):
 *   - a sized free hands entry.free_sized the size requested for the block, also after the
 *     glue's own (derived) realloc shrank it: free_sized(realloc(malloc(1000), 600), 600);
 *   - free, free_sized and free(NULL) leave errno as it was, although entry.owns changes it,
 *     and so does the first free of a thread attached lazily, whose init hook changes it.
 *   - an aligned allocation goes to entry.aligned below entry.aligned_large.from_alignment (4096)
 *     and to entry.aligned_large from it, through memalign, aligned_alloc and posix_memalign.
 *   - entry.register_error got the glue's handler once, at load, and the handler gives
 *     ENOMEM and EOVERFLOW reports errno = ENOMEM and leaves errno alone for any other report.
 * The checker itself is proved by a deliberate misuse (free_sized with a wrong size). */
#define _GNU_SOURCE
#include "demo_stats.h"
#include "check.h"

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

static long (*violations)(void);
static void (*free_sized_fn)(void *, size_t);

static void (*thread_info)(struct alloc8_demo_thread *);
static void *thread_block;
static int thread_errno, thread_inits, thread_inits_before;

/* A thread started by libc's own pthread_create, not the interposer's wrapper: the glue attaches
 * it (init hook) on its first call into the allocator, which here is a free. */
static void *unwrapped_thread(void *arg) {
    (void)arg;
    struct alloc8_demo_thread me = {0};
    thread_info(&me);
    thread_inits_before = (int)me.inits;
    errno = 12345;
    free(thread_block);
    thread_errno = errno;
    thread_info(&me);
    thread_inits = (int)me.inits;
    return NULL;
}

int main(void) {
    alloc8_test_lookup("st_violations", &violations, sizeof violations);
    alloc8_test_lookup("free_sized", &free_sized_fn, sizeof free_sized_fn);
    thread_info = alloc8_test_thread_fn();
    if (violations == NULL || free_sized_fn == NULL) {
        printf("FAIL: run under LD_PRELOAD of libstrict.so (st_violations, free_sized not found)\n");
        return 1;
    }

    /* the checker catches a wrong size */
    long before = violations();
    free_sized_fn(malloc(1000), 600);
    CHECK(violations() == before + 1, "the checker flags free_sized(malloc(1000), 600)\n");
    before = violations();
    free_sized_fn(malloc(1000), 1000);
    CHECK(violations() == before, "free_sized(malloc(1000), 1000) is right\n");

    /* the derived realloc: a shrunk block is later freed with its new size */
    size_t sizes[][2] = {{1000, 600}, {1000, 999}, {4096, 2100}, {300, 160}, {100000, 70000}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        before = violations();
        char *p = malloc(sizes[i][0]);
        char *q = realloc(p, sizes[i][1]);
        CHECK(q != NULL, "realloc(%zu -> %zu)\n", sizes[i][0], sizes[i][1]);
        free_sized_fn(q, sizes[i][1]);
        CHECK(violations() == before,
              "free_sized(realloc(malloc(%zu), %zu), %zu) reached the allocator with the size requested\n", sizes[i][0],
              sizes[i][1], sizes[i][1]);
    }

    /* errno across the freeing functions (entry.owns changes it) */
    void *p = malloc(64);
    errno = 4321;
    free(p);
    CHECK(errno == 4321, "free leaves errno alone although entry.owns changed it (%d)\n", errno);
    p = malloc(64);
    errno = 4322;
    free_sized_fn(p, 64);
    CHECK(errno == 4322, "free_sized leaves errno alone (%d)\n", errno);
    errno = 4323;
    free(NULL);
    CHECK(errno == 4323, "free(NULL) leaves errno alone (%d)\n", errno);

    /* entry.aligned below entry.aligned_large.from_alignment, entry.aligned_large from it */
    long (*aligned_calls)(int) = NULL;
    alloc8_test_lookup("st_aligned_calls", &aligned_calls, sizeof aligned_calls);
    CHECK(aligned_calls != NULL, "libstrict.so exports st_aligned_calls\n");
    for (size_t alignment = 32; aligned_calls != NULL && alignment <= 65536; alignment *= 2) {
        int large = alignment >= 4096;
        long calls[2] = {aligned_calls(0), aligned_calls(1)};
        before = violations();
        void *blocks[3] = {memalign(alignment, 100), aligned_alloc(alignment, alignment), NULL};
        int rc = posix_memalign(&blocks[2], alignment, 3 * alignment);
        for (int i = 0; i < 3; i++)
            CHECK(blocks[i] != NULL && (uintptr_t)blocks[i] % alignment == 0, "aligned block %d of %zu\n", i,
                  alignment);
        CHECK(rc == 0 && aligned_calls(large) == calls[large] + 3 && aligned_calls(!large) == calls[!large] &&
                  violations() == before,
              "alignment %zu: three calls of entry.%s, none of the other (%ld and %ld more, %ld violations)\n",
              alignment, large ? "aligned_large" : "aligned", aligned_calls(large) - calls[large],
              aligned_calls(!large) - calls[!large], violations() - before);
        for (int i = 0; i < 3; i++)
            free(blocks[i]);
    }

    /* a lazily attached thread whose first call is free (its init hook changes errno) */
    thread_block = malloc(48);
    int (*libc_pthread_create)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *) = NULL;
    void *libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
    if (libc != NULL) {
        void *sym = dlsym(libc, "pthread_create");
        memcpy(&libc_pthread_create, &sym, sizeof libc_pthread_create);
    }
    pthread_t thread;
    CHECK(thread_info != NULL && libc_pthread_create != NULL &&
              libc_pthread_create(&thread, NULL, unwrapped_thread, NULL) == 0 && pthread_join(thread, NULL) == 0,
          "a thread started by libc's own pthread_create ran\n");
    CHECK(thread_inits_before == 0 && thread_inits == 1,
          "the thread was attached lazily by its first call, a free (inits %d, then %d)\n", thread_inits_before,
          thread_inits);
    CHECK(thread_errno == 12345, "that free left errno alone although the init hook changed it (%d)\n", thread_errno);

    /* entry.register_error */
    int (*error_registered)(void) = NULL;
    void (*report_error)(int) = NULL;
    alloc8_test_lookup("st_error_registered", &error_registered, sizeof error_registered);
    alloc8_test_lookup("st_report_error", &report_error, sizeof report_error);
    CHECK(error_registered != NULL && report_error != NULL && error_registered() == 1,
          "the glue registered its error handler once, by the time main runs (%d)\n",
          error_registered ? error_registered() : -1);
    if (report_error != NULL) {
        static const struct {
            int reported, before, after;
        } cases[] = {{ENOMEM, 0, ENOMEM}, {EOVERFLOW, 0, ENOMEM}, {EFAULT, EDOM, EDOM}, {EINVAL, 0, 0}};
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            errno = cases[i].before;
            report_error(cases[i].reported);
            CHECK(errno == cases[i].after, "a report of %d turns errno %d into %d (%d)\n", cases[i].reported,
                  cases[i].before, cases[i].after, errno);
        }
    }
    return check_report("free_contract");
}
