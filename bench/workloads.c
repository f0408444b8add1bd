/* SPDX-License-Identifier: MIT */
/* Multi-threaded allocation workloads, modelled on three classic allocator benchmarks. Each
 * prints its wall time in seconds (CLOCK_MONOTONIC, set-up excluded); run it with LD_PRELOAD to
 * measure an allocator.
 *   workloads larson     <threads> <scale>  server simulation: each thread replaces random blocks
 *                                           of random sizes in a slot array, then hands the array
 *                                           to a new thread, which frees what the old one allocated
 *   workloads xmalloc    <threads> <scale>  producers allocate, consumers free (every block
 *                                           crosses threads), through a bounded queue
 *   workloads threadtest <threads> <scale>  each thread allocates a batch of 64-byte objects and
 *                                           frees them all, again and again
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint32_t next_random(uint32_t *state) { /* xorshift32: the same sequence for every run */
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

static void touch(void *p, size_t size) { /* write the first and last byte, as a program would */
    unsigned char *bytes = p;
    bytes[0] = 1;
    bytes[size - 1] = 2;
}

/* ---- larson --------------------------------------------------------------------------------- */
enum { LARSON_SLOTS = 1000, LARSON_ROUNDS = 10 };
struct larson_arg {
    void **slots;
    long operations;
    uint32_t seed;
};

static void *larson_thread(void *p) {
    struct larson_arg *arg = p;
    uint32_t state = arg->seed;
    for (long i = 0; i < arg->operations; i++) {
        uint32_t r = next_random(&state);
        size_t slot = r % LARSON_SLOTS, size = 16 + (r >> 16) % 1009;
        free(arg->slots[slot]);
        arg->slots[slot] = malloc(size);
        touch(arg->slots[slot], size);
    }
    return NULL;
}

static double larson(int threads, long scale) {
    void ***arrays = calloc((size_t)threads, sizeof *arrays);
    for (int t = 0; t < threads; t++)
        arrays[t] = calloc(LARSON_SLOTS, sizeof(void *));
    double start = now();
    for (int round = 0; round < LARSON_ROUNDS; round++) {
        /* a new generation of threads takes over the previous generation's blocks */
        pthread_t ids[64];
        struct larson_arg args[64];
        for (int t = 0; t < threads; t++) {
            args[t] = (struct larson_arg){arrays[(t + round) % threads], scale * 10, (uint32_t)(round * 64 + t + 1)};
            pthread_create(&ids[t], NULL, larson_thread, &args[t]);
        }
        for (int t = 0; t < threads; t++)
            pthread_join(ids[t], NULL);
    }
    double elapsed = now() - start;
    for (int t = 0; t < threads; t++) {
        for (int s = 0; s < LARSON_SLOTS; s++)
            free(arrays[t][s]);
        free(arrays[t]);
    }
    free(arrays);
    return elapsed;
}

/* ---- xmalloc -------------------------------------------------------------------------------- */
enum { QUEUE_SIZE = 4096, BATCH = 64 };
static struct {
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full;
    void *items[QUEUE_SIZE][BATCH];
    size_t head, tail, count;
} queue = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER, {{0}}, 0, 0, 0};

static void queue_put(void *const batch[BATCH]) {
    pthread_mutex_lock(&queue.lock);
    while (queue.count == QUEUE_SIZE)
        pthread_cond_wait(&queue.not_full, &queue.lock);
    memcpy(queue.items[queue.tail], batch, sizeof queue.items[0]);
    queue.tail = (queue.tail + 1) % QUEUE_SIZE;
    queue.count++;
    pthread_cond_signal(&queue.not_empty);
    pthread_mutex_unlock(&queue.lock);
}

static void queue_take(void *batch[BATCH]) {
    pthread_mutex_lock(&queue.lock);
    while (queue.count == 0)
        pthread_cond_wait(&queue.not_empty, &queue.lock);
    memcpy(batch, queue.items[queue.head], sizeof queue.items[0]);
    queue.head = (queue.head + 1) % QUEUE_SIZE;
    queue.count--;
    pthread_cond_signal(&queue.not_full);
    pthread_mutex_unlock(&queue.lock);
}

static long xmalloc_batches;

static void *xmalloc_producer(void *p) {
    uint32_t state = (uint32_t)(uintptr_t)p;
    void *batch[BATCH];
    for (long b = 0; b < xmalloc_batches; b++) {
        for (int i = 0; i < BATCH; i++) {
            size_t size = 8 + next_random(&state) % 256;
            batch[i] = malloc(size);
            touch(batch[i], size);
        }
        queue_put(batch);
    }
    return NULL;
}

static void *xmalloc_consumer(void *p) {
    (void)p;
    void *batch[BATCH];
    for (long b = 0; b < xmalloc_batches; b++) {
        queue_take(batch);
        for (int i = 0; i < BATCH; i++)
            free(batch[i]);
    }
    return NULL;
}

static double xmalloc(int threads, long scale) {
    int pairs = threads / 2 > 0 ? threads / 2 : 1;
    xmalloc_batches = scale * 10 / BATCH;
    pthread_t producers[32], consumers[32];
    double start = now();
    for (int t = 0; t < pairs; t++) {
        pthread_create(&producers[t], NULL, xmalloc_producer, (void *)(uintptr_t)(t + 1));
        pthread_create(&consumers[t], NULL, xmalloc_consumer, NULL);
    }
    for (int t = 0; t < pairs; t++) {
        pthread_join(producers[t], NULL);
        pthread_join(consumers[t], NULL);
    }
    return now() - start;
}

/* ---- threadtest ----------------------------------------------------------------------------- */
enum { THREADTEST_OBJECTS = 10000 };
static long threadtest_rounds;

static void *threadtest_thread(void *p) {
    (void)p;
    void **objects = malloc(THREADTEST_OBJECTS * sizeof *objects);
    for (long r = 0; r < threadtest_rounds; r++) {
        for (int i = 0; i < THREADTEST_OBJECTS; i++) {
            objects[i] = malloc(64);
            touch(objects[i], 64);
        }
        for (int i = 0; i < THREADTEST_OBJECTS; i++)
            free(objects[i]);
    }
    free(objects);
    return NULL;
}

static double threadtest(int threads, long scale) {
    threadtest_rounds = scale * 100 / THREADTEST_OBJECTS;
    pthread_t ids[64];
    double start = now();
    for (int t = 0; t < threads; t++)
        pthread_create(&ids[t], NULL, threadtest_thread, NULL);
    for (int t = 0; t < threads; t++)
        pthread_join(ids[t], NULL);
    return now() - start;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: workloads larson|xmalloc|threadtest <threads (1-64)> <scale>\n");
        return 2;
    }
    int threads = atoi(argv[2]);
    long scale = atol(argv[3]);
    if (threads < 1 || threads > 64 || scale < 1000) {
        fprintf(stderr, "workloads: threads must be 1 to 64 and scale at least 1000\n");
        return 2;
    }
    double seconds;
    if (strcmp(argv[1], "larson") == 0)
        seconds = larson(threads, scale);
    else if (strcmp(argv[1], "xmalloc") == 0)
        seconds = xmalloc(threads, scale);
    else if (strcmp(argv[1], "threadtest") == 0)
        seconds = threadtest(threads, scale);
    else {
        fprintf(stderr, "workloads: unknown workload %s\n", argv[1]);
        return 2;
    }
    printf("%.6f\n", seconds);
    return 0;
}
