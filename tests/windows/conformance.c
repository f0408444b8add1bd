/* SPDX-License-Identifier: MIT */
/* The C runtime's allocation API, Windows flavour, checked through the generated interposer in
 * either of its modes; run under Wine by run_wine.sh (docs/platforms.md).
 *
 * Usage: conformance.exe [interposer DLL]
 *   with a DLL  the DLL is loaded first (LoadLibrary) and patches this program's imports;
 *   without     the interposer is linked into this program (ALLOC8_STATIC, the link-time mode).
 * Built against msvcrt.dll, or against the Universal CRT (-D_UCRT), which adds _recalloc,
 * _aligned_msize, _aligned_recalloc, _aligned_offset_recalloc and the _base names.
 *
 * Every check of a function's semantics is paired with the demo allocator's counters, which prove
 * the allocator served the call (or, for the C runtime's own blocks, that it did not). */
/* The harness by its path: run_wine.sh and cmake_project build this with no include directory
 * for tests/support (the demo allocator's header is on the include path). */
#include "../support/check.h"
#include "../support/demo_stats.h"

#include <errno.h>
#include <malloc.h>
#include <process.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#ifdef _UCRT
/* in the Universal CRT, not declared by every mingw-w64 header version */
size_t __cdecl _aligned_msize(void *block, size_t alignment, size_t offset);
void *__cdecl _malloc_base(size_t size);
void *__cdecl _calloc_base(size_t count, size_t size);
void *__cdecl _realloc_base(void *block, size_t size);
void __cdecl _free_base(void *block);
#endif

#define ALLOCATIONS (DELTA(before, after, malloc_calls) + DELTA(before, after, memalign_calls))

static int all_equal(const unsigned char *p, size_t n, unsigned char value) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != value)
            return 0;
    return 1;
}

static int is_aligned(const void *p, size_t alignment) {
    return (uintptr_t)p % alignment == 0;
}

/* ---- malloc, free, calloc, realloc ----------------------------------------------------------------- */
static const size_t sizes[] = {0, 1, 7, 16, 24, 100, 1000, 4096, 5000, 65536, 300000, 2u << 20};
enum { SIZES = sizeof sizes / sizeof sizes[0] };

static void test_malloc_family(void) {
    struct alloc8_demo_stats before = snap();
    unsigned char *p[SIZES];
    for (int i = 0; i < SIZES; i++) {
        p[i] = malloc(sizes[i]);
        CHECK(p[i] != NULL && is_aligned(p[i], 16), "malloc(%zu) is non-NULL and 16-aligned", sizes[i]);
        if (p[i] == NULL)
            return;
        CHECK(_msize(p[i]) >= sizes[i], "_msize(malloc(%zu)) = %zu", sizes[i], _msize(p[i]));
        memset(p[i], 0x5a, sizes[i]);
    }
    CHECK(p[0] != p[1], "malloc(0) gives a block of its own");
    free(NULL);
    for (int i = 0; i < SIZES; i++)
        free(p[i]);
    struct alloc8_demo_stats after = snap();
    CHECK(DELTA(before, after, malloc_calls) == SIZES && DELTA(before, after, free_calls) == SIZES,
          "malloc/free reached the allocator once each (mallocs +%llu, frees +%llu, expected %d)",
          DELTA(before, after, malloc_calls), DELTA(before, after, free_calls), SIZES);

    before = snap();
    for (int i = 0; i < SIZES; i++) {
        unsigned char *dirty = malloc(sizes[i]);
        memset(dirty, 0xab, sizes[i]);
        free(dirty);
        unsigned char *z = calloc(1, sizes[i]);
        CHECK(z != NULL && all_equal(z, sizes[i], 0), "calloc(1, %zu) is zeroed after a dirty block", sizes[i]);
        free(z);
    }
    int *counted = calloc(1000, sizeof *counted);
    CHECK(counted != NULL && all_equal((unsigned char *)counted, 1000 * sizeof *counted, 0), "calloc(1000, 4)");
    free(counted);
    after = snap();
    CHECK(DELTA(before, after, malloc_calls) == 2 * SIZES + 1 && DELTA(before, after, free_calls) == 2 * SIZES + 1,
          "calloc reached the allocator (mallocs +%llu, frees +%llu)", DELTA(before, after, malloc_calls),
          DELTA(before, after, free_calls));

    unsigned char *kept = malloc(5);
    memset(kept, 0x11, 5);
    before = snap();
    errno = 0;
    CHECK(calloc(SIZE_MAX / 2, 3) == NULL && errno == ENOMEM, "calloc overflow: NULL, ENOMEM");
    errno = 0;
    CHECK(malloc(SIZE_MAX - 64) == NULL && errno == ENOMEM, "malloc(SIZE_MAX - 64): NULL, ENOMEM");
    errno = 0;
    CHECK(realloc(kept, SIZE_MAX - 64) == NULL && errno == ENOMEM && all_equal(kept, 5, 0x11),
          "a failed realloc: NULL, ENOMEM, the block as it was");
    after = snap();
    CHECK(DELTA(before, after, free_calls) == 0, "failed allocations free nothing");
    free(kept);

    before = snap();
    unsigned char *r = realloc(NULL, 10);
    CHECK(r != NULL, "realloc(NULL, 10) allocates");
    memset(r, 0x11, 10);
    for (size_t n = 20; n <= 1u << 20; n *= 4) {
        size_t old = n / 4 < 10 ? 10 : n / 4;
        r = realloc(r, n);
        CHECK(r != NULL && all_equal(r, old, 0x11), "realloc to %zu keeps the %zu old bytes", n, old);
        memset(r, 0x11, n);
    }
    r = realloc(r, 5);
    CHECK(r != NULL && all_equal(r, 5, 0x11), "realloc shrinking keeps the contents");
    CHECK(realloc(r, 0) == NULL, "realloc(p, 0) frees p and returns NULL");
    after = snap();
    CHECK(DELTA(before, after, free_calls) >= 1 && DELTA(before, after, malloc_calls) >= 1 &&
              DELTA(before, after, malloc_calls) == DELTA(before, after, free_calls),
          "realloc's blocks all came back (mallocs +%llu, frees +%llu)", DELTA(before, after, malloc_calls),
          DELTA(before, after, free_calls));
}

/* ---- _msize, _expand, _recalloc ----------------------------------------------------------------- */
static void test_msize_expand(void) {
    errno = 0;
    CHECK(_msize(NULL) == (size_t)-1 && errno == EINVAL, "_msize(NULL): -1, EINVAL");
    errno = 0;
    CHECK(_expand(NULL, 10) == NULL && errno == EINVAL, "_expand(NULL, 10): NULL, EINVAL");

    struct alloc8_demo_stats before = snap();
    unsigned char *p = malloc(1000);
    memset(p, 0x33, 1000);
    size_t usable = _msize(p);
    CHECK(_expand(p, 100) == p && all_equal(p, 100, 0x33), "_expand shrinks in place");
    CHECK(_expand(p, usable) == p, "_expand up to the usable size (%zu) succeeds in place", usable);
    errno = 0;
    CHECK(_expand(p, usable + 1) == NULL && errno == ENOMEM && all_equal(p, 100, 0x33),
          "_expand beyond the usable size: NULL, ENOMEM, the block unchanged");
    CHECK(_expand(p, 1u << 24) == NULL, "_expand never moves a block");
    free(p);
    struct alloc8_demo_stats after = snap();
    CHECK(DELTA(before, after, malloc_calls) == 1 && DELTA(before, after, free_calls) == 1 &&
              DELTA(before, after, usable_size_calls) >= 3,
          "_msize and _expand asked the allocator (usable-size calls +%llu)", DELTA(before, after, usable_size_calls));

#ifdef _UCRT
    before = snap();
    unsigned char *z = _recalloc(NULL, 3, 5);
    CHECK(z != NULL && all_equal(z, 15, 0), "_recalloc(NULL, 3, 5) allocates 15 zeroed bytes");
    memset(z, 0x77, _msize(z));
    size_t old = _msize(z);
    z = _recalloc(z, 100, 40);
    CHECK(z != NULL && all_equal(z, old, 0x77) && all_equal(z + old, 4000 - old, 0),
          "_recalloc keeps the old bytes and zeroes the rest");
    errno = 0;
    CHECK(_recalloc(z, SIZE_MAX / 2, 3) == NULL && errno == ENOMEM && all_equal(z, old, 0x77),
          "_recalloc overflow: NULL, ENOMEM, the block unchanged");
    CHECK(_recalloc(z, 0, 10) == NULL, "_recalloc to 0 bytes frees");
    after = snap();
    CHECK(DELTA(before, after, malloc_calls) == 2 && DELTA(before, after, free_calls) == 2,
          "_recalloc reached the allocator (mallocs +%llu, frees +%llu)", DELTA(before, after, malloc_calls),
          DELTA(before, after, free_calls));
#endif
}

/* ---- _aligned_* ------------------------------------------------------------------------------ */
static void test_aligned(void) {
    struct alloc8_demo_stats before = snap();
    int blocks = 0;
    for (size_t alignment = 1; alignment <= 65536; alignment *= 2) {
        for (int i = 0; i < SIZES; i += 2) {
            unsigned char *a = _aligned_malloc(sizes[i], alignment);
            CHECK(a != NULL && is_aligned(a, alignment), "_aligned_malloc(%zu, %zu) is aligned", sizes[i], alignment);
            if (a == NULL)
                continue;
            memset(a, 0x44, sizes[i]);
#ifdef _UCRT
            CHECK(_aligned_msize(a, alignment, 0) >= sizes[i], "_aligned_msize(_aligned_malloc(%zu, %zu))", sizes[i],
                  alignment);
#endif
            size_t grown = sizes[i] * 2 + 10;
            a = _aligned_realloc(a, grown, alignment);
            CHECK(a != NULL && is_aligned(a, alignment) && all_equal(a, sizes[i], 0x44),
                  "_aligned_realloc(%zu -> %zu, %zu) keeps alignment and contents", sizes[i], grown, alignment);
            _aligned_free(a);
            blocks++;
        }
    }
    struct alloc8_demo_stats after = snap();
    /* each block: one allocation, one more for _aligned_realloc (it moves), two frees */
    CHECK(ALLOCATIONS == 2u * (unsigned)blocks && DELTA(before, after, free_calls) == 2u * (unsigned)blocks,
          "the aligned blocks came from the allocator and went back (allocations +%llu, frees +%llu, blocks %d)",
          ALLOCATIONS, DELTA(before, after, free_calls), blocks);

    before = snap();
    blocks = 0;
    size_t offsets[] = {0, 8, 17, 100};
    for (size_t alignment = 8; alignment <= 4096; alignment *= 8) {
        for (int i = 0; i < 4; i++) {
            unsigned char *o = _aligned_offset_malloc(200, alignment, offsets[i]);
            CHECK(o != NULL && is_aligned(o + offsets[i], alignment), "_aligned_offset_malloc(200, %zu, %zu)",
                  alignment, offsets[i]);
            memset(o, 0x55, 200);
            o = _aligned_offset_realloc(o, 3000, alignment, offsets[i]);
            CHECK(o != NULL && is_aligned(o + offsets[i], alignment) && all_equal(o, 200, 0x55),
                  "_aligned_offset_realloc(3000, %zu, %zu) keeps the offset aligned and the contents", alignment,
                  offsets[i]);
            _aligned_free(o);
            blocks++;
        }
    }
    after = snap();
    CHECK(ALLOCATIONS == 2u * (unsigned)blocks && DELTA(before, after, free_calls) == 2u * (unsigned)blocks,
          "_aligned_offset_* served (allocations +%llu, frees +%llu, blocks %d)", ALLOCATIONS,
          DELTA(before, after, free_calls), blocks);

    before = snap();
    size_t bad[] = {0, 3, 24, 1000};
    for (int i = 0; i < 4; i++) {
        errno = 0;
        CHECK(_aligned_malloc(10, bad[i]) == NULL && errno == EINVAL, "_aligned_malloc(10, %zu): NULL, EINVAL", bad[i]);
    }
    errno = 0;
    CHECK(_aligned_offset_malloc(10, 16, 10) == NULL && errno == EINVAL,
          "_aligned_offset_malloc with offset >= size: NULL, EINVAL");
    _aligned_free(NULL);
    unsigned char *n = _aligned_realloc(NULL, 64, 32);
    CHECK(n != NULL && is_aligned(n, 32), "_aligned_realloc(NULL, 64, 32) allocates");
    CHECK(_aligned_realloc(n, 0, 32) == NULL, "_aligned_realloc(p, 0) frees and returns NULL");
    after = snap();
    CHECK(ALLOCATIONS == 1 && DELTA(before, after, free_calls) == 1,
          "refused requests reach nothing (allocations +%llu, frees +%llu)", ALLOCATIONS,
          DELTA(before, after, free_calls));

#ifdef _UCRT
    before = snap();
    unsigned char *z = _aligned_recalloc(NULL, 10, 10, 64);
    CHECK(z != NULL && is_aligned(z, 64) && all_equal(z, 100, 0), "_aligned_recalloc(NULL, 10, 10, 64)");
    size_t old = _aligned_msize(z, 64, 0);
    memset(z, 0x66, old);
    z = _aligned_recalloc(z, 100, 30, 64);
    CHECK(z != NULL && is_aligned(z, 64) && all_equal(z, old, 0x66) && all_equal(z + old, 3000 - old, 0),
          "_aligned_recalloc keeps the old bytes and zeroes the rest");
    errno = 0;
    CHECK(_aligned_recalloc(z, SIZE_MAX / 2, 3, 64) == NULL && errno == ENOMEM, "_aligned_recalloc overflow: ENOMEM");
    unsigned char *zo = _aligned_offset_recalloc(NULL, 4, 50, 128, 8);
    CHECK(zo != NULL && is_aligned(zo + 8, 128) && all_equal(zo, 200, 0),
          "_aligned_offset_recalloc(NULL, 4, 50, 128, 8)");
    _aligned_free(zo);
    _aligned_free(z);
    after = snap();
    CHECK(ALLOCATIONS == 3 && DELTA(before, after, free_calls) == 3,
          "_aligned_recalloc served (allocations +%llu, frees +%llu)", ALLOCATIONS, DELTA(before, after, free_calls));
#endif
}

#ifdef _UCRT
/* ---- the Universal CRT's _base names ---------------------------------------------------------- */
static void test_base_names(void) {
    struct alloc8_demo_stats before = snap();
    unsigned char *p = _malloc_base(50);
    memset(p, 9, 50);
    p = _realloc_base(p, 5000);
    CHECK(p != NULL && all_equal(p, 50, 9), "_realloc_base keeps the contents");
    unsigned char *z = _calloc_base(10, 10);
    CHECK(z != NULL && all_equal(z, 100, 0), "_calloc_base zeroes");
    _free_base(p);
    _free_base(z);
    struct alloc8_demo_stats after = snap();
    CHECK(DELTA(before, after, malloc_calls) == 3 && DELTA(before, after, free_calls) == 3,
          "the _base names reached the allocator (mallocs +%llu, frees +%llu)", DELTA(before, after, malloc_calls),
          DELTA(before, after, free_calls));
}
#endif

/* ---- the C runtime's own blocks ---------------------------------------------------------------- */
static void test_runtime_blocks(void) {
    /* _strdup allocates inside the C runtime, with its own malloc: a foreign block */
    struct alloc8_demo_stats before = snap();
    char *copy = _strdup("allocated by the C runtime");
    CHECK(copy != NULL && _msize(copy) >= 27, "_msize of a C runtime block answers as the runtime does (%zu)",
          _msize(copy));
    free(copy);
    char *moved = _strdup("moved into the allocator");
    moved = realloc(moved, 4000);
    CHECK(moved != NULL && strcmp(moved, "moved into the allocator") == 0, "realloc of a C runtime block keeps it");
    free(moved);
    struct alloc8_demo_stats after = snap();
    CHECK(
        DELTA(before, after, free_calls) == 1 && DELTA(before, after, malloc_calls) == 1,
        "runtime blocks went back to the runtime; only the moved copy is the allocator's (frees +%llu, mallocs +%llu)",
        DELTA(before, after, free_calls), DELTA(before, after, malloc_calls));
}

/* ---- GetLastError() survives the allocator ------------------------------------------------------ */
static void test_last_error(void) {
    SetLastError(12345);
    void *p = malloc(64);
    free(p);
    void *a = _aligned_malloc(64, 64);
    _aligned_free(a);
    CHECK(GetLastError() == 12345, "malloc and free leave GetLastError() alone (it is %lu)", GetLastError());
}

/* ---- threads: init before the start routine, one cleanup each ------------------------------------- */
enum { THREADS = 6 };
static struct alloc8_demo_thread seen_at_start[THREADS];

static void thread_body(int index) {
    seen_at_start[index] = me(); /* before this thread allocated anything */
    void *blocks[32];
    for (int i = 0; i < 32; i++)
        blocks[i] = i % 2 ? malloc((size_t)(16 << (i % 10))) : _aligned_malloc(100, 64);
    for (int i = 0; i < 32; i++)
        i % 2 ? free(blocks[i]) : _aligned_free(blocks[i]);
}

static DWORD WINAPI win32_body(void *arg) {
    thread_body((int)(intptr_t)arg);
    return 0;
}

static unsigned __stdcall crt_body(void *arg) {
    thread_body((int)(intptr_t)arg);
    return 0;
}

static void test_threads(void) {
    struct alloc8_demo_stats before = snap();
    HANDLE handles[THREADS];
    for (int i = 0; i < THREADS; i++)
        handles[i] = i % 2 ? CreateThread(NULL, 0, win32_body, (void *)(intptr_t)i, 0, NULL)
                           : (HANDLE)_beginthreadex(NULL, 0, crt_body, (void *)(intptr_t)i, 0, NULL);
    for (int i = 0; i < THREADS; i++) {
        WaitForSingleObject(handles[i], INFINITE);
        CloseHandle(handles[i]);
    }
    struct alloc8_demo_stats after = snap();
    for (int i = 0; i < THREADS; i++)
        CHECK(seen_at_start[i].state == DEMO_THREAD_HOOKED && seen_at_start[i].inits == 1,
              "thread %d ran init before its start routine (state %d, inits %u)", i, seen_at_start[i].state,
              seen_at_start[i].inits);
    CHECK(DELTA(before, after, thread_inits) == THREADS && DELTA(before, after, thread_cleanups) == THREADS,
          "init == cleanup == threads (%llu, %llu, %d)", DELTA(before, after, thread_inits),
          DELTA(before, after, thread_cleanups), THREADS);
    CHECK(DELTA(before, after, unhooked_caches) == 0, "no thread allocated before its init");
    CHECK(ALLOCATIONS == 32u * THREADS && DELTA(before, after, free_calls) == 32u * THREADS,
          "the threads' blocks were served");
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    HMODULE module = GetModuleHandleA(NULL); /* linked in: this program exports the counters */
    if (argc > 1 && (module = LoadLibraryA(argv[1])) == NULL) {
        printf("FAIL: LoadLibrary(%s): error %lu\n", argv[1], GetLastError());
        return 1;
    }
    if (!counters_from(module, argc > 1 ? argv[1] : "this program"))
        return 1;
    test_malloc_family();
    test_msize_expand();
    test_aligned();
#ifdef _UCRT
    test_base_names();
#endif
    test_runtime_blocks();
    test_last_error();
    test_threads();
    struct alloc8_demo_thread m = me();
    CHECK(m.state == DEMO_THREAD_HOOKED && m.inits == 1, "the main thread ran init once (state %d, inits %u)", m.state,
          m.inits);
    char name[64];
    snprintf(name, sizeof name, "conformance (%s, %s)", argc > 1 ? "DLL" : "linked in",
#ifdef _UCRT
             "ucrtbase"
#else
             "msvcrt"
#endif
    );
    return check_report(name);
}
