/* SPDX-License-Identifier: MIT */
/* Minimal stdlib for compile checks only (Libc include/stdlib.h). Not Apple's text. */
#ifndef ALLOC8_TEST_STDLIB_H
#define ALLOC8_TEST_STDLIB_H
#include <stddef.h>
void *malloc(size_t size);
void *calloc(size_t count, size_t size);
void *realloc(void *ptr, size_t size);
void free(void *ptr);
void *valloc(size_t size);
int posix_memalign(void **memptr, size_t alignment, size_t size);
void *aligned_alloc(size_t alignment, size_t size);
void *reallocf(void *ptr, size_t size);
void abort(void) __attribute__((noreturn));
#endif
