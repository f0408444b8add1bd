/* SPDX-License-Identifier: MIT */
/* alloc8 runtime: the thread's current allocator. New threads start with none (NULL), which the
 * heap dispatch treats as "use the fallback" (the GC, the system, ...). */
#ifndef ALLOC8_CURRENT_H
#define ALLOC8_CURRENT_H

#include "alloc8/allocator.h"

#ifdef __cplusplus
extern "C" {
#endif

/* This thread's current allocator, or NULL. */
alloc8_allocator *alloc8_current(void);

#ifndef __cplusplus
/* The variable behind alloc8_current(), for hot paths such as the generated heap dispatch, which
 * read it inline. Read it; change it only through push and pop. */
extern _Thread_local alloc8_allocator *alloc8_current_allocator;
#endif

/* Make `a` current (NULL: none); returns the previous one, to hand back to alloc8_pop. */
alloc8_allocator *alloc8_push(alloc8_allocator *a);

/* Undo alloc8_push(a): if `a` is current, restore `previous` and return 0. Otherwise (pops out of
 * order, or on the wrong thread) change nothing and return ALLOC8_POP_MISMATCH. */
#define ALLOC8_POP_MISMATCH (-1)
int alloc8_pop(alloc8_allocator *a, alloc8_allocator *previous);

/* Scoped: ALLOC8_WITH_ALLOCATOR(a) { ... } runs the block with `a` current and restores the
 * previous allocator after it. Leave the block normally (no break, return or goto out of it). */
struct alloc8_scope {
    alloc8_allocator *allocator, *previous;
    int open;
};
static inline struct alloc8_scope alloc8_scope_enter(alloc8_allocator *a) {
    struct alloc8_scope scope = {a, alloc8_push(a), 1};
    return scope;
}
static inline void alloc8_scope_leave(struct alloc8_scope *scope) {
    (void)alloc8_pop(scope->allocator, scope->previous);
    scope->open = 0;
}
#define ALLOC8_WITH_ALLOCATOR(a)                                                                                       \
    for (struct alloc8_scope alloc8_scope_ = alloc8_scope_enter(a); alloc8_scope_.open;                                \
         alloc8_scope_leave(&alloc8_scope_))

#ifdef __cplusplus
}
#endif

#endif
