/* A small allocator for the checked build's tests (tests/checked/README.md): correct, but for one
 * defect chosen at compile time with CHK_BREAK. Blocks are carved from one mapping under a spin
 * lock and never reused; a 16-byte header before each block holds the size requested and the
 * usable size. Each defect is keyed to a request only the driver makes (driver.c), so everything
 * else the process allocates is served correctly and the checks see one broken contract. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CHK_NONE 0
#define CHK_USABLE_SIZE 1     /* usable_size of a block of 1001 bytes is 8 bytes short */
#define CHK_ALIGNED 2         /* the aligned entry returns aligned_alloc(64, 1003) only 16-aligned */
#define CHK_MALLOC_ALIGN 3    /* malloc(1008) is 8-aligned, against guarantees.alignment: 16 */
#define CHK_OWNS_OWN 4        /* owns is 0 for its own block of 1002 bytes */
#define CHK_OWNS_STACK 5      /* owns is 1 for addresses on the calling thread's stack */
#define CHK_OWNS_STATIC 6     /* owns is 1 for static variables (near its own) */
#define CHK_OWNS_HEAP 7       /* owns is 1 for glibc's heap (from the break when it started to the current one) */
#define CHK_CALLOC 8          /* calloc(5, 201) returns a block whose last byte is not zero */
#define CHK_ERRNO 9           /* a request larger than the mapping fails without errno (guarantees.sets_errno: true) */
#define CHK_FREE_ERRNO 10     /* free of a block of 1007 bytes sets errno (guarantees.free_preserves_errno: true) */
#define CHK_USABLE_CHANGES 11 /* usable_size of a block of 1006 bytes grows by 16 after its first call */
#define CHK_ALL 99            /* every defect at once (the unchecked build: none is noticed) */
#ifndef CHK_BREAK
#define CHK_BREAK CHK_NONE
#endif
#define BROKEN(defect) (CHK_BREAK == (defect) || CHK_BREAK == CHK_ALL)

#define ARENA_SIZE ((size_t)1 << 30)

struct chk_header {
    size_t size;   /* requested */
    size_t usable; /* from the block's start to the end of its space */
};

static char *_Atomic arena;      /* the mapping, made on the first request */
static char *_Atomic arena_next; /* where the next block's header may start */
static char *arena_end;
static char *_Atomic heap_start; /* the program break when the mapping was made */
static atomic_flag arena_lock = ATOMIC_FLAG_INIT;
static _Atomic unsigned changed_usable_calls;
static char static_anchor; /* CHK_OWNS_STATIC claims the static variables around it */

static struct chk_header *header_of(const void *ptr) {
    return (struct chk_header *)((uintptr_t)ptr - sizeof(struct chk_header));
}

/* A block of `size` bytes aligned to `alignment`, then moved `shift` bytes further (a defect). */
static void *chk_alloc(size_t alignment, size_t size, size_t shift) {
    if (size > ARENA_SIZE) {
        if (!BROKEN(CHK_ERRNO))
            errno = ENOMEM;
        return NULL;
    }
    size_t usable = size == 0 ? 16 : (size + 15) & ~(size_t)15; /* a block of 0 bytes has room too */
    while (atomic_flag_test_and_set_explicit(&arena_lock, memory_order_acquire)) {
    }
    char *base = atomic_load_explicit(&arena, memory_order_relaxed);
    if (base == NULL) {
        base = mmap(NULL, ARENA_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (base == MAP_FAILED) {
            atomic_flag_clear_explicit(&arena_lock, memory_order_release);
            errno = ENOMEM;
            return NULL;
        }
        atomic_store_explicit(&heap_start, sbrk(0), memory_order_relaxed);
        arena_end = base + ARENA_SIZE;
        atomic_store_explicit(&arena_next, base, memory_order_relaxed);
        atomic_store_explicit(&arena, base, memory_order_release);
    }
    char *next = atomic_load_explicit(&arena_next, memory_order_relaxed);
    uintptr_t start = ((uintptr_t)next + sizeof(struct chk_header) + alignment - 1) & ~(uintptr_t)(alignment - 1);
    if (start + shift > (uintptr_t)arena_end || (uintptr_t)arena_end - start - shift < usable) {
        atomic_flag_clear_explicit(&arena_lock, memory_order_release);
        errno = ENOMEM;
        return NULL;
    }
    atomic_store_explicit(&arena_next, (char *)(start + shift + usable), memory_order_release);
    atomic_flag_clear_explicit(&arena_lock, memory_order_release);
    char *block = (char *)(start + shift);
    struct chk_header *header = header_of(block);
    header->size = size;
    header->usable = usable;
    return block;
}

void *chk_malloc(size_t size) {
    if (BROKEN(CHK_MALLOC_ALIGN) && size == 1008)
        return chk_alloc(16, size, 8);
    return chk_alloc(16, size, 0);
}

void *chk_aligned(size_t alignment, size_t size) {
    if (BROKEN(CHK_ALIGNED) && alignment == 64 && size == 1003)
        return chk_alloc(64, size, 16);
    return chk_alloc(alignment, size, 0);
}

/* Fresh memory from the mapping is zero: nothing is reused. */
void *chk_calloc(size_t count, size_t size) {
    size_t total = count * size; /* the glue checked it for overflow */
    char *block = chk_alloc(16, total, 0);
    if (block != NULL && BROKEN(CHK_CALLOC) && count == 5 && size == 201)
        block[total - 1] = (char)0xa5;
    return block;
}

void *chk_realloc(void *ptr, size_t size) {
    size_t old = header_of(ptr)->size;
    void *fresh = chk_alloc(16, size, 0);
    if (fresh != NULL)
        memcpy(fresh, ptr, old < size ? old : size);
    return fresh;
}

void chk_free(void *ptr) {
    if (BROKEN(CHK_FREE_ERRNO) && header_of(ptr)->size == 1007)
        errno = EINVAL;
}

void chk_free_sized(void *ptr, size_t size) {
    (void)size;
    chk_free(ptr);
}

void chk_free_aligned_sized(void *ptr, size_t alignment, size_t size) {
    (void)alignment;
    (void)size;
    chk_free(ptr);
}

size_t chk_usable_size(void *ptr) {
    struct chk_header *header = header_of(ptr);
    if (BROKEN(CHK_USABLE_SIZE) && header->size == 1001)
        return header->size - 8;
    if (BROKEN(CHK_USABLE_CHANGES) && header->size == 1006 &&
        atomic_fetch_add_explicit(&changed_usable_calls, 1, memory_order_relaxed) > 0)
        return header->usable + 16;
    return header->usable;
}

int chk_owns(const void *ptr) {
    uintptr_t p = (uintptr_t)ptr;
    char *base = atomic_load_explicit(&arena, memory_order_acquire);
    if (base != NULL && p >= (uintptr_t)base + sizeof(struct chk_header) &&
        p < (uintptr_t)atomic_load_explicit(&arena_next, memory_order_acquire)) {
        if (BROKEN(CHK_OWNS_OWN) && header_of(ptr)->size == 1002)
            return 0;
        return 1;
    }
    if (BROKEN(CHK_OWNS_STACK)) {
        char here = 0;
        uintptr_t frame = (uintptr_t)&here;
        if (p - (frame - ((uintptr_t)1 << 20)) < ((uintptr_t)2 << 20))
            return 1;
    }
    if (BROKEN(CHK_OWNS_STATIC)) {
        uintptr_t anchor = (uintptr_t)&static_anchor;
        if (p - (anchor - ((uintptr_t)64 << 20)) < ((uintptr_t)128 << 20))
            return 1;
    }
    if (BROKEN(CHK_OWNS_HEAP)) {
        char *heap = atomic_load_explicit(&heap_start, memory_order_relaxed);
        if (heap != NULL && p >= (uintptr_t)heap && p < (uintptr_t)sbrk(0))
            return 1;
    }
    return 0;
}
