/* SPDX-License-Identifier: MIT */
/* A program that starts threads under tls_alloc.c, an allocator whose per-thread state is a C
 * thread-local (mingw-w64's emulated TLS), with its thread hooks: run by run_wine.sh (step tls)
 * under Wine (docs/platforms.md).
 *
 * It allocates with the C runtime, then gets the allocator (loads the DLL, or has it linked in with
 * ALLOC8_STATIC), frees the earlier blocks (they go back to the C runtime), and starts two waves of
 * CreateThread and _beginthreadex threads that allocate, check and free blocks of 2 bytes to 64 KiB.
 * Each thread must find its init hook run before its start routine, every block must be the
 * allocator's, and the counters must balance: init == cleanup == threads, frees == allocations.
 *
 * Usage: tls_threads.exe <interposer DLL>     (the DLL mode)
 *        tls_threads.exe                      (built with TLS_ALLOC_STATIC=1: the link-time mode) */
#include "../support/check.h" /* by its path: run_wine.sh adds no include directory for it */
#include "tls_alloc.h"

#include <malloc.h>
#include <process.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

enum { WAVES = 2, PER_KIND = 4, THREADS = 2 * PER_KIND, ROUNDS = 3000, SLOTS = 48, EARLY = 8 };

static void (*stats_get)(struct tls_alloc_stats *);
static void (*thread_get)(struct tls_alloc_thread *);
static int (*owns)(const void *);

static LONG not_initialised, not_owned, damaged, failed;

/* The program's own thread-local, emulated as well: the program's runtime allocates it in each
 * thread that touches it (with the patched malloc: from the allocator) and frees it as the thread
 * ends, after the allocator's thread state may be gone. */
static __thread unsigned char program_tls[200];

static struct tls_alloc_stats snap(void) {
    struct tls_alloc_stats s;
    stats_get(&s);
    return s;
}

/* Bounded work: ROUNDS allocations of varied sizes in SLOTS slots, each checked before its free. */
static void work(unsigned seed) {
    unsigned seed_at_start = seed;
    struct tls_alloc_thread me;
    thread_get(&me);
    if (!me.active || me.inits != 1) /* init ran in this thread before its start routine */
        InterlockedIncrement(&not_initialised);
    memset(program_tls, (int)(seed & 0xff), sizeof program_tls);
    unsigned char *slot[SLOTS] = {0};
    size_t size[SLOTS] = {0};
    for (int i = 0; i < ROUNDS; i++) {
        seed = seed * 1103515245u + 12345u;
        int s = (int)((seed >> 8) % SLOTS);
        if (slot[s] != NULL) {
            if (slot[s][0] != (unsigned char)size[s] || slot[s][size[s] - 1] != (unsigned char)(s + 1))
                InterlockedIncrement(&damaged);
            free(slot[s]);
        }
        size[s] = 2 + (seed >> 12) % (i % 97 == 0 ? 65536 : 512); /* two bytes to check */
        slot[s] = i % 11 == 0 ? calloc(1, size[s]) : malloc(size[s]);
        if (slot[s] == NULL) {
            InterlockedIncrement(&failed);
            continue;
        }
        if (!owns(slot[s]))
            InterlockedIncrement(&not_owned);
        slot[s][0] = (unsigned char)size[s];
        slot[s][size[s] - 1] = (unsigned char)(s + 1);
    }
    for (int s = 0; s < SLOTS; s++)
        free(slot[s]);
    if (program_tls[sizeof program_tls - 1] != (unsigned char)(seed_at_start & 0xff))
        InterlockedIncrement(&damaged);
}

static DWORD WINAPI created(void *arg) {
    work((unsigned)(uintptr_t)arg);
    return 0;
}

static unsigned __stdcall begun(void *arg) {
    work((unsigned)(uintptr_t)arg);
    return 0;
}

/* Allocates nothing: its init and cleanup free what the wave's threads freed after their cleanup
 * (the program's thread-locals, freed as each thread ended), which the glue kept for later. */
static DWORD WINAPI quiet(void *arg) {
    (void)arg;
    return 0;
}

static void run(HANDLE thread) {
    if (thread == NULL) {
        CHECK(0, "a thread did not start");
        return;
    }
    WaitForSingleObject(thread, INFINITE); /* it has ended: its DLL_THREAD_DETACH work is done */
    CloseHandle(thread);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    /* blocks from the C runtime, before the allocator is there */
    char *early[EARLY];
    for (int i = 0; i < EARLY; i++) {
        early[i] = malloc(100 + 1000 * (size_t)i);
        if (early[i] != NULL)
            memset(early[i], 'a' + i, 100);
    }
#if defined(TLS_ALLOC_STATIC) && TLS_ALLOC_STATIC
    (void)argc;
    (void)argv;
    const char *how = "linked in";
    int dll_mode = 0;
    stats_get = tls_alloc_stats_get;
    thread_get = tls_alloc_thread_get;
    owns = tls_alloc_owns;
#else
    if (argc < 2) {
        printf("usage: tls_threads.exe <interposer DLL>\n");
        return 2;
    }
    const char *how = argv[1];
    int dll_mode = 1;
    HMODULE dll = LoadLibraryA(argv[1]);
    if (dll != NULL) {
        stats_get = (void (*)(struct tls_alloc_stats *))(void (*)(void))GetProcAddress(dll, "tls_alloc_stats_get");
        thread_get = (void (*)(struct tls_alloc_thread *))(void (*)(void))GetProcAddress(dll, "tls_alloc_thread_get");
        owns = (int (*)(const void *))(void (*)(void))GetProcAddress(dll, "tls_alloc_owns");
    }
    if (stats_get == NULL || thread_get == NULL || owns == NULL) {
        printf("FAIL: could not load %s and its counters\n", argv[1]);
        return 1;
    }
#endif
    struct tls_alloc_stats before = snap();
    /* The DLL mode: the main thread runs init lazily, at its first allocation, here: the process's
       first touch of an emulated thread-local, for which mingw-w64's runtime allocates what it keeps
       until the process ends. */
    program_tls[0] = 1;
    char *mine = malloc(64);
    CHECK(mine != NULL && owns(mine), "malloc in the main thread was not served by the allocator");
    free(mine);
    struct tls_alloc_thread main_view;
    thread_get(&main_view);
    CHECK(main_view.active && main_view.inits == 1, "the main thread: active %d, %u inits (want 1, 1)",
          main_view.active, main_view.inits);
    struct tls_alloc_stats after = snap();
    if (dll_mode) {
        CHECK(DELTA(before, after, thread_inits) == 1, "%llu inits for the main thread (want 1)",
              DELTA(before, after, thread_inits));
        before = snap();
        int early_ok = 1;
        for (int i = 0; i < EARLY; i++) {
            if (early[i] == NULL || owns(early[i]) || early[i][99] != 'a' + i)
                early_ok = 0;
            free(early[i]); /* the C runtime's: back to it, not to the allocator */
        }
        after = snap();
        CHECK(early_ok, "the blocks from before the allocator were lost or taken for its own");
        CHECK(after.free_calls == before.free_calls, "%llu blocks from before the allocator reached its free",
              DELTA(before, after, free_calls));
    } else { /* linked in, the allocator served the C runtime's start-up code and these too */
        for (int i = 0; i < EARLY; i++) {
            CHECK(early[i] != NULL && owns(early[i]) && early[i][99] == 'a' + i, "early block %d", i);
            free(early[i]);
        }
    }

    unsigned long long allocations = 0;
    for (int wave = 0; wave < WAVES; wave++) {
        before = snap();
        HANDLE threads[THREADS];
        for (int i = 0; i < PER_KIND; i++) {
            unsigned seed = (unsigned)(wave * THREADS + 2 * i + 1);
            threads[i] = CreateThread(NULL, 0, created, (void *)(uintptr_t)seed, 0, NULL);
            threads[PER_KIND + i] = (HANDLE)_beginthreadex(NULL, 0, begun, (void *)(uintptr_t)(seed + 1), 0, NULL);
        }
        for (int i = 0; i < THREADS; i++)
            run(threads[i]);
        run(CreateThread(NULL, 0, quiet, NULL, 0, NULL));
        after = snap();
        unsigned long long mallocs = DELTA(before, after, malloc_calls);
        unsigned long long frees = DELTA(before, after, free_calls);
        allocations += mallocs;
        CHECK(DELTA(before, after, thread_inits) == THREADS + 1 && DELTA(before, after, thread_cleanups) == THREADS + 1,
              "wave %d: %llu inits and %llu cleanups for %d threads", wave, DELTA(before, after, thread_inits),
              DELTA(before, after, thread_cleanups), THREADS + 1);
        CHECK(mallocs >= (unsigned long long)THREADS * ROUNDS && frees == mallocs,
              "wave %d: the allocator handed out %llu blocks and took back %llu (want at least %d, balanced)", wave,
              mallocs, frees, THREADS * ROUNDS);
        CHECK(after.blocks_returned > before.blocks_returned, "wave %d: the cleanups handed no cached block back",
              wave);
    }
    CHECK(not_initialised == 0, "%ld threads did not see their init before their start routine", not_initialised);
    CHECK(not_owned == 0, "%ld blocks in threads were not the allocator's", not_owned);
    CHECK(damaged == 0 && failed == 0, "%ld blocks damaged, %ld allocations failed", damaged, failed);
    printf("tls_threads (%s): %d threads, %llu allocations\n", how, WAVES * THREADS, allocations);
    char name[64];
    snprintf(name, sizeof name, "tls_threads (%s)", how);
    return check_report(name);
}
