/* SPDX-License-Identifier: MIT */
/* Threads that existed before the allocator's library was loaded: this program starts threads,
 * then dlopens libdemo_prefixed.so (prefixed mode, thread hooks on) with RTLD_LOCAL, and the
 * threads allocate through its demo_malloc. Each must get init exactly once, lazily, before that
 * first allocation, and cleanup when it ends; the glue marks the process as threaded.
 * Usage: thread_preexisting <path of libdemo_prefixed.so> */
#define _GNU_SOURCE
#include "demo_stats.h"
#include "check.h"

#include <dlfcn.h>
#include <pthread.h>

enum { THREADS = 3 };
static pthread_barrier_t loaded;
static void *(*pfx_malloc)(size_t);
static void (*pfx_free)(void *);
static alloc8_thread_fn thread_info;
static struct alloc8_demo_thread before_alloc[THREADS], after_alloc[THREADS];

static void *lookup(void *lib, const char *name) {
    void *sym = dlsym(lib, name);
    CHECK(sym != NULL, "%s is exported\n", name);
    return sym;
}

static void *body(void *arg) {
    int i = (int)(intptr_t)arg;
    pthread_barrier_wait(&loaded); /* the library is loaded now: this thread predates it */
    thread_info(&before_alloc[i]);
    void *p = pfx_malloc(64);
    thread_info(&after_alloc[i]);
    pfx_free(p);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        printf("FAIL: usage: thread_preexisting <libdemo_prefixed.so>\n");
        return 1;
    }
    pthread_t t[THREADS];
    pthread_barrier_init(&loaded, NULL, THREADS + 1);
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, body, (void *)(intptr_t)i);
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        printf("FAIL: dlopen: %s\n", dlerror());
        return 1;
    }
    void *sym = lookup(lib, "demo_malloc");
    memcpy(&pfx_malloc, &sym, sizeof sym);
    sym = lookup(lib, "demo_free");
    memcpy(&pfx_free, &sym, sizeof sym);
    sym = lookup(lib, "alloc8_demo_thread_get");
    memcpy(&thread_info, &sym, sizeof sym);
    alloc8_stats_fn stats;
    sym = lookup(lib, "alloc8_demo_stats_get");
    memcpy(&stats, &sym, sizeof sym);
    if (check_failures)
        return 1;
    pthread_barrier_wait(&loaded);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    struct alloc8_demo_stats s = alloc8_test_snapshot(stats);
    for (int i = 0; i < THREADS; i++) {
        CHECK(before_alloc[i].inits == 0, "thread %d: no init before it used the library\n", i);
        CHECK(after_alloc[i].state == DEMO_THREAD_HOOKED && after_alloc[i].inits == 1,
              "thread %d: init ran lazily, once, before its first allocation (state %d, inits %u)\n", i,
              after_alloc[i].state, after_alloc[i].inits);
    }
    CHECK(s.thread_inits == THREADS && s.thread_cleanups == THREADS, "init == cleanup == %d threads (got %llu, %llu)\n",
          THREADS, (unsigned long long)s.thread_inits, (unsigned long long)s.thread_cleanups);
    CHECK(s.unhooked_caches == 0, "no thread allocated before its init\n");
    CHECK(s.threads_created == 1, "the lazily initialised threads set created_flag\n");
    return check_report("thread_preexisting");
}
