/* SPDX-License-Identifier: MIT */
/* pthread_create as binaries linked against glibc before 2.34 reference it: pthread_create@GLIBC_2.2.5
 * (on x86_64). The interposer's unversioned definition must catch this reference too. */
#define _GNU_SOURCE
#include <pthread.h>

#if defined(__x86_64__)
#define ALLOC8_OLD_PTHREAD_CREATE "GLIBC_2.2.5"
#elif defined(__aarch64__)
#define ALLOC8_OLD_PTHREAD_CREATE "GLIBC_2.17"
#else
#error "add the oldest pthread_create symbol version of this architecture"
#endif

int alloc8_test_create_old(pthread_t *thread, void *(*start)(void *), void *arg);
int alloc8_old_pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg);
__asm__(".symver alloc8_old_pthread_create, pthread_create@" ALLOC8_OLD_PTHREAD_CREATE);

int alloc8_test_create_old(pthread_t *thread, void *(*start)(void *), void *arg) {
    return alloc8_old_pthread_create(thread, NULL, start, arg);
}
