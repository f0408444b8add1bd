/* SPDX-License-Identifier: MIT */
/* Minimal string.h for compile checks only (Libc include/string.h). Not Apple's text. */
#ifndef ALLOC8_TEST_STRING_H
#define ALLOC8_TEST_STRING_H
#include <stddef.h>
void *memcpy(void *__restrict dst, const void *__restrict src, size_t n);
void *memset(void *dst, int c, size_t n);
#endif
