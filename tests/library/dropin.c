/* SPDX-License-Identifier: MIT */
/* dropin.c: an allocator library as vendors ship them (tests/library/README.md): it exports the
 * standard names, malloc, free, calloc, realloc, aligned_alloc and malloc_usable_size, over
 * tiny_alloc.c (tests/kit), registers its own fork handlers (as such libraries do: the glue
 * leaves fork to them), and counts the calls it served, which the tests read (dropin_served). A spec with `library:
 * libdropin.so` binds these functions, the library's own. Built with DROPIN_NO_ALIGNED it has no aligned_alloc, and a
 * spec that binds one finds glibc's. Built with DROPIN_IFUNC its calloc is an IFUNC (a symbol whose value is a
 * resolver that returns the function, as glibc's string functions are): the glue must call what the resolver picks. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define DROPIN_EXPORT __attribute__((visibility("default")))

void *tiny_malloc(size_t size);
void tiny_free(void *ptr);
size_t tiny_usable_size(void *ptr);
void *tiny_aligned(size_t alignment, size_t size);
void tiny_lock(void);
void tiny_unlock(void);

/* fork: every lock of the allocator held across it, released in the parent and the child */
__attribute__((constructor)) static void dropin_at_load(void) {
    pthread_atfork(tiny_lock, tiny_unlock, tiny_unlock);
}

static atomic_ulong served;

static void *counted(void *ptr) {
    atomic_fetch_add_explicit(&served, 1, memory_order_relaxed);
    if (ptr == NULL)
        errno = ENOMEM;
    return ptr;
}

DROPIN_EXPORT void *malloc(size_t size) {
    return counted(tiny_malloc(size));
}

DROPIN_EXPORT void free(void *ptr) {
    if (ptr != NULL)
        tiny_free(ptr);
}

#ifdef DROPIN_IFUNC
static void *dropin_calloc(size_t count, size_t size) {
#else
DROPIN_EXPORT void *calloc(size_t count, size_t size) {
#endif
    if (size != 0 && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    void *ptr = counted(tiny_malloc(count * size));
    if (ptr != NULL)
        memset(ptr, 0, count * size);
    return ptr;
}
#ifdef DROPIN_IFUNC
typedef void *dropin_calloc_fn(size_t, size_t);
static dropin_calloc_fn *dropin_resolve_calloc(void) {
    return dropin_calloc;
}
DROPIN_EXPORT void *calloc(size_t count, size_t size) __attribute__((ifunc("dropin_resolve_calloc")));
#endif

DROPIN_EXPORT void *realloc(void *ptr, size_t size) {
    if (ptr == NULL)
        return malloc(size);
    void *moved = counted(tiny_malloc(size));
    if (moved != NULL) {
        size_t old = tiny_usable_size(ptr);
        memcpy(moved, ptr, old < size ? old : size);
        tiny_free(ptr);
    }
    return moved;
}

#ifndef DROPIN_NO_ALIGNED
DROPIN_EXPORT void *aligned_alloc(size_t alignment, size_t size) {
    return counted(tiny_aligned(alignment, size));
}
#endif

DROPIN_EXPORT size_t malloc_usable_size(void *ptr) {
    return ptr != NULL ? tiny_usable_size(ptr) : 0;
}

/* How many allocations this library served (the tests' proof that the glue called it). */
DROPIN_EXPORT unsigned long dropin_served(void) {
    return atomic_load_explicit(&served, memory_order_relaxed);
}
