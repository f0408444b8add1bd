/* SPDX-License-Identifier: MIT */
/* dlopen of a prefixed interposer whose allocator sources hold 64 KiB of thread-local storage
 * (alloc/big_tls.c). "loads": the library loads, its allocator serves blocks in the main thread
 * and a new one, and each thread has its own area (built with TLS_MODEL global-dynamic, or with the
 * default initial-exec glue under GLIBC_TUNABLES=glibc.rtld.optional_static_tls large enough).
 * "refused": the loader refuses it ("cannot allocate memory in static TLS block"): the default
 * build, whose initial-exec glue puts all of the library's TLS in the static block.
 *
 * Usage: tls_dlopen <library> loads|refused */
#define _GNU_SOURCE
#include "check.h"
#include "demo_allocator.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

typedef void *malloc_fn(size_t);
typedef void free_fn(void *);
typedef size_t touch_fn(size_t);
typedef void stats_fn(struct alloc8_demo_stats *);

static malloc_fn *lib_malloc;
static free_fn *lib_free;
static touch_fn *lib_touch;

static void *lookup(void *lib, const char *name) {
    void *sym = dlsym(lib, name);
    CHECK(sym != NULL, "%s is defined\n", name);
    return sym;
}

/* Allocates through the library and marks two bytes of this thread's area. */
static void *use_library(void *arg) {
    size_t *marked = arg;
    void *p = lib_malloc(100);
    memset(p, 1, 100);
    lib_free(p);
    lib_touch(1);
    *marked = lib_touch(2);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 3 || (strcmp(argv[2], "loads") != 0 && strcmp(argv[2], "refused") != 0)) {
        printf("FAIL: usage: tls_dlopen <library> loads|refused\n");
        return 1;
    }
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (strcmp(argv[2], "refused") == 0) {
        const char *why = lib == NULL ? dlerror() : "";
        CHECK(lib == NULL && strstr(why, "static TLS") != NULL, "the library is refused for want of static TLS (%s)\n",
              lib == NULL ? why : "it loaded");
        return check_report("tls_dlopen refused");
    }
    CHECK(lib != NULL, "the library loads with dlopen (%s)\n", lib == NULL ? dlerror() : "ok");
    if (lib == NULL)
        return check_report("tls_dlopen");
    void *m = lookup(lib, "demo_malloc"), *f = lookup(lib, "demo_free"), *t = lookup(lib, "big_tls_touch");
    void *s = lookup(lib, "alloc8_demo_stats_get");
    if (m == NULL || f == NULL || t == NULL || s == NULL)
        return check_report("tls_dlopen");
    stats_fn *stats;
    memcpy(&lib_malloc, &m, sizeof m);
    memcpy(&lib_free, &f, sizeof f);
    memcpy(&lib_touch, &t, sizeof t);
    memcpy(&stats, &s, sizeof s);
    struct alloc8_demo_stats before, after;
    stats(&before);
    size_t main_marked = 0, thread_marked = 0;
    use_library(&main_marked);
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, use_library, &thread_marked) == 0 && pthread_join(thread, NULL) == 0,
          "a thread uses the library\n");
    stats(&after);
    CHECK(main_marked == 2 && thread_marked == 2, "each thread has its own thread-local area (%zu, %zu)\n", main_marked,
          thread_marked);
    CHECK(after.malloc_calls - before.malloc_calls >= 2 && after.free_calls - before.free_calls >= 2,
          "the library's allocator served both threads\n");
    return check_report("tls_dlopen");
}
