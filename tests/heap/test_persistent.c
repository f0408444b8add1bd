/* SPDX-License-Identifier: MIT */
/* Persistent structures over the generated heap: built on the GC, extended inside an arena. The
 * arena's stats show the new nodes; the new version shares the old one's nodes (GC nodes under
 * arena nodes); GC objects reachable only through arena nodes survive GC_gcollect(), and become
 * collectable once the arena is reset. */
#define _GNU_SOURCE
#include "../runtime/gc_util.h"
#include "alloc8/arena.h"
#include "alloc8/current.h"
#include "alloc8/gc.h"
#include "check.h"
#include "persistent.h"
#include "rt_heap.h"

enum { N = 300 };

/* boxed numbers: pointer-free GC blocks that report their collection */
static long *box(long n) {
    long *b = rt_heap_allocate_norefs(sizeof *b);
    *b = n;
    GC_register_finalizer(b, count_finalized, NULL, NULL, NULL);
    return b;
}

typedef struct {
    const pvec *v;
    const pmap *m;
} versions;

static __attribute__((noinline)) versions build_on_gc(void) {
    const pvec *v = pvec_empty();
    const pmap *m = NULL;
    for (long i = 0; i < N; i++) {
        v = pvec_push(v, box(i));
        m = pmap_assoc(m, (i * 7919) % N, box(1000 + i)); /* scattered keys: a bushy tree */
    }
    return (versions){v, m};
}

static int vec_ok(const pvec *v, long count) {
    int ok = v->count == (size_t)count;
    for (long i = 0; ok && i < N; i++)
        ok = *(long *)pvec_get(v, (size_t)i) == i;
    return ok;
}

static int map_ok(const pmap *m) {
    int ok = 1;
    for (long i = 0; ok && i < N; i++)
        ok = *(long *)pmap_get(m, (i * 7919) % N) == 1000 + i;
    return ok;
}

/* nodes of a map owned by the arena, and by the GC */
static void map_owners(const pmap *m, alloc8_allocator *arena, int *in_arena, int *in_gc) {
    if (!m)
        return;
    *in_arena += alloc8_owns(arena, m);
    *in_gc += GC_base((void *)m) == m;
    map_owners(m->left, arena, in_arena, in_gc);
    map_owners(m->right, arena, in_arena, in_gc);
}

static versions *extended; /* arena memory holds the new versions */

static __attribute__((noinline)) void extend_in_arena(alloc8_allocator *arena, versions old) {
    ALLOC8_WITH_ALLOCATOR(arena) {
        extended = rt_heap_allocate(sizeof *extended);
        extended->v = pvec_push(old.v, box(N));
        extended->m = pmap_assoc(old.m, -1, box(-1));
    }
}

static versions old; /* the GC versions; a global, so dropping them is a real store */

/* The checks run in their own frame, so no temporary pointer to an old node stays in main's. */
static __attribute__((noinline)) void check_sharing(alloc8_allocator *arena) {
    alloc8_allocator_stats s;
    alloc8_stats(arena, &s);
    CHECK(s.allocations > 0 && s.bytes_used > 0, "the arena served the new versions (%llu blocks, %llu bytes)\n",
          (unsigned long long)s.allocations, (unsigned long long)s.bytes_used);
    const pvec *v2 = extended->v;
    CHECK(alloc8_owns(arena, v2) && alloc8_owns(arena, v2->root) && GC_base(old.v->root) == old.v->root,
          "the new vector's path is arena memory, the old one GC memory\n");
    CHECK(pvec_get(v2, 0) == pvec_get(old.v, 0) && v2->root->slot[0] == old.v->root->slot[0],
          "the new vector shares the old one's nodes\n");
    int in_arena = 0, in_gc = 0;
    map_owners(extended->m, arena, &in_arena, &in_gc);
    CHECK(in_arena > 0 && in_gc > 0 && in_arena + in_gc == N + 1 && in_arena < N / 4,
          "the new map is %d arena nodes (the copied path) over %d shared GC nodes\n", in_arena, in_gc);
    CHECK(vec_ok(old.v, N) && pmap_get(old.m, -1) == NULL, "the old versions are unchanged\n");
}

static __attribute__((noinline)) int extended_ok(void) {
    return vec_ok(extended->v, N + 1) && *(long *)pvec_get(extended->v, N) == N && map_ok(extended->m) &&
           *(long *)pmap_get(extended->m, -1) == -1;
}

int main(void) {
    alloc8_gc_init();
    old = build_on_gc();
    CHECK(vec_ok(old.v, N) && map_ok(old.m) && pmap_count(old.m) == N, "built %d elements on the GC\n", N);
    alloc8_allocator *arena = alloc8_arena_create(NULL);
    extend_in_arena(arena, old);
    check_sharing(arena);

    /* Drop every reference to the old versions: their GC nodes and boxes are now reachable only
     * through the arena's nodes. */
    old = (versions){NULL, NULL};
    long before = collect();
    churn(50000);
    long lost = collect() - before;
    CHECK(lost == 0 && extended_ok(),
          "GC nodes and boxes reachable only from the arena survived collection (lost %ld)\n", lost);

    before = collect();
    extended = NULL;
    alloc8_reset(arena);
    long freed = collect() - before;
    /* 2N GC boxes (the two made inside the arena are arena memory). The GC is conservative: a
     * stale word can keep a subtree alive, so most, not all, must go. */
    CHECK(freed >= 2 * N * 8 / 10, "after reset the GC boxes became collectable (%ld of %d)\n", freed, 2 * N);
    alloc8_destroy(arena);
    return check_report("heap persistent structures");
}
