/* SPDX-License-Identifier: MIT */
/* The demo allocator on its own, linked directly (no interposition: this program's malloc is
 * glibc's). Checks alignment, sizes, ownership, overflow, threads with cross-thread frees, cache
 * recycling over many short threads, exact counters, and fork with the locks held. */
#define _GNU_SOURCE
#include "check.h"
#include "demo_allocator.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int aligned(const void *p, size_t a) {
    return ((uintptr_t)p & (a - 1)) == 0;
}

static void test_sizes_and_alignment(void) {
    for (size_t size = 0; size <= 70000; size += size < 300 ? 1 : 97) {
        unsigned char *p = xxmalloc(size);
        CHECK(p != NULL && aligned(p, 16), "xxmalloc(%zu) is 16-aligned\n", size);
        if (p == NULL)
            return;
        CHECK(xxmalloc_usable_size(p) >= size, "usable_size(xxmalloc(%zu))\n", size);
        memset(p, 0xab, size);
        CHECK(xxmalloc_owns(p), "owns(xxmalloc(%zu))\n", size);
        xxfree(p);
    }
    for (size_t align = 16; align <= ((size_t)1 << 22); align <<= 1) {
        size_t sizes[] = {1, 17, align - 1 > 0 ? align - 1 : 1, align, align + 1, 100000};
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            void *p = xxmemalign(align, sizes[i]);
            CHECK(p != NULL && aligned(p, align), "xxmemalign(%zu, %zu)\n", align, sizes[i]);
            if (p == NULL)
                continue;
            CHECK(xxmalloc_usable_size(p) >= sizes[i], "usable_size(xxmemalign(%zu, %zu))\n", align, sizes[i]);
            memset(p, 1, sizes[i]);
            xxfree(p);
        }
    }
    void *a = xxmalloc(0), *b = xxmalloc(0);
    CHECK(a != NULL && b != NULL && a != b, "xxmalloc(0) returns unique pointers\n");
    xxfree(a);
    xxfree(b);
    CHECK(xxmalloc(SIZE_MAX) == NULL, "xxmalloc(SIZE_MAX) fails\n");
    CHECK(xxmalloc(SIZE_MAX / 2 + 1) == NULL, "xxmalloc(SIZE_MAX/2+1) fails\n");
    CHECK(xxmemalign(4096, SIZE_MAX - 100) == NULL, "xxmemalign(4096, SIZE_MAX-100) fails\n");
}

static void test_distinct_blocks(void) {
    enum { N = 3000 };
    static unsigned char *blocks[N];
    static size_t sizes[N];
    for (int i = 0; i < N; i++) {
        sizes[i] = (size_t)(i * 7919) % (i % 50 == 0 ? 300000 : 2000);
        blocks[i] = xxmalloc(sizes[i]);
        memset(blocks[i], i & 0xff, sizes[i]);
    }
    for (int i = 0; i < N; i++) {
        for (size_t j = 0; j < sizes[i]; j += 61)
            if (blocks[i][j] != (i & 0xff)) {
                CHECK(0, "block %d overlaps another block\n", i);
                break;
            }
        xxfree(blocks[i]);
    }
}

static void test_ownership(void) {
    int on_stack;
    void *glibc = malloc(100);
    void *large = xxmalloc(1 << 20);
    CHECK(xxmalloc_owns(large), "owns a large block\n");
    CHECK(!xxmalloc_owns(glibc), "does not own glibc's block\n");
    CHECK(!xxmalloc_owns(&on_stack), "does not own the stack\n");
    CHECK(!xxmalloc_owns(NULL) && !xxmalloc_owns((void *)1), "does not own NULL or 1\n");
    CHECK(!xxmalloc_owns((char *)large + 4096), "does not own the inside of a large block\n");
    xxfree(large);
    CHECK(!xxmalloc_owns(large), "no longer owns a freed large block\n");
    free(glibc);
}

static void test_counters(void) {
    struct alloc8_demo_stats before, after;
    void *p[10];
    alloc8_demo_stats_get(&before);
    for (int i = 0; i < 10; i++)
        p[i] = xxmalloc(100);
    void *q = xxmemalign(64, 10);
    void *big = xxmalloc(200000);
    xxmalloc_usable_size(q);
    for (int i = 0; i < 10; i++)
        xxfree(p[i]);
    xxfree(q);
    xxfree(big);
    xxfree(NULL);
    alloc8_demo_stats_get(&after);
    CHECK(after.malloc_calls - before.malloc_calls == 11, "malloc_calls +11\n");
    CHECK(after.memalign_calls - before.memalign_calls == 1, "memalign_calls +1\n");
    CHECK(after.free_calls - before.free_calls == 12, "free_calls +12 (NULL not counted)\n");
    CHECK(after.usable_size_calls - before.usable_size_calls == 1, "usable_size_calls +1\n");
    CHECK(after.bytes_requested - before.bytes_requested == 1000 + 10 + 200000, "bytes_requested\n");
    CHECK(after.large_allocs - before.large_allocs == 1, "large_allocs +1\n");
}

/* 16 threads pass blocks to each other through slots; the taker verifies and frees. */
enum { THREADS = 16, SLOTS = 256, OPS = 20000 };
static void *_Atomic slots[SLOTS];
static atomic_int corrupt;

static void *exchange_worker(void *arg) {
    unsigned seed = (unsigned)(uintptr_t)arg * 2654435761u + 1;
    for (int op = 0; op < OPS; op++) {
        seed = seed * 1103515245u + 12345u;
        size_t size = 8 + (seed >> 8) % (op % 97 == 0 ? 150000 : 1500);
        unsigned char *block = op % 13 == 0 ? xxmemalign((size_t)64 << (seed % 4), size) : xxmalloc(size);
        if (block == NULL) {
            atomic_store(&corrupt, 1);
            break;
        }
        memcpy(block, &size, sizeof size);
        memset(block + sizeof size, (int)(size & 0xff), size - sizeof size);
        unsigned char *old = atomic_exchange(&slots[(seed >> 4) % SLOTS], block);
        if (old != NULL) {
            size_t old_size;
            memcpy(&old_size, old, sizeof old_size);
            for (size_t i = sizeof old_size; i < old_size; i += 31)
                if (old[i] != (old_size & 0xff))
                    atomic_store(&corrupt, 1);
            xxfree(old);
        }
    }
    return NULL;
}

static void test_threads(void) {
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, exchange_worker, (void *)(uintptr_t)(i + 1));
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < SLOTS; i++)
        xxfree(atomic_exchange(&slots[i], NULL));
    CHECK(!atomic_load(&corrupt), "16 threads with cross-thread frees keep every block intact\n");
}

static void *short_worker(void *arg) {
    (void)arg;
    xxfree(xxmalloc(64));
    return NULL;
}

static void test_cache_recycling(void) {
    struct alloc8_demo_stats before, after;
    alloc8_demo_stats_get(&before);
    for (int i = 0; i < 2000; i++) {
        pthread_t t;
        pthread_create(&t, NULL, short_worker, NULL);
        pthread_join(t, NULL);
    }
    alloc8_demo_stats_get(&after);
    uint64_t handed = after.thread_caches - before.thread_caches;
    uint64_t reused = after.thread_caches_reused - before.thread_caches_reused;
    CHECK(handed == 2000, "2000 threads got a cache each (got %llu)\n", (unsigned long long)handed);
    CHECK(handed - reused < 64, "caches are recycled: %llu new caches for 2000 threads\n",
          (unsigned long long)(handed - reused));
}

static void test_fork(void) {
    void *before = xxmalloc(1000);
    xxmalloc_lock();
    pid_t pid = fork();
    if (pid == 0) {
        xxmalloc_unlock();
        void *p = xxmalloc(100), *big = xxmalloc(1 << 20);
        int ok = p != NULL && big != NULL;
        xxfree(p);
        xxfree(big);
        xxfree(before);
        _exit(ok ? 0 : 1);
    }
    xxmalloc_unlock();
    int status = 0;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "the child allocates after fork with the locks released\n");
    xxfree(before);
}

int main(void) {
    test_sizes_and_alignment();
    test_distinct_blocks();
    test_ownership();
    test_counters();
    test_threads();
    test_cache_recycling();
    test_fork();
    return check_report("demo allocator");
}
