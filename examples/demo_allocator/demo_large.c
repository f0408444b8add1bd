/* SPDX-License-Identifier: MIT */
/* Large blocks: one mmap each, with a header just before the user pointer. A lock-protected
 * open-addressing set of the live large pointers makes ownership exact and safe for any pointer
 * value (reading a header in front of a foreign pointer could fault). */
#define _GNU_SOURCE
#include "demo_internal.h"

#define DEMO_LARGE_MAGIC ((size_t)0xA110C8DE30B10C5ull)
#define DEMO_EMPTY ((uintptr_t)0)
#define DEMO_TOMBSTONE ((uintptr_t)1)

struct demo_large_header {
    void *map_base;
    size_t map_length;
    size_t usable;
    size_t magic;
};

static demo_lock_t demo_set_lock = DEMO_LOCK_INIT;
static uintptr_t *demo_set;      /* capacity slots, a power of two */
static size_t demo_set_capacity; /* 0 until the first large block */
static size_t demo_set_used;     /* live + tombstones */

static size_t demo_slot(uintptr_t key, size_t capacity) {
    return (size_t)((key >> 4) * 0x9E3779B97F4A7C15ull) & (capacity - 1);
}

/* Rebuild the set with room for twice the live entries (tombstones dropped). */
static int demo_set_grow(size_t live) {
    size_t capacity = 1024;
    while (capacity < live * 4)
        capacity *= 2;
    uintptr_t *slots = demo_os_map(capacity * sizeof *slots);
    if (slots == NULL)
        return 0;
    for (size_t i = 0; i < demo_set_capacity; i++) {
        uintptr_t key = demo_set[i];
        if (key > DEMO_TOMBSTONE) {
            size_t s = demo_slot(key, capacity);
            while (slots[s] != DEMO_EMPTY)
                s = (s + 1) & (capacity - 1);
            slots[s] = key;
        }
    }
    if (demo_set)
        demo_os_unmap(demo_set, demo_set_capacity * sizeof *demo_set);
    demo_set = slots;
    demo_set_capacity = capacity;
    demo_set_used = live;
    return 1;
}

static size_t demo_set_live(void) {
    size_t live = 0;
    for (size_t i = 0; i < demo_set_capacity; i++)
        live += demo_set[i] > DEMO_TOMBSTONE;
    return live;
}

static int demo_set_insert(uintptr_t key) {
    int held = demo_lock_shared(&demo_set_lock);
    if ((demo_set_used + 1) * 2 > demo_set_capacity && !demo_set_grow(demo_set_live() + 1)) {
        demo_unlock_shared(&demo_set_lock, held);
        return 0;
    }
    size_t s = demo_slot(key, demo_set_capacity);
    while (demo_set[s] > DEMO_TOMBSTONE)
        s = (s + 1) & (demo_set_capacity - 1);
    if (demo_set[s] == DEMO_EMPTY)
        demo_set_used++;
    demo_set[s] = key;
    demo_unlock_shared(&demo_set_lock, held);
    return 1;
}

/* Returns 1 if key was present (and removes it when `remove`). */
static int demo_set_find(uintptr_t key, int remove) {
    int found = 0;
    int held = demo_lock_shared(&demo_set_lock);
    if (demo_set_capacity) {
        for (size_t s = demo_slot(key, demo_set_capacity); demo_set[s] != DEMO_EMPTY;
             s = (s + 1) & (demo_set_capacity - 1)) {
            if (demo_set[s] == key) {
                found = 1;
                if (remove)
                    demo_set[s] = DEMO_TOMBSTONE;
                break;
            }
        }
    }
    demo_unlock_shared(&demo_set_lock, held);
    return found;
}

void *demo_large_alloc(size_t size, size_t alignment) {
    size_t page = demo_os_page_size();
    if (alignment < 16)
        alignment = 16;
    size_t offset = sizeof(struct demo_large_header);
    offset = (offset + alignment - 1) & ~(alignment - 1);   /* header room, aligned */
    size_t slack = alignment > page ? alignment - page : 0; /* mmap is only page aligned */
    if (size > SIZE_MAX / 2 || offset + slack > SIZE_MAX / 2 - size)
        return NULL;
    size_t length = (offset + slack + size + page - 1) & ~(page - 1);
    char *base = demo_os_map(length);
    if (base == NULL)
        return NULL;
    uintptr_t user = ((uintptr_t)base + sizeof(struct demo_large_header) + alignment - 1) & ~(uintptr_t)(alignment - 1);
    struct demo_large_header *h = (struct demo_large_header *)user - 1;
    h->map_base = base;
    h->map_length = length;
    h->usable = (uintptr_t)base + length - user;
    h->magic = DEMO_LARGE_MAGIC;
    if (!demo_set_insert(user)) {
        demo_os_unmap(base, length);
        return NULL;
    }
    return (void *)user;
}

void demo_large_free(void *ptr) {
    if (!demo_set_find((uintptr_t)ptr, 1))
        return; /* not a live large block of ours: ignore rather than corrupt */
    struct demo_large_header *h = (struct demo_large_header *)ptr - 1;
    h->magic = 0;
    demo_os_unmap(h->map_base, h->map_length);
}

size_t demo_large_usable_size(const void *ptr) {
    return ((const struct demo_large_header *)ptr - 1)->usable;
}

int demo_large_owns(const void *ptr) {
    return (uintptr_t)ptr > DEMO_TOMBSTONE && demo_set_find((uintptr_t)ptr, 0);
}

void demo_large_lock(void) {
    demo_lock(&demo_set_lock);
}
void demo_large_unlock(void) {
    demo_unlock(&demo_set_lock);
}
