/* SPDX-License-Identifier: MIT */
/* A stand-in for the C++ runtime's allocation functions, for cxx_program.cpp: there is no
 * libstdc++ for musl on this machine. Like libstdc++, it defines the 20 replaceable operators new
 * and delete (by their Itanium ABI names) on malloc and free, and std::nothrow. The program links
 * against it as it would against libstdc++; a preloaded interposer's operators must win over these.
 * Each call is counted (cxxrt_calls), so the program can tell which ones served it. */
#include <stdatomic.h>
#include <stdlib.h>

const char _ZSt7nothrow = 0; /* std::nothrow (an empty struct: one byte) */

static atomic_ulong calls;

unsigned long cxxrt_calls(void) {
    return atomic_load(&calls);
}

static void *allocate(size_t size, size_t alignment) {
    calls++;
    if (size == 0)
        size = 1;
    if (alignment == 0)
        return malloc(size);
    size_t rounded = (size + alignment - 1) / alignment * alignment; /* aligned_alloc's rule */
    return rounded < size ? NULL : aligned_alloc(alignment, rounded);
}

static void release(void *ptr) {
    calls++;
    free(ptr);
}

/* The operators, by their mangled names (size_t is "m"; a nothrow tag is unused). */
void *_Znwm(size_t n) {
    return allocate(n, 0);
}
void *_Znam(size_t n) {
    return allocate(n, 0);
}
void *_ZnwmRKSt9nothrow_t(size_t n, const void *tag) {
    return (void)tag, allocate(n, 0);
}
void *_ZnamRKSt9nothrow_t(size_t n, const void *tag) {
    return (void)tag, allocate(n, 0);
}
void *_ZnwmSt11align_val_t(size_t n, size_t a) {
    return allocate(n, a);
}
void *_ZnamSt11align_val_t(size_t n, size_t a) {
    return allocate(n, a);
}
void *_ZnwmSt11align_val_tRKSt9nothrow_t(size_t n, size_t a, const void *tag) {
    return (void)tag, allocate(n, a);
}
void *_ZnamSt11align_val_tRKSt9nothrow_t(size_t n, size_t a, const void *tag) {
    return (void)tag, allocate(n, a);
}
void _ZdlPv(void *p) {
    release(p);
}
void _ZdaPv(void *p) {
    release(p);
}
void _ZdlPvm(void *p, size_t n) {
    (void)n, release(p);
}
void _ZdaPvm(void *p, size_t n) {
    (void)n, release(p);
}
void _ZdlPvRKSt9nothrow_t(void *p, const void *tag) {
    (void)tag, release(p);
}
void _ZdaPvRKSt9nothrow_t(void *p, const void *tag) {
    (void)tag, release(p);
}
void _ZdlPvSt11align_val_t(void *p, size_t a) {
    (void)a, release(p);
}
void _ZdaPvSt11align_val_t(void *p, size_t a) {
    (void)a, release(p);
}
void _ZdlPvmSt11align_val_t(void *p, size_t n, size_t a) {
    (void)n, (void)a, release(p);
}
void _ZdaPvmSt11align_val_t(void *p, size_t n, size_t a) {
    (void)n, (void)a, release(p);
}
void _ZdlPvSt11align_val_tRKSt9nothrow_t(void *p, size_t a, const void *tag) {
    (void)a, (void)tag, release(p);
}
void _ZdaPvSt11align_val_tRKSt9nothrow_t(void *p, size_t a, const void *tag) {
    (void)a, (void)tag, release(p);
}
