/* SPDX-License-Identifier: MIT */
/* Shared between the runtime's source files; not installed. */
#ifndef ALLOC8_RT_INTERNAL_H
#define ALLOC8_RT_INTERNAL_H

#include "alloc8/arena.h"

#include <stdatomic.h>
#include <stddef.h>

/* Sizes in messages are printed with %llu: mingw-w64 checks formats against msvcrt's printf, which
 * has no %zu. */
#define ALLOC8_RT_SIZE(n) ((unsigned long long)(n))

/* A mutex: pthread's, or on Windows an SRW lock (no pthreads library needed there). */
#ifdef _WIN32
#include <windows.h>
typedef SRWLOCK alloc8_rt_lock;
#define ALLOC8_RT_LOCK_INIT SRWLOCK_INIT
static inline void alloc8_rt_lock_init(alloc8_rt_lock *lock) {
    InitializeSRWLock(lock);
}
static inline void alloc8_rt_lock_destroy(alloc8_rt_lock *lock) {
    (void)lock;
}
static inline void alloc8_rt_lock_acquire(alloc8_rt_lock *lock) {
    AcquireSRWLockExclusive(lock);
}
static inline void alloc8_rt_lock_release(alloc8_rt_lock *lock) {
    ReleaseSRWLockExclusive(lock);
}
#else
#include <pthread.h>
typedef pthread_mutex_t alloc8_rt_lock;
#define ALLOC8_RT_LOCK_INIT PTHREAD_MUTEX_INITIALIZER
static inline void alloc8_rt_lock_init(alloc8_rt_lock *lock) {
    pthread_mutex_init(lock, NULL);
}
static inline void alloc8_rt_lock_destroy(alloc8_rt_lock *lock) {
    pthread_mutex_destroy(lock);
}
static inline void alloc8_rt_lock_acquire(alloc8_rt_lock *lock) {
    pthread_mutex_lock(lock);
}
static inline void alloc8_rt_lock_release(alloc8_rt_lock *lock) {
    pthread_mutex_unlock(lock);
}
#endif

/* Record a message for alloc8_last_error() on this thread (printf-style). */
void alloc8_rt_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* A piece of arena memory: the header sits at the start of the block it describes. Chunks are
 * only ever added to an arena's lists (and freed all together by destroy), so another thread may
 * walk them (owns, the GC's root scan) while the owner allocates. */
typedef struct alloc8_rt_chunk {
    struct alloc8_rt_chunk *_Atomic next; /* the next chunk of the same list */
    char *data, *end;                     /* usable bytes */
    char *top;                            /* bump pointer saved when the chunk is not current */
} alloc8_rt_chunk;

/* What the GC root code needs to know about one arena: every chunk it holds, on two lists. */
typedef struct alloc8_rt_roots {
    struct alloc8_rt_roots *prev, *next; /* all arenas with the push_callback strategy */
    alloc8_rt_chunk *_Atomic *lists[2];  /* heads of the arena's normal and large chunk lists */
} alloc8_rt_roots;

/* gc.c: chunk memory per strategy. chunk_alloc returns `bytes` zeroed bytes made visible to the
 * GC as the strategy says (NULL with the error recorded); chunk_free undoes it. */
void *alloc8_rt_chunk_alloc(alloc8_roots strategy, size_t bytes);
void alloc8_rt_chunk_free(alloc8_roots strategy, void *memory, size_t bytes);
/* push_callback: make the GC scan (or stop scanning) every chunk on `roots`' lists. */
int alloc8_rt_roots_attach(alloc8_rt_roots *roots);
void alloc8_rt_roots_detach(alloc8_rt_roots *roots);

#endif
