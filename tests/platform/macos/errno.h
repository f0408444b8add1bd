/* SPDX-License-Identifier: MIT */
/* Minimal errno for compile checks only: as Libc's errno.h and xnu's sys/errno.h (errno is the
   thread's slot returned by __error(); EAGAIN is 35 on macOS). Not Apple's text. */
#ifndef ALLOC8_TEST_ERRNO_H
#define ALLOC8_TEST_ERRNO_H
extern int *__error(void);
#define errno (*__error())
#define ENOMEM 12
#define EINVAL 22
#define EAGAIN 35
#endif
