/* SPDX-License-Identifier: MIT */
/* alloc8 runtime: the registry of live allocators, so a block is freed by the allocator that owns
 * it, whichever allocator is current. Arenas and counting allocators register themselves; an
 * allocator of your own registers after creating itself and unregisters before it is destroyed
 * (its owns() must then be safe to call from any thread). */
#ifndef ALLOC8_REGISTRY_H
#define ALLOC8_REGISTRY_H

#include "alloc8/allocator.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 0, or -1 with alloc8_last_error() set (out of memory). Registering twice is harmless. */
int alloc8_register(alloc8_allocator *a);
void alloc8_unregister(alloc8_allocator *a);

/* The registered allocator that owns ptr, or NULL (GC memory, system memory, anything else).
 * Costs a lock and one owns() per live allocator: the heap asks the current allocator first. */
alloc8_allocator *alloc8_owner(const void *ptr);

#ifdef __cplusplus
}
#endif

#endif
