/* SPDX-License-Identifier: MIT */
/* A small spinlock that yields under contention. Unlike a mutex it can be released by any thread,
 * which is what the fork child handler does (the thread that locked it does not exist there). */
#ifndef DEMO_LOCK_H
#define DEMO_LOCK_H

#include "demo_os.h"

#include <stdatomic.h>

typedef struct {
    atomic_int held;
} demo_lock_t;

/* not formatted: clang-format 14 takes a macro's braced initialiser for a block */
/* clang-format off */
#define DEMO_LOCK_INIT {0}
/* clang-format on */

static inline void demo_lock(demo_lock_t *lock) {
    while (atomic_exchange_explicit(&lock->held, 1, memory_order_acquire)) {
        for (int spins = 0; atomic_load_explicit(&lock->held, memory_order_relaxed); spins++) {
            if (spins > 100) {
                demo_os_yield();
                spins = 0;
            }
        }
    }
}

static inline void demo_unlock(demo_lock_t *lock) {
    atomic_store_explicit(&lock->held, 0, memory_order_release);
}

#endif
