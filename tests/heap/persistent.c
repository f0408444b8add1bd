/* SPDX-License-Identifier: MIT */
/* Path-copying vector and map over the generated heap (see persistent.h). */
#include "persistent.h"

#include "rt_heap.h"

#include <string.h>

static pv_node *pv_copy(const pv_node *n) {
    pv_node *c = rt_heap_allocate(sizeof *c);
    if (n)
        *c = *n;
    else
        memset(c, 0, sizeof *c);
    return c;
}

const pvec *pvec_empty(void) {
    pvec *v = rt_heap_allocate(sizeof *v);
    *v = (pvec){0, 0, NULL};
    return v;
}

/* A copy of the path from n down to index, with value at the end of it. */
static pv_node *pv_set(const pv_node *n, unsigned shift, size_t index, void *value) {
    pv_node *c = pv_copy(n);
    size_t i = (index >> shift) & (PV_WIDTH - 1);
    c->slot[i] = shift == 0 ? value : pv_set(n ? n->slot[i] : NULL, shift - PV_BITS, index, value);
    return c;
}

const pvec *pvec_push(const pvec *v, void *value) {
    pvec *r = rt_heap_allocate(sizeof *r);
    *r = *v;
    if (v->root && v->count == (size_t)PV_WIDTH << v->shift) { /* full: one level more */
        pv_node *top = pv_copy(NULL);
        top->slot[0] = v->root;
        r->root = top;
        r->shift += PV_BITS;
    }
    r->root = pv_set(r->root, r->shift, v->count, value);
    r->count = v->count + 1;
    return r;
}

void *pvec_get(const pvec *v, size_t index) {
    const pv_node *n = v->root;
    for (unsigned shift = v->shift; shift > 0; shift -= PV_BITS)
        n = n->slot[(index >> shift) & (PV_WIDTH - 1)];
    return n->slot[index & (PV_WIDTH - 1)];
}

const pmap *pmap_assoc(const pmap *m, long key, void *value) {
    pmap *c = rt_heap_allocate(sizeof *c);
    if (m == NULL) {
        *c = (pmap){key, value, NULL, NULL};
        return c;
    }
    *c = *m;
    if (key < m->key)
        c->left = pmap_assoc(m->left, key, value);
    else if (key > m->key)
        c->right = pmap_assoc(m->right, key, value);
    else
        c->value = value;
    return c;
}

void *pmap_get(const pmap *m, long key) {
    while (m && m->key != key)
        m = key < m->key ? m->left : m->right;
    return m ? m->value : NULL;
}

size_t pmap_count(const pmap *m) {
    return m ? 1 + pmap_count(m->left) + pmap_count(m->right) : 0;
}
