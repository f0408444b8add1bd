/* SPDX-License-Identifier: MIT */
/* The registry of live allocators: a small array under a mutex. Allocators come and go rarely;
 * lookups happen only for frees the current allocator does not own. */
#include "alloc8/registry.h"
#include "internal.h"

#include <stdlib.h>

static alloc8_rt_lock registry_lock = ALLOC8_RT_LOCK_INIT;
static alloc8_allocator **registry;
static size_t registry_count, registry_capacity;

int alloc8_register(alloc8_allocator *a) {
    int rc = 0;
    alloc8_rt_lock_acquire(&registry_lock);
    size_t i = 0;
    while (i < registry_count && registry[i] != a)
        i++;
    if (i == registry_count) {
        if (registry_count == registry_capacity) {
            size_t capacity = registry_capacity ? 2 * registry_capacity : 16;
            alloc8_allocator **grown = realloc(registry, capacity * sizeof *grown);
            if (grown == NULL) {
                alloc8_rt_error("alloc8 registry: out of memory registering an allocator");
                rc = -1;
                goto out;
            }
            registry = grown;
            registry_capacity = capacity;
        }
        registry[registry_count++] = a;
    }
out:
    alloc8_rt_lock_release(&registry_lock);
    return rc;
}

void alloc8_unregister(alloc8_allocator *a) {
    alloc8_rt_lock_acquire(&registry_lock);
    for (size_t i = 0; i < registry_count; i++)
        if (registry[i] == a) {
            registry[i] = registry[--registry_count];
            break;
        }
    alloc8_rt_lock_release(&registry_lock);
}

alloc8_allocator *alloc8_owner(const void *ptr) {
    alloc8_allocator *owner = NULL;
    alloc8_rt_lock_acquire(&registry_lock);
    for (size_t i = 0; i < registry_count && owner == NULL; i++)
        if (alloc8_owns(registry[i], ptr))
            owner = registry[i];
    alloc8_rt_lock_release(&registry_lock);
    return owner;
}
