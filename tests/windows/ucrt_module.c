/* SPDX-License-Identifier: MIT */
/* A DLL that imports its allocation functions from the Universal CRT (ucrtbase.dll), built without
 * mingw-w64's own C runtime (-nostdlib, linked with libucrtbase.a). crt_served.exe loads it before
 * the interposer DLL, so it is one of the modules patched when the interposer is loaded, and calls
 * ucrt_module_exercise() afterwards: the functions mingw-w64 offers no msvcrt.dll import for
 * (_recalloc, _aligned_msize) and the UCRT's _base names go through the patched table here. */
#include <stddef.h>
#include <stdint.h>
#include <windows.h>

/* From ucrtbase.dll; declared here because the headers at hand describe msvcrt.dll. */
#define UCRT __declspec(dllimport)
UCRT void *__cdecl malloc(size_t size);
UCRT void __cdecl free(void *ptr);
UCRT size_t __cdecl _msize(void *ptr);
UCRT void *__cdecl _recalloc(void *ptr, size_t count, size_t size);
UCRT void *__cdecl _aligned_malloc(size_t size, size_t alignment);
UCRT size_t __cdecl _aligned_msize(void *ptr, size_t alignment, size_t offset);
UCRT void __cdecl _aligned_free(void *ptr);
UCRT void *__cdecl _malloc_base(size_t size);
UCRT void __cdecl _free_base(void *ptr);

BOOL WINAPI DllMainCRTStartup(HINSTANCE instance, DWORD reason, LPVOID reserved);
BOOL WINAPI DllMainCRTStartup(HINSTANCE instance, DWORD reason, LPVOID reserved) {
    (void)instance;
    (void)reason;
    (void)reserved;
    return TRUE;
}

/* A block from ucrtbase.dll's own heap, made before the interposer is loaded. */
static void *foreign;

__declspec(dllexport) void ucrt_module_make_foreign(void) {
    foreign = malloc(48);
}

/* Returns a bit per failed check (0: all passed); the caller checks the allocator's counters. */
__declspec(dllexport) unsigned ucrt_module_exercise(void) {
    unsigned failed = 0;
    unsigned char *p = malloc(40);
    if (p == NULL || _msize(p) < 40)
        failed |= 1u << 0;
    for (int i = 0; i < 40; i++)
        p[i] = 9;
    p = _recalloc(p, 100, 1);
    if (p == NULL || p[39] != 9)
        failed |= 1u << 1;
    for (int i = 40; p != NULL && i < 100; i++)
        if (p[i] != 0)
            failed |= 1u << 2;
    free(p);
    char *a = _aligned_malloc(500, 256);
    if (a == NULL || (uintptr_t)a % 256 != 0 || _aligned_msize(a, 256, 0) < 500)
        failed |= 1u << 3;
    _aligned_free(a);
    void *b = _malloc_base(24);
    if (b == NULL)
        failed |= 1u << 4;
    _free_base(b);
    if (_msize(foreign) != 48) /* the UCRT's answer for its own block */
        failed |= 1u << 5;
    free(foreign); /* back to ucrtbase.dll's heap */
    return failed;
}
