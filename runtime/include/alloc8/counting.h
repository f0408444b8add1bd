/* SPDX-License-Identifier: MIT */
/* alloc8 runtime: a counting allocator over the system allocator. An example of the interface
 * and a test aid: its stats count every call, and it owns exactly the blocks it handed out. It
 * registers itself (alloc8/registry.h), so its blocks are freed by owner. */
#ifndef ALLOC8_COUNTING_H
#define ALLOC8_COUNTING_H

#include "alloc8/allocator.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A new counting allocator, or NULL when out of memory. alloc8_destroy frees it (and any blocks
 * still live). */
alloc8_allocator *alloc8_counting_create(void);

#ifdef __cplusplus
}
#endif

#endif
