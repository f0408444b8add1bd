/* SPDX-License-Identifier: MIT */
/* Address space on POSIX systems (demo_os.h has the Windows versions inline). */
#define _GNU_SOURCE
#include "demo_os.h"

#ifndef _WIN32
#include <sys/mman.h>
#include <unistd.h>

/* Reserve address space; demo_os_commit makes parts of it usable. NULL on failure. */
void *demo_os_reserve(size_t size) {
    void *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return map == MAP_FAILED ? NULL : map;
}

int demo_os_commit(void *at, size_t size) {
    (void)at;
    (void)size;
    return 1; /* the kernel commits pages on first touch */
}

/* Mapped at once; released whole by demo_os_unmap. NULL on failure. */
void *demo_os_map(size_t size) {
    void *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return map == MAP_FAILED ? NULL : map;
}

void demo_os_unmap(void *base, size_t size) {
    munmap(base, size);
}

size_t demo_os_page_size(void) {
    return (size_t)sysconf(_SC_PAGESIZE);
}
#else
typedef int demo_os_inline_on_windows; /* ISO C forbids an empty translation unit */
#endif
