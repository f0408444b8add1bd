/* SPDX-License-Identifier: MIT */
/* An allocator whose malloc entry calls malloc itself, for its bookkeeping, under its lock: behind
 * the interposer that is the entry again (linux.self_call.malloc). Its entry.init also calls malloc,
 * which is allowed (served from the glue's bootstrap area): the run-time check must stop the first
 * and let the second through. Bump allocation from a static arena; never frees. */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define SC_ARENA (1u << 20)

static pthread_mutex_t sc_lock = PTHREAD_MUTEX_INITIALIZER;
static _Alignas(16) unsigned char sc_arena[SC_ARENA];
static size_t sc_used;
static void *sc_init_note;
size_t *sc_last_record; /* not static: the compiler must keep the malloc */

void *sc_init_note_get(void);
void *sc_init_note_get(void) {
    return sc_init_note;
}

void sc_init(void) {
    sc_init_note = malloc(32); /* allowed: init's calls come from the bootstrap area */
}

static void *sc_bump(size_t size) {
    size = (size + 15) & ~(size_t)15;
    if (size > SC_ARENA - sc_used)
        return NULL;
    void *ptr = sc_arena + sc_used;
    sc_used += size;
    return ptr;
}

void *sc_malloc(size_t size) {
    pthread_mutex_lock(&sc_lock);
    size_t *record = malloc(sizeof *record); /* wrong: this is sc_malloc again, under sc_lock */
    void *ptr = sc_bump(size);
    if (record != NULL)
        *record = size;
    sc_last_record = record;
    pthread_mutex_unlock(&sc_lock);
    return ptr;
}

void sc_free(void *ptr) {
    (void)ptr;
}

size_t sc_usable_size(void *ptr) {
    (void)ptr;
    return 0;
}

void *sc_memalign(size_t alignment, size_t size) {
    (void)alignment;
    return sc_malloc(size);
}

int sc_owns(void *ptr) {
    return (uintptr_t)ptr - (uintptr_t)sc_arena < SC_ARENA;
}
