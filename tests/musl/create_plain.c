/* SPDX-License-Identifier: MIT */
/* For tests/linux/thread_hooks.c built for musl: musl's libc.so has no symbol versions, so the
 * glibc test's "pthread_create@GLIBC_2.2.5" reference (linux/thread_hooks_old.c) does not exist.
 * Its cases run through the plain pthread_create here instead. */
#include <pthread.h>

int alloc8_test_create_old(pthread_t *thread, void *(*start)(void *), void *arg);

int alloc8_test_create_old(pthread_t *thread, void *(*start)(void *), void *arg) {
    return pthread_create(thread, NULL, start, arg);
}
