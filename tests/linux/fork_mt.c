/* SPDX-License-Identifier: MIT */
/* fork() from a multithreaded process while other threads allocate, then malloc in the child.
 *
 * Every round: the workers run (each makes at least MIN_ALLOCS allocations since the round began,
 * so all of them are inside the allocator's loop, taking and releasing its locks) and the main
 * thread forks in the middle of that. Then the workers pause on a condition variable until the
 * child has exited, so the child's fixed amount of work never competes with them for the CPU: the
 * test's cost is bounded work, not a race with the scheduler (see tests/README.md; bindings/
 * README.md says why mimalloc's children once took seconds each on a loaded machine).
 * A child that deadlocks on an allocator lock inherited from the parent is killed by its alarm
 * (a safety net far above the child's few milliseconds of work) and reported; the CTest timeout
 * catches a hang in the parent. */
#define _GNU_SOURCE
#include "check.h"
#include "demo_stats.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { WORKERS = 4, FORKS = 40, MIN_ALLOCS = 200, CHILD_ROUNDS = 4, CHILD_ALARM_SECONDS = 120 };

static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_open = PTHREAD_COND_INITIALIZER;
static int round_running; /* under gate_lock: 1 while the workers may allocate */
static int finished;      /* under gate_lock */
static atomic_long round_allocs[WORKERS];

/* Wait until the round runs; 0 when the test is over. */
static int wait_for_round(void) {
    pthread_mutex_lock(&gate_lock);
    while (!round_running && !finished)
        pthread_cond_wait(&gate_open, &gate_lock);
    int go = !finished;
    pthread_mutex_unlock(&gate_lock);
    return go;
}

static void set_round(int running, int done) {
    pthread_mutex_lock(&gate_lock);
    round_running = running;
    finished = done;
    pthread_cond_broadcast(&gate_open);
    pthread_mutex_unlock(&gate_lock);
}

static int round_is_running(void) {
    pthread_mutex_lock(&gate_lock);
    int running = round_running;
    pthread_mutex_unlock(&gate_lock);
    return running;
}

static void *worker(void *arg) {
    int id = (int)(uintptr_t)arg;
    unsigned seed = (unsigned)id + 1;
    while (wait_for_round()) {
        /* allocate until the main thread has forked and closes the round */
        for (unsigned n = 0; n % 64 != 0 || round_is_running(); n++) {
            seed = seed * 1103515245u + 12345u;
            size_t size = (seed >> 8) % (seed % 50 == 0 ? 300000 : 2000) + 1;
            char *p = malloc(size);
            if (p != NULL) {
                memset(p, 1, size < 4096 ? size : 4096);
                free(p);
            }
            atomic_fetch_add(&round_allocs[id], 1);
        }
    }
    return NULL;
}

/* The child's fixed work: every size class and a large block, through malloc, realloc and calloc. */
static int child_work(void) {
    alarm(CHILD_ALARM_SECONDS);
    size_t sizes[] = {1, 100, 5000, 70000, 1 << 20};
    for (int round = 0; round < CHILD_ROUNDS; round++) {
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            char *p = malloc(sizes[i]);
            if (p == NULL)
                return 1;
            memset(p, 'c', sizes[i]);
            char *q = realloc(p, sizes[i] * 2);
            if (q == NULL || q[sizes[i] - 1] != 'c')
                return 2;
            free(q);
            int *z = calloc(sizes[i], sizeof(int));
            if (z == NULL || z[sizes[i] - 1] != 0)
                return 3;
            free(z);
        }
    }
    return 0;
}

/* Start a round and return once every worker has allocated MIN_ALLOCS times in it. */
static void run_round_until_busy(void) {
    for (int i = 0; i < WORKERS; i++)
        atomic_store(&round_allocs[i], 0);
    set_round(1, 0);
    for (int i = 0; i < WORKERS; i++)
        while (atomic_load(&round_allocs[i]) < MIN_ALLOCS)
            sched_yield();
}

int main(int argc, char **argv) {
    int strict;
    alloc8_stats_fn stats = alloc8_test_begin(argc, argv, &strict);
    struct alloc8_demo_stats before = alloc8_test_snapshot(stats);
    pthread_t threads[WORKERS];
    for (int i = 0; i < WORKERS; i++)
        if (pthread_create(&threads[i], NULL, worker, (void *)(uintptr_t)i) != 0) {
            printf("FAIL: pthread_create\n");
            return 1;
        }
    /* the forks stop at the first failure */
    for (int i = 0; i < FORKS && check_failures == 0; i++) {
        run_round_until_busy();
        pid_t pid = fork(); /* the workers are allocating right now */
        if (pid == 0)
            _exit(child_work());
        set_round(0, 0);
        CHECK(pid > 0, "fork\n");
        if (pid < 0)
            break;
        int status = 0;
        pid_t waited = waitpid(pid, &status, 0);
        CHECK(waited == pid, "waitpid\n");
        if (waited != pid)
            continue;
        CHECK(!WIFSIGNALED(status), "child %d killed by signal %d%s\n", i, WTERMSIG(status),
              WTERMSIG(status) == SIGALRM ? " (deadlock in the child)" : "");
        CHECK(WIFSIGNALED(status) || WEXITSTATUS(status) == 0, "child %d failed its checks (status %d)\n", i,
              WEXITSTATUS(status));
    }
    set_round(0, 1);
    for (int i = 0; i < WORKERS; i++)
        pthread_join(threads[i], NULL);
    struct alloc8_demo_stats after = alloc8_test_snapshot(stats);
    if (strict)
        CHECK(DELTA(before, after, malloc_calls) >= (unsigned long long)FORKS * WORKERS * MIN_ALLOCS,
              "the demo allocator did not serve the workers\n");
    if (check_failures == 0)
        printf("fork: %d forks, each while %d threads were allocating; every child allocated and exited 0\n", FORKS,
               WORKERS);
    return check_report("fork");
}
