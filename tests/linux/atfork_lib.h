/* SPDX-License-Identifier: MIT */
/* atfork_lib.c: a library with allocating fork handlers registered from its constructor. */
#ifndef ATFORK_LIB_H
#define ATFORK_LIB_H

struct atfork_lib_counts {
    int registered;     /* pthread_atfork succeeded in the constructor */
    int prepares;       /* prepare handler calls */
    int prepare_blocks; /* blocks the prepare handler got from malloc */
    int parents;        /* parent handler calls */
    int children;       /* child handler calls (in the child) */
};

__attribute__((visibility("default"))) void atfork_lib_counts_get(struct atfork_lib_counts *out);

#endif
