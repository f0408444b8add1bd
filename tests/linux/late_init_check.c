/* SPDX-License-Identifier: MIT */
/* Run under LD_PRELOAD of liblate_init.so. Its allocator's init (li_init) allocated through
 * malloc, calloc, strdup and aligned_alloc while the allocator was not ready: those blocks must
 * come from the glue's bootstrap area, and using and freeing them later must be safe. Any call
 * that reached the allocator before init finished would have aborted the process. */
#define _GNU_SOURCE
#include "check.h"
#include "demo_allocator.h"

#include <dlfcn.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ctor_threads_seen(const struct alloc8_demo_thread **seen); /* libctor_threads.so */

int main(void) {
    void **(*boot_blocks)(void) = (void **(*)(void))dlsym(RTLD_DEFAULT, "late_init_boot_blocks");
    void (*stats)(struct alloc8_demo_stats *) =
        (void (*)(struct alloc8_demo_stats *))dlsym(RTLD_DEFAULT, "alloc8_demo_stats_get");
    if (boot_blocks == NULL || stats == NULL) {
        printf("FAIL: not running under liblate_init.so (LD_PRELOAD)\n");
        return 1;
    }
    free(malloc(1)); /* init is lazy: the first allocation runs li_init (nothing may have yet) */
    void **b = boot_blocks();
    for (int i = 0; i < 4; i++)
        CHECK(b[i] != NULL, "li_init got memory for every re-entrant call");
    if (check_failures)
        return 1;
    CHECK(malloc_usable_size(b[0]) == 100, "usable size of a bootstrap block is its requested size");
    unsigned char *zeroed = b[1];
    int zero = 1;
    for (int i = 0; i < 128; i++)
        zero &= zeroed[i] == 0;
    CHECK(zero, "calloc during init returned zeroed memory");
    CHECK(strcmp(b[2], "served from the bootstrap area") == 0, "strdup during init");
    CHECK(((uintptr_t)b[3] & 255) == 0, "aligned_alloc(256) during init is aligned");

    struct alloc8_demo_stats before, after;
    stats(&before);
    char *moved = realloc(b[2], 4096); /* leaves the bootstrap area: one xxmalloc, no xxfree */
    CHECK(moved != NULL && strcmp(moved, "served from the bootstrap area") == 0,
          "realloc of a bootstrap block keeps its contents");
    free(b[0]); /* bootstrap blocks: freeing is a no-op that must not reach the allocator */
    free(b[1]);
    free(b[3]);
    stats(&after);
    CHECK(after.malloc_calls - before.malloc_calls == 1, "realloc moved the block into the allocator");
    CHECK(after.free_calls == before.free_calls, "freeing bootstrap blocks did not reach xxfree");
    free(moved);
    stats(&after);
    CHECK(after.free_calls - before.free_calls == 1, "the moved block is freed by the allocator");
    CHECK(after.malloc_calls > 0, "the program was served by the allocator after init");

    /* Thread hooks with a late-initialised allocator: the constructor of libctor_threads.so
     * (linked into this program) started threads before anything else ran. */
    int (*hooks_early)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "late_init_hooks_before_ready");
    const struct alloc8_demo_thread *seen;
    int created = ctor_threads_seen(&seen);
    CHECK(created == 3, "the library constructor created its threads (%d)\n", created);
    for (int i = 0; i < created; i++)
        CHECK(seen[i].state == DEMO_THREAD_HOOKED && seen[i].inits == 1,
              "constructor thread %d: init ran before its start routine (state %d, inits %d)\n", i, seen[i].state,
              (int)seen[i].inits);
    CHECK(hooks_early != NULL && hooks_early() == 0, "no thread hook ran before li_init finished\n");
    stats(&after);
    CHECK(after.thread_inits >= 4 && after.thread_cleanups == after.thread_inits - 1,
          "every thread but main initialised and cleaned up (inits %llu, cleanups %llu)\n",
          (unsigned long long)after.thread_inits, (unsigned long long)after.thread_cleanups);
    CHECK(after.unhooked_caches == 0, "no thread allocated before its init\n");
    if (check_failures)
        return 1;
    printf("bootstrap: 4 re-entrant allocations during init served from the bootstrap area; "
           "freeing and reallocating them is safe; 3 threads from a library constructor got their "
           "hooks, none before the allocator was ready\n");
    return 0;
}
