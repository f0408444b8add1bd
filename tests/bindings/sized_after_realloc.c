/* SPDX-License-Identifier: MIT */
/* C23's free_sized after a realloc that shrank the block, as a preloaded library serves them:
 *   LD_PRELOAD=<library> sized_after_realloc --lib <library>
 * For every m from 64 to 4096 bytes in steps of 64 and sizes n from m + 1 to 2m - 1, 8 times at once:
 * p = malloc(n), q = realloc(p, m), free_sized(q, m) (m is the size q was requested with, as C23
 * requires); then 8 times r = memalign(a, m) with a the largest power of two that divides m (at most
 * 4096). Each r must be aligned to a and hold m bytes, and each q's contents must have survived the
 * realloc.
 * An allocator that takes the size class from free_sized's size (tcmalloc's tc_free_sized) and keeps
 * a shrunk block in place (tc_realloc) files q under the class of m, which may be smaller than the
 * class q came from; memalign then hands q out as a block of m's class, whose blocks are all
 * a-aligned, and it is not (bindings/README.md). Proof of service first: malloc, realloc,
 * free_sized and memalign resolve into the library given. */
#define _GNU_SOURCE
#include "check.h"

#include <dlfcn.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { BLOCKS = 8 };
static struct stat served_by;

static void *served(const char *name) {
    Dl_info info;
    struct stat st;
    void *sym = dlsym(RTLD_DEFAULT, name);
    if (sym == NULL || dladdr(sym, &info) == 0 || info.dli_fname == NULL || stat(info.dli_fname, &st) != 0 ||
        st.st_dev != served_by.st_dev || st.st_ino != served_by.st_ino) {
        printf("FAIL: %s resolves to %s, not to the library given: the preload did not apply\n", name,
               sym && dladdr(sym, &info) && info.dli_fname ? info.dli_fname : "(nowhere)");
        exit(1);
    }
    return sym;
}

/* p's offset from an a-aligned address. Through a volatile: glibc declares memalign and
 * aligned_alloc with alloc_align, so a compiler may otherwise fold the test to "aligned". */
static size_t misalignment(const void *p, size_t a) {
    volatile uintptr_t address = (uintptr_t)p;
    return address % a;
}

static int holds(const unsigned char *p, size_t n, unsigned char c) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != c)
            return 0;
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 3 || strcmp(argv[1], "--lib") != 0 || stat(argv[2], &served_by) != 0) {
        printf("usage: LD_PRELOAD=LIB sized_after_realloc --lib LIB\n");
        return 2;
    }
    served("malloc");
    served("realloc");
    served("memalign");
    void (*free_sized)(void *, size_t) = (void (*)(void *, size_t))served("free_sized");
    int in_place = 0, reallocs = 0, printed = 0;
    for (size_t m = 64; m <= 4096; m += 64) {
        size_t a = m & -m;
        for (size_t n = m + 1; n < 2 * m; n += m / 8 + 1) {
            /* BLOCKS at once, so that they are not all the first block of a page */
            unsigned char *p[BLOCKS], *q[BLOCKS], *r[BLOCKS];
            for (int i = 0; i < BLOCKS; i++) {
                p[i] = malloc(n);
                CHECK(p[i] != NULL, "malloc(%zu) -> NULL\n", n);
                if (p[i])
                    memset(p[i], 0x5a, n);
            }
            for (int i = 0; i < BLOCKS; i++) {
                q[i] = p[i] ? realloc(p[i], m) : NULL;
                CHECK(!p[i] || (q[i] && holds(q[i], m, 0x5a)),
                      "q = realloc(p = malloc(%zu), %zu) -> %p: contents lost\n", n, m, (void *)q[i]);
                if (p[i] && !q[i])
                    free(p[i]);
                reallocs++;
                in_place += q[i] && q[i] == p[i];
                if (q[i])
                    free_sized(q[i], m);
            }
            for (int i = 0; i < BLOCKS; i++) {
                r[i] = memalign(a, m);
                int ok = r[i] != NULL && misalignment(r[i], a) == 0;
                if (!ok && printed++ < 20)
                    printf(
                        "FAIL: %d times p = malloc(%zu); q = realloc(p, %zu); free_sized(q, %zu); then memalign(%zu, "
                        "%zu) -> %p, not %zu-aligned%s\n",
                        BLOCKS, n, m, m, a, m, (void *)r[i], a, q[0] == p[0] ? " (the reallocs stayed in place)" : "");
                check_failures += !ok;
                check_count++;
                if (r[i]) {
                    memset(r[i], 0xa5, m);
                    CHECK(malloc_usable_size(r[i]) >= m, "memalign(%zu, %zu) -> %p: malloc_usable_size %zu\n", a, m,
                          (void *)r[i], malloc_usable_size(r[i]));
                }
            }
            for (int i = 0; i < BLOCKS; i++)
                free(r[i]);
        }
    }
    printf("sized_after_realloc: %d of %d reallocs stayed in place\n", in_place, reallocs);
    return check_report("sized_after_realloc");
}
