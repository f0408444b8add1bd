/* SPDX-License-Identifier: MIT */
/* Minimal pthread declarations for compile checks only, with the types and layouts of
   libpthread-539 include/pthread/pthread.h and include/sys/_pthread/_pthread_types.h (LP64).
   Not Apple's text: written for alloc8's tests. */
#ifndef ALLOC8_TEST_PTHREAD_H
#define ALLOC8_TEST_PTHREAD_H

typedef struct _opaque_pthread_t *pthread_t;
typedef struct _opaque_pthread_attr_t {
    long __sig;
    char __opaque[56];
} pthread_attr_t;
typedef struct _opaque_pthread_once_t {
    long __sig;
    char __opaque[8];
} pthread_once_t;
typedef unsigned long pthread_key_t;

/* not formatted: clang-format 14 takes a macro's braced initialiser for a block */
/* clang-format off */
#define PTHREAD_ONCE_INIT {0x30B1BCBA, {0}}
/* clang-format on */

int pthread_create(pthread_t *__restrict, const pthread_attr_t *__restrict, void *(*)(void *), void *__restrict);
int pthread_key_create(pthread_key_t *, void (*)(void *));
void *pthread_getspecific(pthread_key_t);
int pthread_setspecific(pthread_key_t, const void *);
int pthread_once(pthread_once_t *, void (*)(void));
pthread_t pthread_self(void);
int pthread_main_np(void);

#endif
