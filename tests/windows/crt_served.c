/* SPDX-License-Identifier: MIT */
/* The generated Windows DLL, loaded into a running program with LoadLibrary, takes over the C
 * runtime's allocation functions and calls the thread hooks; run under Wine by run_wine.sh.
 *
 * Usage: crt_served.exe <interposer DLL> <late_module DLL> <ucrt_module DLL>
 * Before the DLL is loaded this program allocates with the C runtime (the foreign blocks) and
 * starts a thread that waits. Then, with the demo allocator's counters as proof:
 *   served    malloc, calloc, realloc, _msize, _expand and the _aligned_* family of
 *             this program reach the allocator, with the CRT's semantics (mingw-w64's import
 *             library for msvcrt.dll has neither _aligned_msize nor _recalloc: ucrt_module.c
 *             calls those);
 *   foreign   blocks the CRT handed out before the load go back to it: free, _msize, realloc and
 *             _aligned_free of them never reach the allocator;
 *   later     a DLL loaded after the interposer has its imports patched as it loads;
 *   ucrt      a DLL that imports from ucrtbase.dll, loaded before the interposer, is patched too:
 *             _recalloc, _aligned_msize and the _base names through it, and its own foreign block;
 *   threads   CreateThread and _beginthreadex threads ran init before their start routine and
 *             one cleanup each; the thread that was running before the load ran init lazily. */
/* The harness by its path: run_wine.sh and cmake_project build this with no include directory
 * for tests/support (the demo allocator's header is on the include path). */
#include "../support/check.h"
#include "../support/demo_stats.h"

#include <malloc.h>
#include <process.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

/* ---- the thread that exists before the DLL is loaded --------------------------------------------- */
static HANDLE go_event, running_event;
static struct alloc8_demo_thread early_seen_before, early_seen_after;

static DWORD WINAPI early_thread(void *arg) {
    (void)arg;
    SetEvent(running_event);                 /* it has started: the loader will not attach it to the DLL */
    WaitForSingleObject(go_event, INFINITE); /* the DLL is loaded meanwhile */
    early_seen_before = me();
    free(malloc(40));
    early_seen_after = me();
    return 0;
}

/* ---- threads started after the load ------------------------------------------------------------ */
enum { THREADS = 8 };
static struct alloc8_demo_thread seen_at_start[2 * THREADS];
static LONG bad_threads;

static void thread_body(int index) {
    seen_at_start[index] = me(); /* before this thread allocated anything */
    void *p[16];
    for (int i = 0; i < 16; i++)
        p[i] = malloc((size_t)(24 << (i % 8)));
    for (int i = 0; i < 16; i++)
        free(p[i]);
    struct alloc8_demo_thread t = me();
    if (t.state != DEMO_THREAD_HOOKED || t.inits != 1 || t.cleanups != 0)
        InterlockedIncrement(&bad_threads);
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
    HANDLE handles[2 * THREADS];
    for (int i = 0; i < THREADS; i++)
        handles[i] = CreateThread(NULL, 0, win32_body, (void *)(intptr_t)i, 0, NULL);
    for (int i = 0; i < THREADS; i++)
        handles[THREADS + i] = (HANDLE)_beginthreadex(NULL, 0, crt_body, (void *)(intptr_t)(THREADS + i), 0, NULL);
    for (int i = 0; i < 2 * THREADS; i++) {
        CHECK(handles[i] != NULL, "thread %d was created", i);
        if (handles[i] != NULL) {
            WaitForSingleObject(handles[i], INFINITE);
            CloseHandle(handles[i]);
        }
    }
    struct alloc8_demo_stats after = snap();
    for (int i = 0; i < 2 * THREADS; i++)
        CHECK(seen_at_start[i].state == DEMO_THREAD_HOOKED && seen_at_start[i].inits == 1,
              "%s thread %d: init ran before its start routine (state %d, inits %u)",
              i < THREADS ? "CreateThread" : "_beginthreadex", i, seen_at_start[i].state, seen_at_start[i].inits);
    CHECK(bad_threads == 0, "every thread kept one init and no cleanup while it ran (%ld did not)", bad_threads);
    CHECK(DELTA(before, after, thread_inits) == 2 * THREADS && DELTA(before, after, thread_cleanups) == 2 * THREADS,
          "init == cleanup == threads: %llu inits, %llu cleanups for %d threads", DELTA(before, after, thread_inits),
          DELTA(before, after, thread_cleanups), 2 * THREADS);
    CHECK(DELTA(before, after, unhooked_caches) == 0, "no thread allocated before its init");
    printf("threads: %d CreateThread + %d _beginthreadex, %llu inits, %llu cleanups\n", THREADS, THREADS,
           DELTA(before, after, thread_inits), DELTA(before, after, thread_cleanups));
}

/* ---- the CRT's functions, served --------------------------------------------------------------- */
static void test_served(void) {
    struct alloc8_demo_stats before = snap();
    char *p = malloc(100);
    CHECK(p != NULL && ((uintptr_t)p & 15) == 0, "malloc(100) is 16-aligned");
    memset(p, 7, 100);
    CHECK(_msize(p) >= 100, "_msize(p) >= 100 (%zu)", _msize(p));
    CHECK(_expand(p, 50) == p, "_expand to a smaller size keeps the block in place");
    errno = 0;
    CHECK(_expand(p, 1 << 20) == NULL && errno == ENOMEM, "_expand beyond the block fails with ENOMEM");
    p = realloc(p, 5000);
    CHECK(p != NULL && p[0] == 7 && p[99] == 7, "realloc keeps the contents");
    int *z = calloc(300, sizeof *z);
    int zero = 1;
    for (int i = 0; i < 300; i++)
        zero &= z[i] == 0;
    CHECK(z != NULL && zero, "calloc zeroes");
    errno = 0;
    CHECK(calloc(SIZE_MAX / 2, 3) == NULL && errno == ENOMEM, "calloc overflow -> ENOMEM");
    CHECK(realloc(p, 0) == NULL, "realloc(p, 0) frees p and returns NULL");
    free(z);
    free(NULL);
    struct alloc8_demo_stats after = snap();
    /* malloc, realloc (moves: one more), calloc (malloc + memset); realloc's old block, realloc(p, 0), free */
    CHECK(DELTA(before, after, malloc_calls) == 3 && DELTA(before, after, free_calls) == 3,
          "the allocator served them (mallocs +%llu, frees +%llu)", DELTA(before, after, malloc_calls),
          DELTA(before, after, free_calls));

    before = snap();
    size_t alignments[] = {16, 64, 4096, 65536};
    for (int i = 0; i < 4; i++) {
        char *a = _aligned_malloc(1000, alignments[i]);
        CHECK(a != NULL && (uintptr_t)a % alignments[i] == 0, "_aligned_malloc(1000, %zu) is aligned", alignments[i]);
        memset(a, 3, 1000);
        a = _aligned_realloc(a, 3000, alignments[i]);
        CHECK(a != NULL && (uintptr_t)a % alignments[i] == 0 && a[999] == 3,
              "_aligned_realloc keeps alignment and contents");
        _aligned_free(a);
        char *o = _aligned_offset_malloc(200, alignments[i], 8);
        CHECK(o != NULL && (uintptr_t)(o + 8) % alignments[i] == 0, "_aligned_offset_malloc(200, %zu, 8)",
              alignments[i]);
        _aligned_free(o);
    }
    errno = 0;
    CHECK(_aligned_malloc(10, 24) == NULL && errno == EINVAL, "_aligned_malloc with alignment 24 -> EINVAL");
    _aligned_free(NULL);
    after = snap();
    CHECK(DELTA(before, after, malloc_calls) + DELTA(before, after, memalign_calls) >= 12 &&
              DELTA(before, after, free_calls) >= 12,
          "the _aligned_ family reached the allocator (allocations +%llu, frees +%llu)",
          DELTA(before, after, malloc_calls) + DELTA(before, after, memalign_calls), DELTA(before, after, free_calls));
}

/* ---- blocks the CRT handed out before the DLL was loaded --------------------------------------- */
static char *foreign, *foreign_moved, *foreign_aligned;

static void make_foreign(void) {
    foreign = malloc(100);
    foreign_moved = malloc(64);
    foreign_aligned = _aligned_malloc(256, 64);
    memset(foreign, 1, 100);
    memset(foreign_moved, 2, 64);
    memset(foreign_aligned, 3, 256);
}

static void test_foreign(void) {
    struct alloc8_demo_stats before = snap();
    CHECK(_msize(foreign) == 100, "_msize of a CRT block is the CRT's answer (%zu)", _msize(foreign));
    free(foreign);
    _aligned_free(foreign_aligned);
    struct alloc8_demo_stats after = snap();
    CHECK(DELTA(before, after, free_calls) == 0, "CRT blocks went back to the CRT, not to the allocator (+%llu frees)",
          DELTA(before, after, free_calls));
    char *moved = realloc(foreign_moved, 4000);
    CHECK(moved != NULL && moved[0] == 2 && moved[63] == 2, "realloc of a CRT block keeps its contents");
    after = snap();
    CHECK(DELTA(before, after, malloc_calls) == 1, "... and moves it into the allocator (+%llu mallocs)",
          DELTA(before, after, malloc_calls));
    free(moved);
}

/* ---- a module loaded after the interposer ------------------------------------------------------ */
static void test_later_module(const char *path) {
    HMODULE late = LoadLibraryA(path);
    CHECK(late != NULL, "LoadLibrary(%s)", path);
    if (late == NULL)
        return;
    void *(*late_malloc)(size_t) = (void *(*)(size_t))(void (*)(void))GetProcAddress(late, "late_module_malloc");
    void (*late_free)(void *) = (void (*)(void *))(void (*)(void))GetProcAddress(late, "late_module_free");
    struct alloc8_demo_stats before = snap();
    void *p = late_malloc(77);
    late_free(p);
    struct alloc8_demo_stats after = snap();
    CHECK(DELTA(before, after, malloc_calls) == 1 && DELTA(before, after, free_calls) == 1,
          "a DLL loaded later was patched as it loaded (mallocs +%llu, frees +%llu)",
          DELTA(before, after, malloc_calls), DELTA(before, after, free_calls));
}

/* ---- a module that uses the Universal CRT -------------------------------------------------------- */
static HMODULE ucrt_module;

static void test_ucrt_module(void) {
    unsigned (*exercise)(void) =
        (unsigned (*)(void))(void (*)(void))GetProcAddress(ucrt_module, "ucrt_module_exercise");
    struct alloc8_demo_stats before = snap();
    unsigned failed = exercise();
    struct alloc8_demo_stats after = snap();
    CHECK(failed == 0, "ucrt_module: the UCRT's functions kept their semantics (failed checks 0x%x)", failed);
    /* malloc, _recalloc (moves the block: one more), _malloc_base; _aligned_malloc (an aligned
       allocation); free, the moved block, _aligned_free, _free_base; its foreign free is not ours */
    CHECK(DELTA(before, after, malloc_calls) == 3 && DELTA(before, after, memalign_calls) == 1 &&
              DELTA(before, after, free_calls) == 4,
          "ucrt_module's imports from ucrtbase.dll were patched (mallocs +%llu, aligned +%llu, frees +%llu)",
          DELTA(before, after, malloc_calls), DELTA(before, after, memalign_calls), DELTA(before, after, free_calls));
}

int main(int argc, char **argv) {
    if (argc != 4) {
        printf("usage: crt_served.exe <interposer DLL> <late_module DLL> <ucrt_module DLL>\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    make_foreign();
    ucrt_module = LoadLibraryA(argv[3]);
    if (ucrt_module == NULL) {
        printf("FAIL: LoadLibrary(%s): error %lu\n", argv[3], GetLastError());
        return 1;
    }
    void (*ucrt_make_foreign)(void) = (void (*)(void))GetProcAddress(ucrt_module, "ucrt_module_make_foreign");
    ucrt_make_foreign();
    go_event = CreateEventA(NULL, TRUE, FALSE, NULL);
    running_event = CreateEventA(NULL, TRUE, FALSE, NULL);
    HANDLE early = CreateThread(NULL, 0, early_thread, NULL, 0, NULL);
    WaitForSingleObject(running_event, INFINITE);

    HMODULE dll = LoadLibraryA(argv[1]);
    if (dll == NULL) {
        printf("FAIL: LoadLibrary(%s): error %lu\n", argv[1], GetLastError());
        return 1;
    }
    if (!counters_from(dll, argv[1]))
        return 1;

    SetEvent(go_event);
    WaitForSingleObject(early, INFINITE);
    CloseHandle(early);
    CHECK(early_seen_before.inits == 0 && early_seen_after.state == DEMO_THREAD_HOOKED && early_seen_after.inits == 1,
          "a thread older than the DLL ran init lazily, at its first allocation (inits %u -> %u, state %d)",
          early_seen_before.inits, early_seen_after.inits, early_seen_after.state);
    CHECK(early_seen_after.cleanups == 0, "... and no cleanup before it ended");

    test_foreign();
    test_served();
    test_threads();
    test_later_module(argv[2]);
    test_ucrt_module();

    struct alloc8_demo_thread m = me();
    CHECK(m.state == DEMO_THREAD_HOOKED && m.inits == 1, "the main thread ran init lazily, once (state %d, inits %u)",
          m.state, m.inits);
    return check_report("crt_served");
}
