/* SPDX-License-Identifier: MIT */
/* Thread-locals of libraries loaded with dlopen on musl (docs/platforms.md, "musl"), under the demo
 * allocator's musl interposer:
 * - a module with an initial-exec thread-local cannot be loaded at all: musl's dynamic linker
 *   refuses the relocation ("initial-exec TLS resolves to dynamic definition"; it has no static
 *   TLS surplus as glibc has), so a library meant for dlopen needs another TLS model;
 * - a global-dynamic module loads while 4 threads run, and neither dlopen nor the first access to
 *   the new thread-locals in the main thread and in the 4 threads calls the interposer: musl
 *   allocates every live thread's copy at dlopen time with its own internal allocator.
 * Usage: tls_dlopen <initial-exec module> <global-dynamic module> --alloc8 */
#define _GNU_SOURCE
#include "check.h"
#include "demo_stats.h"

#include <pthread.h>
#include <stdatomic.h>

enum { THREADS = 4 };

typedef int touch_fn(int);
static touch_fn *touch;
static pthread_barrier_t loaded, touched;
static atomic_int wrong;

static void *worker(void *arg) {
    (void)arg;
    pthread_barrier_wait(&loaded); /* the module is loaded now */
    if (touch(2) != 2)
        atomic_fetch_add(&wrong, 1);
    pthread_barrier_wait(&touched);
    return NULL;
}

int main(int argc, char **argv) {
    int strict;
    alloc8_stats_fn stats = alloc8_test_begin(argc, argv, &strict);
    if (argc < 4 || !strict) {
        printf("FAIL: usage: tls_dlopen <initial-exec module> <global-dynamic module> --alloc8\n");
        return 1;
    }
    void *ie = dlopen(argv[1], RTLD_NOW);
    const char *why = ie == NULL ? dlerror() : "";
    CHECK(ie == NULL && why != NULL && strstr(why, "initial-exec TLS") != NULL,
          "dlopen of an initial-exec module fails with musl's message (%s)\n", why != NULL ? why : "none");
    pthread_barrier_init(&loaded, NULL, THREADS + 1);
    pthread_barrier_init(&touched, NULL, THREADS + 1);
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++)
        CHECK(pthread_create(&threads[i], NULL, worker, NULL) == 0, "thread %d started\n", i);
    struct alloc8_demo_stats before = alloc8_test_snapshot(stats);
    void *gd = dlopen(argv[2], RTLD_NOW);
    void *sym = gd != NULL ? dlsym(gd, "tls_module_gd_touch") : NULL;
    CHECK(sym != NULL, "the global-dynamic module loads while %d threads run\n", THREADS);
    if (sym == NULL)
        return check_report("tls_dlopen");
    memcpy(&touch, &sym, sizeof sym);
    CHECK(touch(1) == 1, "the main thread's copy starts zeroed\n");
    pthread_barrier_wait(&loaded);
    pthread_barrier_wait(&touched);
    struct alloc8_demo_stats after = alloc8_test_snapshot(stats);
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    CHECK(atomic_load(&wrong) == 0, "each thread's copy started zeroed\n");
    CHECK(DELTA(before, after, malloc_calls) == 0 && DELTA(before, after, memalign_calls) == 0,
          "dlopen and the first accesses made no call into the interposer (malloc +%llu, memalign +%llu)\n",
          (unsigned long long)DELTA(before, after, malloc_calls),
          (unsigned long long)DELTA(before, after, memalign_calls));
    return check_report("tls_dlopen");
}
