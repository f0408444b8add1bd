/* SPDX-License-Identifier: MIT */
/* A library loaded with dlopen(..., RTLD_DEEPBIND) under the interposer: its malloc, free, realloc,
 * strdup (and a C++ library's operator new) must reach the interposer, so that blocks cross between
 * it and the program in both directions; a block it took while being loaded (from glibc) is routed
 * back to glibc when the program frees it. Also: dlopen of a name without '/', with and without
 * RTLD_DEEPBIND, still finds the library along the program's RUNPATH ($ORIGIN/deep), and a
 * "$ORIGIN/..." name is the program's directory.
 * Usage: deepbind path|name|origin|plain <library.so> <c++ library.so> [--alloc8] */
#define _GNU_SOURCE
#include "check.h"
#include "demo_stats.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

static void *need(void *library, const char *name) {
    void *sym = dlsym(library, name);
    if (sym == NULL) {
        printf("FAIL: %s is missing: %s\n", name, dlerror());
        exit(1);
    }
    return sym;
}

#define LOOKUP(library, fn, name) memcpy(&(fn), &(void *){need(library, name)}, sizeof(fn))

int main(int argc, char **argv) {
    int strict;
    alloc8_stats_fn stats = alloc8_test_begin(argc, argv, &strict);
    if (argc < 4) {
        printf("usage: deepbind path|name|origin|plain <library.so> <c++ library.so> [--alloc8]\n");
        return 2;
    }
    const char *how = argv[1];
    const char *file = argv[2];
    int deep = RTLD_DEEPBIND;
    int mode = RTLD_NOW;
    if (strcmp(how, "name") == 0) {
        file = "liballoc8deep.so"; /* along this program's RUNPATH, $ORIGIN/deep */
        mode = RTLD_LAZY;          /* and its PLT slots not yet bound */
    } else if (strcmp(how, "origin") == 0) {
        file = "$ORIGIN/deep/liballoc8deep.so";
    } else if (strcmp(how, "plain") == 0) {
        file = "liballoc8deep.so";
        deep = 0;
    }
    void *library = dlopen(file, mode | deep);
    if (library == NULL) {
        printf("FAIL: dlopen(\"%s\") failed: %s\n", file, dlerror());
        return 1;
    }
    void *(*deep_malloc)(size_t);
    void (*deep_free)(void *);
    void *(*deep_realloc)(void *, size_t);
    char *(*deep_strdup)(const char *);
    void *(*deep_constructor_block)(void);
    LOOKUP(library, deep_malloc, "deep_malloc");
    LOOKUP(library, deep_free, "deep_free");
    LOOKUP(library, deep_realloc, "deep_realloc");
    LOOKUP(library, deep_strdup, "deep_strdup");
    LOOKUP(library, deep_constructor_block, "deep_constructor_block");
    printf("deepbind %s: loaded %s\n", how, file);
    fflush(stdout);

    struct alloc8_demo_stats a = alloc8_test_snapshot(stats), b;
    char *mine = malloc(100);
    memset(mine, 1, 100);
    deep_free(mine); /* glibc's free on an interposer block aborts or corrupts */
    b = alloc8_test_snapshot(stats);
    if (strict)
        CHECK(b.free_calls == a.free_calls + 1, "the library's free reached the interposer (%llu frees)",
              (unsigned long long)(b.free_calls - a.free_calls));

    a = alloc8_test_snapshot(stats);
    char *theirs = deep_malloc(200);
    b = alloc8_test_snapshot(stats);
    CHECK(theirs != NULL, "the library's malloc works");
    if (strict)
        CHECK(b.malloc_calls == a.malloc_calls + 1, "the library's malloc was served by the interposer");
    memset(theirs, 2, 200);
    free(theirs);

    char *grown = deep_realloc(malloc(16), 4000);
    CHECK(grown != NULL, "the library's realloc of a program block works");
    memset(grown, 3, 4000);
    free(grown);

    a = alloc8_test_snapshot(stats);
    char *copy = deep_strdup("deep");
    b = alloc8_test_snapshot(stats);
    CHECK(copy != NULL && strcmp(copy, "deep") == 0, "the library's strdup works");
    if (strict)
        CHECK(b.malloc_calls > a.malloc_calls, "the library's strdup was served by the interposer");
    deep_free(copy);

    /* taken from glibc while the library was loaded: free() hands it back to glibc (entry.owns) */
    char *early = deep_constructor_block();
    CHECK(early != NULL && early[47] == 0x5a, "the block from the library's constructor is intact");
    free(early);

    void *cxx = dlopen(argv[3], RTLD_NOW | deep);
    if (cxx == NULL) {
        printf("FAIL: dlopen(\"%s\") failed: %s\n", argv[3], dlerror());
        return 1;
    }
    void *(*deep_new)(size_t);
    void (*deep_delete)(void *);
    LOOKUP(cxx, deep_new, "deep_new");
    LOOKUP(cxx, deep_delete, "deep_delete");
    a = alloc8_test_snapshot(stats);
    void *object = deep_new(64);
    b = alloc8_test_snapshot(stats);
    CHECK(object != NULL, "the C++ library's operator new works");
    if (strict)
        CHECK(b.malloc_calls == a.malloc_calls + 1, "the C++ library's operator new was served by the interposer");
    deep_delete(object);
    return check_report("deepbind");
}
