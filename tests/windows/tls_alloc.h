/* SPDX-License-Identifier: MIT */
/* tls_alloc.c: the entry points tls_alloc.yaml binds, and the counters tls_threads.c reads. */
#ifndef TLS_ALLOC_H
#define TLS_ALLOC_H

#include <stddef.h>

#if defined(TLS_ALLOC_STATIC) && TLS_ALLOC_STATIC
#define TLS_ALLOC_API
#else
#define TLS_ALLOC_API __declspec(dllexport)
#endif

void *tls_malloc(size_t size);
void *tls_memalign(size_t alignment, size_t size);
void tls_free(void *ptr);
size_t tls_usable_size(void *ptr);
int tls_owns(const void *ptr);
void tls_thread_init(void);
void tls_thread_cleanup(void);

struct tls_alloc_stats {
    unsigned long long malloc_calls, free_calls; /* every call, with or without a cache */
    unsigned long long thread_inits, thread_cleanups;
    unsigned long long blocks_returned; /* cached blocks handed back by cleanup */
};

/* The calling thread's view of its thread-local state. */
struct tls_alloc_thread {
    int active;
    unsigned inits, cleanups;
};

TLS_ALLOC_API void tls_alloc_stats_get(struct tls_alloc_stats *out);
TLS_ALLOC_API void tls_alloc_thread_get(struct tls_alloc_thread *out);
TLS_ALLOC_API int tls_alloc_owns(const void *ptr);

#endif
