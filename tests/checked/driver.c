/* The driver of the checked build's tests (tests/checked/README.md), run under an interposer built
 * from chk_alloc.c: `driver <action>` makes the requests that one defect of chk_alloc.c is keyed
 * to and prints what a program can see of it, one line; `driver clean` calls every function of
 * the malloc family correctly. It exits 0: whatever stops it is the checked build's doing. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void free_sized_fn(void *, size_t);
typedef void free_aligned_sized_fn(void *, size_t, size_t);

/* C23's sized frees: glibc 2.36 does not have them, the interposer does */
static free_sized_fn *find_free_sized(void) {
    free_sized_fn *fn = NULL;
    void *sym = dlsym(RTLD_DEFAULT, "free_sized");
    memcpy(&fn, &sym, sizeof sym);
    return fn;
}

static free_aligned_sized_fn *find_free_aligned_sized(void) {
    free_aligned_sized_fn *fn = NULL;
    void *sym = dlsym(RTLD_DEFAULT, "free_aligned_sized");
    memcpy(&fn, &sym, sizeof sym);
    return fn;
}

static int clean(void) {
    free_sized_fn *sized = find_free_sized();
    free_aligned_sized_fn *aligned_sized = find_free_aligned_sized();
    if (sized == NULL || aligned_sized == NULL) {
        printf("driver clean: free_sized or free_aligned_sized is missing (not run under the interposer?)\n");
        return 1;
    }
    for (size_t size = 0; size < 70000; size = size * 2 + 1) {
        char *p = malloc(size);
        memset(p, 1, size);
        if (malloc_usable_size(p) < size)
            return 1;
        p = realloc(p, size * 3 + 1);
        p = realloc(p, size / 2 + 1);
        free(p);
        p = malloc(size);
        sized(p, size);
        p = calloc(size, 3);
        free(p);
    }
    for (size_t alignment = 8; alignment <= 8192; alignment *= 2) {
        void *p = aligned_alloc(alignment, 3 * alignment);
        aligned_sized(p, alignment, 3 * alignment);
        p = memalign(alignment, 100);
        free(p);
        if (posix_memalign(&p, alignment, 1) != 0)
            return 1;
        free(p);
    }
    free(valloc(10));
#ifdef __GLIBC__ /* musl has no pvalloc */
    free(pvalloc(10));
#endif
    free(NULL);
    errno = 0;
    void *huge = malloc((size_t)1 << 40);
    printf("driver clean: done (malloc(1 TiB) = %p, errno %s)\n", huge, errno == ENOMEM ? "ENOMEM" : "not ENOMEM");
    return huge == NULL && errno == ENOMEM ? 0 : 1;
}

int main(int argc, char **argv) {
    const char *action = argc > 1 ? argv[1] : "";
    if (strcmp(action, "clean") == 0)
        return clean();
    if (strcmp(action, "usable_size") == 0) {
        char *p = malloc(1001);
        printf("driver usable_size: malloc(1001) has malloc_usable_size %zu\n", malloc_usable_size(p));
        free(p);
    } else if (strcmp(action, "aligned") == 0) {
        char *p = aligned_alloc(64, 1003);
        volatile uintptr_t address = (uintptr_t)p; /* the compiler assumes aligned_alloc's alignment */
        printf("driver aligned: aligned_alloc(64, 1003) = %p, %u past a multiple of 64\n", (void *)p,
               (unsigned)(address % 64));
        free(p);
    } else if (strcmp(action, "malloc_align") == 0) {
        char *p = malloc(1008);
        volatile uintptr_t address = (uintptr_t)p;
        printf("driver malloc_align: malloc(1008) = %p, %u past a multiple of 16\n", (void *)p,
               (unsigned)(address % 16));
        free(p);
    } else if (strcmp(action, "owns_own") == 0) {
        char *p = malloc(1002);
        printf("driver owns_own: malloc(1002) = %p (left allocated: the glue would hand it to glibc's free)\n",
               (void *)p);
    } else if (strncmp(action, "owns_", 5) == 0) {
        char *p = malloc(100);
        printf("driver %s: malloc(100) = %p, freed (owns is asked only of blocks passed to free)\n", action, (void *)p);
        free(p);
    } else if (strcmp(action, "calloc") == 0) {
        unsigned char *p = calloc(5, 201);
        printf("driver calloc: calloc(5, 201) has byte 1004 = 0x%02x\n", p[1004]);
        free(p);
    } else if (strcmp(action, "errno") == 0) {
        errno = 0;
        void *p = malloc((size_t)1 << 40);
        int error = errno;
        printf("driver errno: malloc(1 TiB) = %p, errno %d (ENOMEM is %d)\n", p, error, ENOMEM);
    } else if (strcmp(action, "free_errno") == 0) {
        char *p = malloc(1007);
        errno = 0;
        free(p);
        int error = errno;
        printf("driver free_errno: errno %d after free(malloc(1007))\n", error);
    } else if (strcmp(action, "usable_changes") == 0) {
        char *p = malloc(1006);
        size_t first = malloc_usable_size(p);
        size_t second = malloc_usable_size(p);
        printf("driver usable_changes: malloc(1006) has malloc_usable_size %zu, then %zu\n", first, second);
        free(p);
    } else if (strcmp(action, "free_sized") == 0) {
        free_sized_fn *sized = find_free_sized();
        char *p = malloc(1000);
        if (sized != NULL)
            sized(p, 999); /* wrong: C23 asks for the size requested */
        printf("driver free_sized: free_sized(malloc(1000), 999)\n");
    } else {
        printf("usage: driver clean|usable_size|aligned|malloc_align|owns_own|owns_stack|owns_static|owns_heap|"
               "calloc|errno|free_errno|usable_changes|free_sized\n");
        return 2;
    }
    return 0;
}
