/* SPDX-License-Identifier: MIT */
/* served.c: run under LD_PRELOAD=<the glue of a library: spec>; proves that the program's malloc is
 * the glue's and that the glue's calls reached the drop-in library's own functions, by the count
 * that library keeps (dropin_served), and that calloc, realloc, aligned_alloc and free work.
 * Usage: served <glue library> <drop-in library's file name> */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { BLOCKS = 1000 };

static int same_file(const char *a, const char *b) {
    struct stat sa, sb;
    return a && b && stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: served <glue library> <drop-in library>\n");
        return 2;
    }
    Dl_info info;
    void *found = dlsym(RTLD_DEFAULT, "malloc");
    if (found == NULL || dladdr(found, &info) == 0 || !same_file(info.dli_fname, argv[1])) {
        printf("FAIL: malloc resolves to %s, not to the glue %s\n", found ? info.dli_fname : "nothing", argv[1]);
        return 1;
    }
    static void *blocks[BLOCKS];
    for (int i = 0; i < BLOCKS; i++) {
        size_t size = 1 + (size_t)i * 7;
        blocks[i] = i % 3 == 0 ? calloc(1, size) : i % 3 == 1 ? malloc(size) : aligned_alloc(64, size);
        if (blocks[i] == NULL || (i % 3 == 2 && (uintptr_t)blocks[i] % 64 != 0)) {
            printf("FAIL: block %d of %zu bytes: %p\n", i, size, blocks[i]);
            return 1;
        }
        memset(blocks[i], i & 0xff, size);
    }
    for (int i = 0; i < BLOCKS; i += 2) {
        blocks[i] = realloc(blocks[i], 5000);
        if (blocks[i] == NULL || ((unsigned char *)blocks[i])[0] != (i & 0xff)) {
            printf("FAIL: realloc of block %d lost its contents\n", i);
            return 1;
        }
    }
    for (int i = 0; i < BLOCKS; i++)
        free(blocks[i]);
    void *library = dlopen(argv[2], RTLD_NOW | RTLD_NOLOAD);
    unsigned long (*count)(void) = NULL;
    void *sym = library ? dlsym(library, "dropin_served") : NULL;
    memcpy(&count, &sym, sizeof sym);
    if (count == NULL) {
        printf("FAIL: %s is not loaded (or has no dropin_served): the glue did not load it\n", argv[2]);
        return 1;
    }
    unsigned long served = count();
    if (served < BLOCKS + BLOCKS / 2) {
        printf("FAIL: %s served %lu allocations, fewer than the %d made\n", argv[2], served, BLOCKS + BLOCKS / 2);
        return 1;
    }
    printf("served: malloc is %s's; %s served %lu allocations (at least the %d made here)\n", argv[1], argv[2], served,
           BLOCKS + BLOCKS / 2);
    return 0;
}
