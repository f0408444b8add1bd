/* SPDX-License-Identifier: MIT */
/* alloc8 runtime: the Boehm GC side. A thread whose stack or arena may hold the only reference
 * to a GC object must be registered with the GC; these make that automatic and idempotent. */
#ifndef ALLOC8_GC_H
#define ALLOC8_GC_H

#ifdef __cplusplus
extern "C" {
#endif

/* Non-zero iff this runtime was built with the Boehm GC. */
int alloc8_gc_available(void);

/* GC_INIT() once and allow threads to register. Call it from the main thread before starting
 * threads (Boehm finds the main thread's stack from the thread that initialises it); it is also
 * done on first use. Returns 0, or -1 (no GC in this runtime). */
int alloc8_gc_init(void);

/* Register the calling thread with the GC unless it already is (GC_pthread_create, the main
 * thread, an earlier call); a thread registered here is unregistered when it exits. Returns 0, or
 * -1 with alloc8_last_error() set. */
int alloc8_gc_register_thread(void);

#ifdef __cplusplus
}
#endif

#endif
