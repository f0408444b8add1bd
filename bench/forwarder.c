/* SPDX-License-Identifier: MIT */
/* The floor for any malloc replacement that lives in its own shared library and calls an
 * allocator in another one: each function is a bare tail call into the allocator's API, with
 * none of the generated glue's checks (errno, alignment, zero sizes, C++ operators). Every call
 * pays one extra indirect jump (program -> this library -> the allocator's library) that the
 * allocator's own preload library does not. bench/allocators.sh measures this library next to
 * the generated binding, which separates the cost of that jump from the cost of the glue's code.
 *
 * A benchmark baseline only, not an interposer to use. Build with exactly one of
 * -DFWD_GLIBC, -DFWD_MIMALLOC, -DFWD_TCMALLOC, -DFWD_JEMALLOC and link the allocator. */
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
/* the same *allocx API the binding uses; jemalloc's *allocx need a size of at least 1 */
void *mallocx(size_t size, int flags);
void dallocx(void *ptr, int flags);
void *rallocx(void *ptr, size_t size, int flags);
size_t sallocx(const void *ptr, int flags);
#define FWD_MALLOC(size) mallocx((size) + ((size) == 0), 0)
#define FWD_FREE(ptr) ((ptr) != NULL ? dallocx(ptr, 0) : (void)0)
#define FWD_CALLOC(count, size) mallocx((count) * (size) + ((count) * (size) == 0), 0x40) /* MALLOCX_ZERO */
#define FWD_REALLOC(ptr, size)                                                                                         \
    ((ptr) == NULL ? mallocx((size) + ((size) == 0), 0) : rallocx(ptr, (size) + ((size) == 0), 0))
#define FWD_MEMALIGN(alignment, size) mallocx((size) + ((size) == 0), __builtin_ctzll(alignment))
#define FWD_USABLE_SIZE(ptr) ((ptr) != NULL ? sallocx(ptr, 0) : 0)
#else
#error "define one of FWD_GLIBC, FWD_MIMALLOC, FWD_TCMALLOC, FWD_JEMALLOC"
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
