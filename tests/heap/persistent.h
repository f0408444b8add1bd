/* SPDX-License-Identifier: MIT */
/* A small persistent vector (a 4-way radix trie) and map (a binary search tree), both
 * path-copying: an update copies the nodes on the path to the change and shares the rest with the
 * old version. Every node comes from the generated heap (rt_heap), like immer's nodes would. */
#ifndef ALLOC8_TEST_PERSISTENT_H
#define ALLOC8_TEST_PERSISTENT_H

#include <stddef.h>

#define PV_BITS 2
#define PV_WIDTH (1u << PV_BITS)

typedef struct pv_node {
    void *slot[PV_WIDTH];
} pv_node;

typedef struct pvec {
    size_t count;
    unsigned shift; /* PV_BITS * (depth - 1) */
    pv_node *root;
} pvec;

const pvec *pvec_empty(void);
const pvec *pvec_push(const pvec *v, void *value);
void *pvec_get(const pvec *v, size_t index);

typedef struct pmap {
    long key;
    void *value;
    const struct pmap *left, *right;
} pmap; /* NULL is the empty map */

const pmap *pmap_assoc(const pmap *m, long key, void *value);
void *pmap_get(const pmap *m, long key);
size_t pmap_count(const pmap *m);

#endif
