/* SPDX-License-Identifier: MIT */
/* Minimal unistd.h for compile checks only (Libc include/unistd.h, xnu sys/unistd.h: _SC_PAGESIZE
   is 29 on macOS). Not Apple's text. */
#ifndef ALLOC8_TEST_UNISTD_H
#define ALLOC8_TEST_UNISTD_H
#include <stddef.h>
typedef long ssize_t;
#define STDOUT_FILENO 1
#define STDERR_FILENO 2
#define _SC_PAGESIZE 29
long sysconf(int name);
ssize_t write(int fd, const void *buf, size_t count);
#endif
