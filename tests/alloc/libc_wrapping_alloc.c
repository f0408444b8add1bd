/* SPDX-License-Identifier: MIT */
/* A debugging-style allocator that wraps glibc's malloc the way many do: its entries take a lock,
 * count, put a header with the size in front of each block, and get the memory from __libc_malloc.
 * Behind the interposer __libc_malloc is the interposer's own (as in glibc), so the call would come
 * back into lw_malloc under the lock and hang. linux.self_call runs a program under it with the
 * build check off (CHECK_ENTRIES OFF): the glue's trap must stop it with a message naming
 * __libc_malloc, never hang. */
#include <pthread.h>
#include <stddef.h>

void *__libc_malloc(size_t size);
void __libc_free(void *ptr);

#define LW_HEADER 16

static pthread_mutex_t lw_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long lw_blocks;

void *lw_malloc(size_t size) {
    pthread_mutex_lock(&lw_lock);
    unsigned char *raw = __libc_malloc(size + LW_HEADER);
    lw_blocks += raw != NULL;
    pthread_mutex_unlock(&lw_lock);
    if (raw == NULL)
        return NULL;
    *(size_t *)(void *)raw = size;
    return raw + LW_HEADER;
}

void lw_free(void *ptr) {
    if (ptr == NULL)
        return;
    pthread_mutex_lock(&lw_lock);
    lw_blocks--;
    __libc_free((unsigned char *)ptr - LW_HEADER);
    pthread_mutex_unlock(&lw_lock);
}

size_t lw_usable_size(void *ptr) {
    return *(size_t *)(void *)((unsigned char *)ptr - LW_HEADER);
}

void *lw_memalign(size_t alignment, size_t size) {
    (void)alignment; /* never reached: the first lw_malloc stops the program */
    (void)size;
    return NULL;
}
