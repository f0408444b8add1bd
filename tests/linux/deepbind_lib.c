/* SPDX-License-Identifier: MIT */
/* A library a program loads with RTLD_DEEPBIND (deepbind.c): its calls to the malloc family bind,
 * deep, to glibc's unless the interposer re-points them. One block is allocated while the library
 * is being loaded, before anything can re-point its calls. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

static void *from_constructor;

__attribute__((constructor)) static void deep_constructor(void) {
    from_constructor = malloc(48);
    if (from_constructor != NULL)
        memset(from_constructor, 0x5a, 48);
}

void *deep_constructor_block(void) {
    void *block = from_constructor;
    from_constructor = NULL;
    return block;
}

void *deep_malloc(size_t size) {
    return malloc(size);
}
void deep_free(void *ptr) {
    free(ptr);
}
void *deep_realloc(void *ptr, size_t size) {
    return realloc(ptr, size);
}
char *deep_strdup(const char *text) {
    return strdup(text);
}
