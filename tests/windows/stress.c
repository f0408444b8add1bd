/* SPDX-License-Identifier: MIT */
/* Multi-threaded stress with cross-thread frees through the patched C runtime, run under Wine by
 * run_wine.sh: producer threads (CreateThread) allocate blocks of varied sizes and alignments,
 * fill them with a pattern and hand them over a locked queue to consumer threads
 * (_beginthreadex), which check the pattern and free them. The demo allocator's counters must
 * balance: every block it handed out came back, and init == cleanup == threads.
 *
 * Usage: stress.exe <interposer DLL> [ignored...] */
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

enum { PAIRS = 3, BLOCKS = 20000, QUEUE = 256 };

static struct {
    CRITICAL_SECTION lock;
    CONDITION_VARIABLE not_empty, not_full;
    unsigned char *slot[QUEUE];
    int aligned[QUEUE];
    size_t head, count;
    int producers_left;
} queue;

static LONG corrupt;

static void put(unsigned char *block, int aligned) {
    EnterCriticalSection(&queue.lock);
    while (queue.count == QUEUE)
        SleepConditionVariableCS(&queue.not_full, &queue.lock, INFINITE);
    size_t at = (queue.head + queue.count++) % QUEUE;
    queue.slot[at] = block;
    queue.aligned[at] = aligned;
    WakeConditionVariable(&queue.not_empty);
    LeaveCriticalSection(&queue.lock);
}

/* NULL once the queue is empty and every producer has finished. */
static unsigned char *take(int *aligned) {
    EnterCriticalSection(&queue.lock);
    while (queue.count == 0 && queue.producers_left > 0)
        SleepConditionVariableCS(&queue.not_empty, &queue.lock, INFINITE);
    unsigned char *block = NULL;
    if (queue.count > 0) {
        block = queue.slot[queue.head];
        *aligned = queue.aligned[queue.head];
        queue.head = (queue.head + 1) % QUEUE;
        queue.count--;
        WakeConditionVariable(&queue.not_full);
    }
    LeaveCriticalSection(&queue.lock);
    return block;
}

static DWORD WINAPI producer(void *arg) {
    uint32_t seed = (uint32_t)(uintptr_t)arg * 2654435761u + 1;
    for (int i = 0; i < BLOCKS; i++) {
        seed ^= seed << 13, seed ^= seed >> 17, seed ^= seed << 5;
        size_t size = 16 + seed % (i % 64 == 0 ? 200000 : 2000); /* now and then a large block */
        int aligned = i % 16 == 0;
        unsigned char *block = aligned ? _aligned_malloc(size, 128) : malloc(size);
        if (block == NULL) {
            InterlockedIncrement(&corrupt);
            continue;
        }
        block[0] = (unsigned char)size;
        block[size - 1] = (unsigned char)(size >> 3);
        memcpy(block + 1, &size, sizeof size);
        put(block, aligned);
    }
    EnterCriticalSection(&queue.lock);
    queue.producers_left--;
    WakeAllConditionVariable(&queue.not_empty);
    LeaveCriticalSection(&queue.lock);
    return 0;
}

static unsigned __stdcall consumer(void *arg) {
    (void)arg;
    int aligned;
    unsigned char *block;
    while ((block = take(&aligned)) != NULL) {
        size_t size = 0;
        memcpy(&size, block + 1, sizeof size);
        if (size < 16 || block[0] != (unsigned char)size || block[size - 1] != (unsigned char)(size >> 3) ||
            (aligned && (uintptr_t)block % 128 != 0))
            InterlockedIncrement(&corrupt);
        if (aligned)
            _aligned_free(block);
        else
            free(block);
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        printf("usage: stress.exe <interposer DLL>\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    HMODULE dll = LoadLibraryA(argv[1]);
    if (dll == NULL || !counters_from(dll, argv[1])) {
        printf("FAIL: could not load %s and its counters\n", argv[1]);
        return 1;
    }
    InitializeCriticalSection(&queue.lock);
    InitializeConditionVariable(&queue.not_empty);
    InitializeConditionVariable(&queue.not_full);
    queue.producers_left = PAIRS;
    struct alloc8_demo_stats before = snap();
    HANDLE threads[2 * PAIRS];
    for (int i = 0; i < PAIRS; i++) {
        threads[i] = CreateThread(NULL, 0, producer, (void *)(uintptr_t)(i + 1), 0, NULL);
        threads[PAIRS + i] = (HANDLE)_beginthreadex(NULL, 0, consumer, NULL, 0, NULL);
    }
    for (int i = 0; i < 2 * PAIRS; i++) {
        WaitForSingleObject(threads[i], INFINITE);
        CloseHandle(threads[i]);
    }
    struct alloc8_demo_stats after = snap();
    unsigned long long allocs = DELTA(before, after, malloc_calls) + DELTA(before, after, memalign_calls);
    CHECK(corrupt == 0, "%ld blocks were lost or damaged on their way between threads", corrupt);
    CHECK(allocs >= (unsigned long long)PAIRS * BLOCKS && allocs == DELTA(before, after, free_calls),
          "the allocator handed out %llu blocks and took back %llu (want %d each)", allocs,
          DELTA(before, after, free_calls), PAIRS * BLOCKS);
    CHECK(DELTA(before, after, thread_inits) == 2 * PAIRS && DELTA(before, after, thread_cleanups) == 2 * PAIRS,
          "%llu inits and %llu cleanups for %d threads", DELTA(before, after, thread_inits),
          DELTA(before, after, thread_cleanups), 2 * PAIRS);
    printf("stress: %d threads, %llu blocks across threads, %llu inits, %llu cleanups\n", 2 * PAIRS, allocs,
           DELTA(before, after, thread_inits), DELTA(before, after, thread_cleanups));
    return check_report("stress");
}
