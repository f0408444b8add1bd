/* SPDX-License-Identifier: MIT */
/* A small allocator for the heap's `fallback: allocator` test: system memory with a size header,
 * and counters of its calls. */
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

_Atomic long fb_mallocs, fb_memaligns, fb_frees;

typedef struct {
    void *base;
    size_t size;
} fb_header;

static void *fb_place(size_t alignment, size_t size) {
    if (alignment < _Alignof(max_align_t))
        alignment = _Alignof(max_align_t);
    if (size > SIZE_MAX - sizeof(fb_header) - alignment)
        return NULL;
    char *base = malloc(sizeof(fb_header) + alignment + size);
    if (!base)
        return NULL;
    uintptr_t user = ((uintptr_t)base + sizeof(fb_header) + alignment - 1) & ~(uintptr_t)(alignment - 1);
    ((fb_header *)user)[-1] = (fb_header){base, size};
    return (void *)user;
}

void *fb_malloc(size_t size) {
    atomic_fetch_add(&fb_mallocs, 1);
    return fb_place(16, size);
}

void *fb_memalign(size_t alignment, size_t size) {
    atomic_fetch_add(&fb_memaligns, 1);
    return fb_place(alignment, size);
}

void fb_free(void *ptr) {
    if (!ptr)
        return;
    atomic_fetch_add(&fb_frees, 1);
    free(((fb_header *)ptr)[-1].base);
}

size_t fb_usable_size(void *ptr) {
    return ptr ? ((fb_header *)ptr)[-1].size : 0;
}
