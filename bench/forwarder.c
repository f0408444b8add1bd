/* SPDX-License-Identifier: MIT */
/* The floor for any malloc replacement that lives in its own shared library and calls an
 * allocator in another one: each function is a bare tail call into the allocator's API, with
 * none of the generated glue's checks (errno, alignment, zero sizes, C++ operators). Every call
 * pays one extra indirect jump (program -> this library -> the allocator's library) that the
 * allocator's own preload library does not. bench/allocators.sh measures this library next to
 * the generated binding, which separates the cost of that jump from the cost of the glue's code.
 *
 * jemalloc's functions have the names this library defines, so they are called through a table
 * found with dlsym, as the binding calls them. A benchmark baseline only, not an interposer to
 * use. Build with exactly one of -DFWD_GLIBC, -DFWD_MIMALLOC, -DFWD_TCMALLOC, -DFWD_JEMALLOC,
 * -DFWD_TBB and link the allocator. */
#include <errno.h>
#include <stddef.h>

#define FWD_EXPORT __attribute__((visibility("default")))

#if defined(FWD_GLIBC)
void *__libc_malloc(size_t size);
void __libc_free(void *ptr);
void *__libc_calloc(size_t count, size_t size);
void *__libc_realloc(void *ptr, size_t size);
void *__libc_memalign(size_t alignment, size_t size);
#define FWD_MALLOC(size) __libc_malloc(size)
#define FWD_FREE(ptr) __libc_free(ptr)
#define FWD_CALLOC(count, size) __libc_calloc(count, size)
#define FWD_REALLOC(ptr, size) __libc_realloc(ptr, size)
#define FWD_MEMALIGN(alignment, size) __libc_memalign(alignment, size)
#elif defined(FWD_MIMALLOC)
void *mi_malloc(size_t size);
void mi_free(void *ptr);
void *mi_calloc(size_t count, size_t size);
void *mi_realloc(void *ptr, size_t size);
void *mi_malloc_aligned(size_t size, size_t alignment);
size_t mi_usable_size(const void *ptr);
#define FWD_MALLOC(size) mi_malloc(size)
#define FWD_FREE(ptr) mi_free(ptr)
#define FWD_CALLOC(count, size) mi_calloc(count, size)
#define FWD_REALLOC(ptr, size) mi_realloc(ptr, size)
#define FWD_MEMALIGN(alignment, size) mi_malloc_aligned(size, alignment)
#define FWD_USABLE_SIZE(ptr) mi_usable_size(ptr)
#elif defined(FWD_TCMALLOC)
void *tc_malloc(size_t size);
void tc_free(void *ptr);
void *tc_calloc(size_t count, size_t size);
void *tc_realloc(void *ptr, size_t size);
void *tc_memalign(size_t alignment, size_t size);
size_t tc_malloc_size(void *ptr);
#define FWD_MALLOC(size) tc_malloc(size)
#define FWD_FREE(ptr) tc_free(ptr)
#define FWD_CALLOC(count, size) tc_calloc(count, size)
#define FWD_REALLOC(ptr, size) tc_realloc(ptr, size)
#define FWD_MEMALIGN(alignment, size) tc_memalign(alignment, size)
#define FWD_USABLE_SIZE(ptr) tc_malloc_size(ptr)
#elif defined(FWD_JEMALLOC)
/* jemalloc's own malloc, free, ... (the binding's entries since it binds `library:
 * libjemalloc.so.2`): this library defines the same names, so they are found in libjemalloc.so.2
 * with dlsym, at the first call (the library is loaded already: this one links it). dlopen and
 * dlsym allocate: while they run, blocks come from a static area (never freed), as in the glue. */
#include <dlfcn.h>
#include <stdint.h>
#include <string.h>
static struct {
    void *(*malloc)(size_t);
    void (*free)(void *);
    void *(*calloc)(size_t, size_t);
    void *(*realloc)(void *, size_t);
    void *(*aligned_alloc)(size_t, size_t);
    size_t (*usable_size)(void *);
} je;
static _Alignas(64) unsigned char fwd_area[1 << 16];
static size_t fwd_used;
static int fwd_resolving;
static void *fwd_area_alloc(size_t size) {
    size_t at = (fwd_used + 15) & ~(size_t)15;
    if (size > sizeof fwd_area - at)
        return NULL;
    fwd_used = at + size;
    return fwd_area + at;
}
static int fwd_in_area(const void *ptr) {
    return (uintptr_t)ptr - (uintptr_t)fwd_area < sizeof fwd_area;
}
static void fwd_resolve(void) {
    static const char *const names[] = {"malloc", "free", "calloc", "realloc", "aligned_alloc", "malloc_usable_size"};
    void *(**slots[])(void) = {(void *(**)(void)) & je.malloc,        (void *(**)(void)) & je.free,
                               (void *(**)(void)) & je.calloc,        (void *(**)(void)) & je.realloc,
                               (void *(**)(void)) & je.aligned_alloc, (void *(**)(void)) & je.usable_size};
    fwd_resolving = 1;
    void *library = dlopen("libjemalloc.so.2", RTLD_NOW | RTLD_NOLOAD);
    for (int i = 5; i >= 0; i--) { /* malloc last: it says the table is complete */
        void *found = dlsym(library, names[i]);
        memcpy(slots[i], &found, sizeof found);
    }
    fwd_resolving = 0;
}
static inline int fwd_ready(void) {
    if (__builtin_expect(je.malloc != NULL, 1))
        return 1;
    if (!fwd_resolving)
        fwd_resolve();
    return je.malloc != NULL;
}
#define FWD_MALLOC(size) (fwd_ready() ? je.malloc(size) : fwd_area_alloc(size))
#define FWD_FREE(ptr) (fwd_in_area(ptr) ? (void)0 : je.free(ptr))
#define FWD_CALLOC(count, size) (fwd_ready() ? je.calloc(count, size) : fwd_area_alloc((count) * (size)))
#define FWD_REALLOC(ptr, size) (fwd_ready() && !fwd_in_area(ptr) ? je.realloc(ptr, size) : fwd_area_alloc(size))
#define FWD_MEMALIGN(alignment, size) (fwd_ready() ? je.aligned_alloc(alignment, size) : NULL)
#define FWD_USABLE_SIZE(ptr) (fwd_in_area(ptr) ? 0 : je.usable_size(ptr))
#elif defined(FWD_TBB)
/* the scalable_* API the binding uses (libtbbmalloc.so.2) */
void *scalable_malloc(size_t size);
void scalable_free(void *ptr);
void *scalable_calloc(size_t count, size_t size);
void *scalable_realloc(void *ptr, size_t size);
void *scalable_aligned_malloc(size_t size, size_t alignment);
size_t scalable_msize(void *ptr);
#define FWD_MALLOC(size) scalable_malloc(size)
#define FWD_FREE(ptr) scalable_free(ptr)
#define FWD_CALLOC(count, size) scalable_calloc(count, size)
#define FWD_REALLOC(ptr, size) scalable_realloc(ptr, size)
#define FWD_MEMALIGN(alignment, size) scalable_aligned_malloc(size, alignment)
#define FWD_USABLE_SIZE(ptr) scalable_msize(ptr)
#else
#error "define one of FWD_GLIBC, FWD_MIMALLOC, FWD_TCMALLOC, FWD_JEMALLOC, FWD_TBB"
#endif

FWD_EXPORT void *malloc(size_t size) {
    return FWD_MALLOC(size);
}
FWD_EXPORT void free(void *ptr) {
    FWD_FREE(ptr);
}
FWD_EXPORT void *calloc(size_t count, size_t size) {
    return FWD_CALLOC(count, size);
}
FWD_EXPORT void *realloc(void *ptr, size_t size) {
    return FWD_REALLOC(ptr, size);
}
FWD_EXPORT void *memalign(size_t alignment, size_t size) {
    return FWD_MEMALIGN(alignment, size);
}
FWD_EXPORT void *aligned_alloc(size_t alignment, size_t size) {
    return FWD_MEMALIGN(alignment, size);
}

FWD_EXPORT int posix_memalign(void **out, size_t alignment, size_t size) {
    void *ptr = FWD_MEMALIGN(alignment, size);
    if (ptr == NULL)
        return ENOMEM;
    *out = ptr;
    return 0;
}

#ifdef FWD_USABLE_SIZE
FWD_EXPORT size_t malloc_usable_size(void *ptr) {
    return FWD_USABLE_SIZE(ptr);
}
#endif
