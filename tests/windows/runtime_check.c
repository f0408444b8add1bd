/* SPDX-License-Identifier: MIT */
/* The alloc8 runtime (liballoc8rt.a) built for Windows by the project's top level with the mingw-w64
 * toolchain file, run under Wine by run_wine.sh (step toplevel; docs/platforms.md): without the GC
 * arenas get the `none` strategy; arena, counting allocator and registry serve and own their
 * blocks; the current allocator and the last error are per thread (emulated thread-locals); and the
 * error messages print sizes right through the C runtime's printf (no %zu in msvcrt.dll). */
#include "alloc8/arena.h"
#include "alloc8/counting.h"
#include "alloc8/current.h"
#include "alloc8/gc.h"
#include "alloc8/registry.h"
#include "../support/check.h" /* by its path: cmake_project adds no include directory for it */

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>

enum { BLOCKS = 20000 };

static void arena_serves(void) {
    CHECK(!alloc8_gc_available(), "the Windows runtime claims to have the GC");
    alloc8_arena_options options = {.chunk_size = 4096};
    alloc8_allocator *arena = alloc8_arena_create(&options);
    CHECK(arena != NULL, "no arena: %s", alloc8_last_error());
    if (arena == NULL)
        return;
    CHECK(alloc8_arena_roots(arena) == ALLOC8_ROOTS_NONE, "the default strategy is %s, not none",
          alloc8_roots_name(alloc8_arena_roots(arena)));
    int bad = 0;
    for (unsigned i = 0; i < BLOCKS; i++) {
        size_t size = 1 + i % 3000, alignment = (size_t)1 << (i % 12);
        unsigned char *block = alloc8_alloc(arena, size, alignment);
        if (block == NULL || (uintptr_t)block % alignment != 0 || !alloc8_owns(arena, block) ||
            alloc8_owner(block) != arena) {
            bad++;
            continue;
        }
        memset(block, (int)i, size);
    }
    alloc8_allocator_stats stats;
    alloc8_stats(arena, &stats);
    CHECK(bad == 0 && stats.allocations == BLOCKS, "%d of %d arena blocks bad, %llu allocations counted", bad, BLOCKS,
          (unsigned long long)stats.allocations);
    alloc8_reset(arena);
    alloc8_stats(arena, &stats);
    CHECK(stats.resets == 1 && stats.bytes_used == 0, "reset: %llu resets, %llu bytes used",
          (unsigned long long)stats.resets, (unsigned long long)stats.bytes_used);

    /* sizes in messages, through msvcrt's vsnprintf */
    CHECK(alloc8_alloc(arena, 8, 3) == NULL &&
              strcmp(alloc8_last_error(), "alloc8 arena: alignment 3 is not a power of two") == 0,
          "bad alignment: \"%s\"", alloc8_last_error());
    alloc8_arena_options tiny = {.chunk_size = 100};
    CHECK(alloc8_arena_create(&tiny) == NULL &&
              strcmp(alloc8_last_error(), "alloc8 arena: chunk_size 100 is out of range (expected 256 to "
                                          "4611686018427387903, or 0 for the default)") == 0,
          "bad chunk size: \"%s\"", alloc8_last_error());
    alloc8_destroy(arena);
}

static void counting_serves(void) {
    alloc8_allocator *counting = alloc8_counting_create();
    CHECK(counting != NULL, "no counting allocator: %s", alloc8_last_error());
    if (counting == NULL)
        return;
    void *blocks[64];
    int bad = 0;
    for (int i = 0; i < 64; i++) {
        blocks[i] = alloc8_alloc(counting, 100 + (size_t)i, 64);
        if (blocks[i] == NULL || (uintptr_t)blocks[i] % 64 != 0 || alloc8_owner(blocks[i]) != counting)
            bad++;
    }
    for (int i = 0; i < 64; i++)
        alloc8_free(counting, blocks[i], 100 + (size_t)i, 64);
    alloc8_allocator_stats stats;
    alloc8_stats(counting, &stats);
    CHECK(bad == 0 && stats.allocations == 64 && stats.frees == 64 && stats.bytes_used == 0,
          "counting: %d bad, %llu allocations, %llu frees", bad, (unsigned long long)stats.allocations,
          (unsigned long long)stats.frees);
    CHECK(alloc8_alloc(counting, 8, 6) == NULL &&
              strcmp(alloc8_last_error(), "alloc8 counting: alignment 6 is not a power of two") == 0,
          "counting, bad alignment: \"%s\"", alloc8_last_error());
    alloc8_destroy(counting);
}

/* Another thread starts with no current allocator and its own last error. */
static DWORD WINAPI other_thread(void *arg) {
    alloc8_allocator *main_current = arg;
    int ok = alloc8_current() == NULL && alloc8_last_error()[0] == '\0';
    alloc8_allocator *mine = alloc8_counting_create();
    alloc8_allocator *previous = alloc8_push(mine);
    ok = ok && previous == NULL && alloc8_current() == mine && alloc8_current() != main_current;
    ok = ok && alloc8_pop(mine, previous) == 0 && alloc8_current() == NULL;
    alloc8_destroy(mine);
    alloc8_set_last_error("the other thread's error");
    return (DWORD)ok;
}

static void current_per_thread(void) {
    alloc8_allocator *arena = alloc8_arena_create(NULL);
    alloc8_allocator *previous = alloc8_push(arena);
    alloc8_set_last_error("the main thread's error");
    HANDLE thread = CreateThread(NULL, 0, other_thread, arena, 0, NULL);
    DWORD ok = 0;
    CHECK(thread != NULL, "no thread");
    if (thread != NULL) {
        WaitForSingleObject(thread, INFINITE);
        GetExitCodeThread(thread, &ok);
        CloseHandle(thread);
    }
    CHECK(ok == 1, "another thread saw this thread's current allocator or last error");
    CHECK(alloc8_current() == arena && strcmp(alloc8_last_error(), "the main thread's error") == 0,
          "the main thread's current allocator or last error changed");
    CHECK(alloc8_pop(arena, previous) == 0, "pop");
    alloc8_destroy(arena);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    arena_serves();
    counting_serves();
    current_per_thread();
    return check_report("runtime_check");
}
