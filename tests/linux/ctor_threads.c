/* SPDX-License-Identifier: MIT */
/* A library whose constructor starts and joins threads that allocate: with LD_PRELOAD, this runs
 * before the preloaded interposer's own constructors, so the glue's pthread_create wrapper and
 * thread hooks must work without them (and without the allocator being initialised yet). */
#define _GNU_SOURCE
#include "demo_allocator.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { CTOR_THREADS = 3 };
static struct alloc8_demo_thread ctor_seen[CTOR_THREADS];
static int ctor_created;

static void *ctor_body(void *arg) {
    struct alloc8_demo_thread *seen = arg;
    void *sym = dlsym(RTLD_DEFAULT, "alloc8_demo_thread_get");
    void (*get)(struct alloc8_demo_thread *);
    memcpy(&get, &sym, sizeof get);
    if (get != NULL)
        get(seen); /* before this thread allocates anything */
    free(malloc(256));
    return NULL;
}

__attribute__((constructor)) static void ctor_start_threads(void) {
    pthread_t t[CTOR_THREADS];
    for (int i = 0; i < CTOR_THREADS; i++)
        if (pthread_create(&t[i], NULL, ctor_body, &ctor_seen[i]) == 0)
            ctor_created++;
    for (int i = 0; i < ctor_created; i++)
        pthread_join(t[i], NULL);
}

/* What each constructor thread saw at its start; returns how many were created. */
__attribute__((visibility("default"))) int ctor_threads_seen(const struct alloc8_demo_thread **seen) {
    *seen = ctor_seen;
    return ctor_created;
}
