/* SPDX-License-Identifier: MIT */
/* Minimal dlfcn.h for compile checks only (dyld include/dlfcn.h: RTLD_NEXT is (void *)-1 and
   RTLD_DEFAULT (void *)-2 on macOS). Not Apple's text. */
#ifndef ALLOC8_TEST_DLFCN_H
#define ALLOC8_TEST_DLFCN_H
#define RTLD_NEXT ((void *)-1)
#define RTLD_DEFAULT ((void *)-2)
void *dlsym(void *handle, const char *symbol);
#endif
