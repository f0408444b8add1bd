/* SPDX-License-Identifier: MIT */
/* Run under LD_PRELOAD of the consumer's libtinyalloc.so: its allocator must serve malloc. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    unsigned long (*calls)(void) = (unsigned long (*)(void))dlsym(RTLD_DEFAULT, "tiny_alloc_calls");
    if (calls == NULL) {
        printf("FAIL: libtinyalloc.so is not preloaded\n");
        return 1;
    }
    unsigned long before = calls();
    char *p = malloc(1000);
    void *q = aligned_alloc(4096, 100);
    if (p == NULL || q == NULL || ((uintptr_t)q & 4095) != 0) {
        printf("FAIL: allocation through the consumer's interposer\n");
        return 1;
    }
    memset(p, 1, 1000);
    free(p);
    free(q);
    unsigned long served = calls() - before;
    if (served != 2) {
        printf("FAIL: expected the tiny allocator to serve 2 allocations, it served %lu\n", served);
        return 1;
    }
    printf("consumer: tinyalloc served %lu allocations in this check\n", served);
    return 0;
}
