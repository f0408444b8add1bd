/* SPDX-License-Identifier: MIT */
/* A deliberately wrong allocator for the build check of the entries (linux.check_entries.*): three
 * of its entries call back into the glue, each in its own way, and `alloc8-gen --check-entries`
 * (run by alloc8_add_interposer before linking) must name each entry with its callee:
 *   entry.malloc   ce_malloc -> ce_refill (a static helper, never inlined) -> __libc_malloc
 *   entry.free     ce_free -> strdup (a libc function that allocates through malloc)
 *   entry.aligned  ce_memalign -> __libc_memalign as a tail call (a jump, not a call, at -O2)
 * entry.usable_size is correct. Never run: the first program it served would hang on ce_lock.
 * Only freestanding headers, so that it compiles for other architectures without their C library
 * (tests/linux/test_check_entries.py reads it as aarch64 code too). */
#include <stdatomic.h>
#include <stddef.h>

void *__libc_malloc(size_t size);
void *__libc_memalign(size_t alignment, size_t size);
char *strdup(const char *s);

static atomic_flag ce_lock = ATOMIC_FLAG_INIT;
static char ce_note[16] = "freed";
char *ce_last_note; /* not static: the compiler must keep the strdup */

static void ce_acquire(void) {
    while (atomic_flag_test_and_set_explicit(&ce_lock, memory_order_acquire)) {
    }
}

static void ce_release(void) {
    atomic_flag_clear_explicit(&ce_lock, memory_order_release);
}

/* Wrong: the glue exports __libc_malloc (as glibc does), so this is the glue's malloc again. */
static __attribute__((noinline)) void *ce_refill(size_t size) {
    unsigned char *raw = __libc_malloc(size + 16);
    if (raw == NULL)
        return NULL;
    *(size_t *)(void *)raw = size;
    return raw + 16;
}

void *ce_malloc(size_t size) {
    ce_acquire();
    void *ptr = ce_refill(size);
    ce_release();
    return ptr;
}

/* Wrong: strdup allocates its copy through malloc, under ce_lock. */
void ce_free(void *ptr) {
    ce_acquire();
    ce_last_note = strdup(ce_note);
    ce_release();
    (void)ptr;
}

size_t ce_usable_size(void *ptr) {
    return *(size_t *)(void *)((unsigned char *)ptr - 16);
}

/* Wrong, and the call is the function's last action: a tail call, compiled as a jump. */
void *ce_memalign(size_t alignment, size_t size) {
    return __libc_memalign(alignment, size);
}
