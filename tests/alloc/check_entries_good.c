/* SPDX-License-Identifier: MIT */
/* A correct allocator for the build check of the entries (linux.check_entries.*): every block is a
 * mapping of its own, with its size in a header page, and nothing an entry calls leads back into
 * the glue. entry.init may allocate (its calls are served from the bootstrap area): cg_init keeps
 * a copy of an environment variable made with strdup, and the check must not flag it. */
#define _GNU_SOURCE
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct cg_header {
    void *map;   /* the start of the mapping */
    size_t len;  /* its length */
    size_t size; /* the size requested */
};

static size_t cg_page;
static char *cg_setting;
static atomic_size_t cg_live;

void cg_init(void) {
    cg_page = (size_t)sysconf(_SC_PAGESIZE);
    const char *value = getenv("CHECK_ENTRIES_GOOD");
    cg_setting = strdup(value != NULL ? value : "default"); /* fine here: served from the bootstrap area */
}

static void *cg_map(size_t alignment, size_t size) {
    size_t page = cg_page != 0 ? cg_page : 4096;
    if (alignment < page)
        alignment = page;
    if (size > SIZE_MAX / 2 - 2 * alignment)
        return NULL;
    size_t len = (size + 2 * alignment + page - 1) & ~(page - 1);
    void *map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED)
        return NULL;
    uintptr_t user = ((uintptr_t)map + sizeof(struct cg_header) + alignment - 1) & ~(uintptr_t)(alignment - 1);
    struct cg_header *h = (struct cg_header *)user - 1;
    h->map = map;
    h->len = len;
    h->size = size;
    atomic_fetch_add_explicit(&cg_live, 1, memory_order_relaxed);
    return (void *)user;
}

void *cg_malloc(size_t size) {
    return cg_map(16, size);
}

void *cg_memalign(size_t alignment, size_t size) {
    return cg_map(alignment, size);
}

void cg_free(void *ptr) {
    struct cg_header *h = (struct cg_header *)ptr - 1;
    atomic_fetch_sub_explicit(&cg_live, 1, memory_order_relaxed);
    munmap(h->map, h->len);
}

size_t cg_usable_size(void *ptr) {
    return ((struct cg_header *)ptr - 1)->size;
}
