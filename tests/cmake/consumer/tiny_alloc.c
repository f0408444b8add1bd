/* SPDX-License-Identifier: MIT */
/* A deliberately tiny allocator: one mmap per block, with the block's size stored in front of it.
 * It counts its calls so that the consumer test can prove it served a program. */
#define _GNU_SOURCE
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

static _Atomic unsigned long tiny_calls;

__attribute__((visibility("default"))) unsigned long tiny_alloc_calls(void) {
    return tiny_calls;
}

void *tiny_aligned(size_t size, size_t alignment) {
    atomic_fetch_add(&tiny_calls, 1);
    if (alignment < 16)
        alignment = 16;
    size_t header = alignment > 32 ? alignment : 32;
    if (size > SIZE_MAX / 2 - header)
        return NULL;
    size_t length = size + header + alignment;
    char *base = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED)
        return NULL;
    uintptr_t user = ((uintptr_t)base + header + alignment - 1) & ~(uintptr_t)(alignment - 1);
    size_t *meta = (size_t *)user - 3;
    meta[0] = (size_t)(uintptr_t)base;
    meta[1] = length;
    meta[2] = length - (user - (uintptr_t)base);
    return (void *)user;
}

void *tiny_malloc(size_t size) {
    return tiny_aligned(size, 16);
}

void tiny_free(void *ptr) {
    if (ptr != NULL) {
        size_t *meta = (size_t *)ptr - 3;
        munmap((void *)(uintptr_t)meta[0], meta[1]);
    }
}

size_t tiny_usable_size(void *ptr) {
    return ((size_t *)ptr)[-1];
}
